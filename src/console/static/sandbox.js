// The sandbox page: the organisation's group chats as the fake WeCom shows them, polled twice a second.
// Everything typed or tapped here goes to the fake WeCom and from there over the bot's long connection.

const POLL_MS = 500;
const KIND_LABEL = { desk: '客服班', crew: '班组', department: '部门', leaders: '领导', dispatch: '调度' };
const $ = (selector, root = document) => root.querySelector(selector);

const state = {
  botName: '客服机器人',
  groups: [],
  people: new Map(),
  who: localStorage.getItem('sandbox.who') ?? '',
  etag: '',
  rendered: new Map(),
  /** The chat a phone shows. */
  current: '',
};

// ---------- talking to the server ----------

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error?.message ?? `请求失败（${res.status}）`);
  return data;
}

let pollTimer;
let polling = false;
let pollAgain = false;

function pollSoon(ms = 0) {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(poll, ms);
}

async function poll() {
  if (polling) {
    pollAgain = true;
    return;
  }
  polling = true;
  try {
    const viewer = state.who ? `?as=${encodeURIComponent(state.who)}` : '';
    const res = await fetch(`/sandbox/api/chats${viewer}`, {
      cache: 'no-store',
      headers: state.etag ? { 'if-none-match': state.etag } : {},
    });
    if (res.status === 200) {
      state.etag = res.headers.get('etag') ?? '';
      const data = await res.json();
      showClock(data.clock);
      showOnline(data.online);
      for (const chat of data.chats) renderChat(chat);
    }
  } catch {
    showOnline(false);
  } finally {
    polling = false;
    pollSoon(pollAgain ? 0 : POLL_MS);
    pollAgain = false;
  }
}

function toast(message) {
  const el = $('#toast');
  el.textContent = message;
  el.hidden = false;
  clearTimeout(el.timer);
  el.timer = setTimeout(() => (el.hidden = true), 4000);
}

// ---------- who am I ----------

function nameOf(userId) {
  return state.people.get(userId)?.name ?? userId;
}

function isMember(chatId) {
  return chatId === state.who || Boolean(state.groups.find((g) => g.chatId === chatId)?.members.includes(state.who));
}

function fillWho(people) {
  const select = $('#who');
  for (const kind of Object.keys(KIND_LABEL)) {
    const inKind = people.filter((p) => p.kind === kind);
    if (inKind.length === 0) continue;
    const group = document.createElement('optgroup');
    group.label = KIND_LABEL[kind];
    for (const p of inKind) group.append(new Option(`${p.name}（${p.title}）`, p.userId));
    select.append(group);
  }
  select.addEventListener('change', () => becomeWho(select.value));
}

function becomeWho(userId) {
  state.who = userId;
  localStorage.setItem('sandbox.who', userId);
  $('#who').value = userId;
  // Cards can look different per person, so every chat is drawn again for the new viewer.
  state.etag = '';
  state.rendered.clear();
  renderPanes();
  pollSoon();
}

// ---------- chat panes ----------

function panes() {
  const me = state.people.get(state.who);
  const own = me ? [{ chatId: me.userId, name: `${me.name} 与${state.botName}的私聊`, kind: 'single', members: [me.userId] }] : [];
  return [...state.groups, ...own];
}

function renderPanes() {
  const main = $('#chats');
  if (state.groups.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = '组织机构尚未配置：请设置 ORG_FILE，或通过 PUT /api/org 导入后刷新本页。';
    main.replaceChildren(empty);
    return;
  }
  main.replaceChildren(...panes().map(paneFor));
  applyFilter();
  fillChatPick();
}

// ---------- one chat at a time (a phone) ----------

/** The chat shown on a phone: picked in the header; the desk's group at first. */
function fillChatPick() {
  const select = $('#chat-pick');
  const shown = panes().filter((group) => !$('#mine-only').checked || isMember(group.chatId));
  select.replaceChildren(
    ...shown.map((group) => {
      const option = document.createElement('option');
      option.value = group.chatId;
      option.textContent = group.name;
      return option;
    }),
  );
  const keep = shown.some((g) => g.chatId === state.current) ? state.current : (shown.find((g) => g.kind === 'desk') ?? shown[0])?.chatId;
  showChat(keep);
}

function showChat(chatId) {
  state.current = chatId;
  $('#chat-pick').value = chatId ?? '';
  for (const pane of document.querySelectorAll('.pane')) pane.classList.toggle('current', pane.dataset.chat === chatId);
}

function paneFor(group) {
  const member = isMember(group.chatId);
  const pane = document.createElement('section');
  pane.className = `pane kind-${group.kind}${member ? ' mine' : ''}`;
  pane.dataset.chat = group.chatId;

  const head = document.createElement('header');
  const title = document.createElement('h3');
  title.textContent = group.name;
  const info = document.createElement('span');
  info.className = 'muted';
  info.textContent = `${KIND_LABEL[group.kind] ?? '私聊'} · ${group.members.length} 人${member ? ' · 我在群内' : ''}`;
  head.append(title, info);
  head.title = group.members.map(nameOf).join('、');

  const list = document.createElement('ol');
  list.className = 'messages';

  pane.append(head, list, composerFor(group, member));
  return pane;
}

function composerFor(group, member) {
  const form = document.createElement('form');
  form.className = 'composer';
  const input = document.createElement('input');
  input.name = 'text';
  input.autocomplete = 'off';
  const send = document.createElement('button');
  send.type = 'submit';
  send.className = 'send';
  send.textContent = '发送';
  form.append(input, send);
  if (member) {
    input.placeholder = `@${state.botName} 输入指令，如 /帮助`;
  } else {
    input.disabled = send.disabled = true;
    input.placeholder = '你不在这个群里';
    const someone = group.members[0];
    if (someone) {
      const switcher = document.createElement('button');
      switcher.type = 'button';
      switcher.className = 'switch';
      switcher.textContent = `切换为 ${nameOf(someone)}`;
      switcher.addEventListener('click', () => becomeWho(someone));
      form.append(switcher);
    }
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    send.disabled = true;
    try {
      await post('/sandbox/api/say', { chatId: group.chatId, userId: state.who, text });
      input.value = '';
      pollSoon();
    } catch (error) {
      toast(error.message);
    } finally {
      send.disabled = false;
      input.focus();
    }
  });
  return form;
}

function applyFilter() {
  const mineOnly = $('#mine-only').checked;
  for (const pane of document.querySelectorAll('.pane')) pane.hidden = mineOnly && !pane.classList.contains('mine');
}

$('#chat-pick').addEventListener('change', (event) => showChat(event.target.value));

function renderChat(chat) {
  const pane = document.querySelector(`.pane[data-chat="${CSS.escape(chat.chatId)}"]`);
  if (!pane) return;
  const key = JSON.stringify(chat.entries);
  if (state.rendered.get(chat.chatId) === key) return;
  state.rendered.set(chat.chatId, key);
  const list = $('.messages', pane);
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren(...chat.entries.map((entry) => messageFor(entry, chat.chatId)));
  if (atBottom || list.dataset.seen !== String(chat.entries.length)) list.scrollTop = list.scrollHeight;
  list.dataset.seen = String(chat.entries.length);
}

// ---------- one message ----------

function messageFor(entry, chatId) {
  const mine = entry.from === 'user' && entry.userId === state.who;
  const li = document.createElement('li');
  li.className = `msg from-${entry.from}${mine ? ' me' : ''} kind-${entry.kind}`;
  li.dataset.seq = entry.seq;
  if (entry.mentions?.includes(state.who)) li.classList.add('mentions-me');

  const sender = entry.from === 'bot' ? state.botName : entry.kind === 'webhook' ? '群机器人' : nameOf(entry.userId);
  const avatar = document.createElement('span');
  avatar.className = 'avatar';
  avatar.textContent = entry.from === 'bot' || entry.kind === 'webhook' ? '机' : sender.slice(-2);

  const body = document.createElement('div');
  body.className = 'body';
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.textContent = `${sender} · ${entry.time}`;
  body.append(meta, entry.card ? cardFor(entry.card, entry.taskId, chatId) : bubbleFor(entry));

  li.append(avatar, body);
  return li;
}

function bubbleFor(entry) {
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  if (entry.from === 'user') {
    const prefix = `@${state.botName} `;
    if (entry.text.startsWith(prefix)) bubble.append(mention(state.botName, false), ' ');
    bubble.append(entry.text.startsWith(prefix) ? entry.text.slice(prefix.length) : entry.text);
    return bubble;
  }
  if (entry.mediaId && entry.text.startsWith('[image]')) {
    const image = document.createElement('img');
    image.className = 'picture';
    image.alt = entry.text;
    image.src = `/sandbox/api/media/${encodeURIComponent(entry.mediaId)}`;
    // After a restart only the chat's text is kept: the picture's name stands in for it.
    image.addEventListener('error', () => image.replaceWith(entry.text));
    bubble.append(image);
    return bubble;
  }
  bubble.append(...markdown(entry.text));
  // Webhook texts name people in mentioned_list instead of inline <@id>.
  const inline = new Set([...entry.text.matchAll(/<@([^>\s]+)>/g)].map((m) => m[1]));
  const extra = (entry.mentions ?? []).filter((id) => !inline.has(id));
  if (extra.length) bubble.append(document.createElement('br'), ...extra.flatMap((id) => [mentionOf(id), ' ']));
  return bubble;
}

function mentionOf(userId) {
  return mention(userId === '@all' ? '所有人' : nameOf(userId), userId === state.who);
}

function mention(name, me) {
  const span = document.createElement('span');
  span.className = me ? 'mention me' : 'mention';
  span.textContent = `@${name}`;
  return span;
}

/** WeCom's markdown subset: headings, quotes, bold, links, inline code, <font color> and <@userid>. Built as DOM, never as HTML. */
function markdown(text) {
  const nodes = [];
  text.split('\n').forEach((line, i) => {
    if (i > 0) nodes.push(document.createElement('br'));
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const quote = /^>\s?(.*)$/.exec(line);
    if (heading) {
      const strong = document.createElement('strong');
      strong.className = `h${heading[1].length}`;
      strong.append(...inline(heading[2]));
      nodes.push(strong);
    } else if (quote) {
      const span = document.createElement('span');
      span.className = 'quote';
      span.append(...inline(quote[1]));
      nodes.push(span);
    } else {
      nodes.push(...inline(line));
    }
  });
  return nodes;
}

const INLINE = /\*\*(.+?)\*\*|<@([^>\s]+)>|<font color="(\w+)">(.*?)<\/font>|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;

function inline(text) {
  const nodes = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) nodes.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      const b = document.createElement('b');
      b.append(...inline(m[1]));
      nodes.push(b);
    } else if (m[2] !== undefined) {
      nodes.push(mentionOf(m[2]));
    } else if (m[3] !== undefined) {
      const span = document.createElement('span');
      span.className = `font-${m[3]}`;
      span.append(...inline(m[4]));
      nodes.push(span);
    } else if (m[5] !== undefined) {
      const code = document.createElement('code');
      code.textContent = m[5];
      nodes.push(code);
    } else {
      const a = document.createElement('a');
      a.textContent = m[6];
      if (/^https?:\/\//.test(m[7])) a.href = m[7];
      a.target = '_blank';
      a.rel = 'noreferrer';
      nodes.push(a);
    }
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

// ---------- template cards ----------

function cardFor(card, taskId, chatId) {
  const el = document.createElement('div');
  el.className = `card card-${card.card_type}`;
  el.dataset.task = taskId ?? '';
  const line = (className, ...parts) => {
    const text = parts.filter(Boolean).join(' ');
    if (!text) return;
    const div = document.createElement('div');
    div.className = className;
    div.textContent = text;
    el.append(div);
  };
  line('card-source', card.source?.desc);
  line('card-title', card.main_title?.title);
  line('card-desc', card.main_title?.desc);
  if (card.emphasis_content) {
    line('card-emphasis', card.emphasis_content.title);
    line('card-desc', card.emphasis_content.desc);
  }
  if (card.quote_area) line('card-quote', card.quote_area.title, card.quote_area.quote_text);
  line('card-sub', card.sub_title_text);
  if (card.horizontal_content_list?.length) {
    const dl = document.createElement('dl');
    dl.className = 'card-kv';
    for (const item of card.horizontal_content_list) {
      const dt = document.createElement('dt');
      dt.textContent = item.keyname;
      const dd = document.createElement('dd');
      dd.textContent = item.value ?? '';
      dl.append(dt, dd);
    }
    el.append(dl);
  }
  for (const v of card.vertical_content_list ?? []) line('card-vertical', v.title, v.desc);
  for (const s of [card.button_selection, ...(card.select_list ?? [])].filter(Boolean)) {
    const chosen = s.option_list.find((o) => o.id === s.selected_id) ?? s.option_list[0];
    line('card-select', s.title, `▾ ${chosen?.text ?? ''}`);
  }
  if (card.checkbox) line('card-select', card.checkbox.option_list.map((o) => `${o.is_checked ? '☑' : '☐'} ${o.text}`).join('  '));
  for (const j of card.jump_list ?? []) line('card-jump', `→ ${j.title}`);

  const buttons = [
    ...(card.button_list ?? []).map((b) => ({ text: b.text, key: b.key, style: b.style ?? 1 })),
    ...(card.submit_button ? [{ text: card.submit_button.text, key: card.submit_button.key, style: 1 }] : []),
    ...(card.action_menu?.action_list ?? []).map((a) => ({ text: a.text, key: a.key, style: 2 })),
  ];
  if (buttons.length && taskId) {
    const row = document.createElement('div');
    row.className = 'card-buttons';
    const member = isMember(chatId);
    for (const b of buttons) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `card-btn style-${b.style}`;
      button.textContent = b.text;
      button.dataset.key = b.key;
      button.disabled = !member;
      if (!member) button.title = '你不在这个群里';
      button.addEventListener('click', () => tap(taskId, b.key, button));
      row.append(button);
    }
    el.append(row);
  }
  return el;
}

async function tap(taskId, eventKey, button) {
  button.disabled = true;
  try {
    await post('/sandbox/api/tap', { taskId, eventKey, userId: state.who });
    pollSoon();
  } catch (error) {
    toast(error.message);
    button.disabled = false;
  }
}

// ---------- clock and status ----------

function showClock(clock) {
  $('#clock-label').textContent = clock.label;
  $('#clock-day').textContent = clock.day;
  const m = clock.advancedMinutes;
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  const minutes = m % 60;
  const parts = [days && `${days} 天`, hours && `${hours} 小时`, minutes && `${minutes} 分钟`].filter(Boolean);
  $('#clock-advanced').textContent = parts.length ? `已快进 ${parts.join(' ')}` : '';
}

function showOnline(online) {
  const el = $('#bot-status');
  el.textContent = online ? '机器人在线' : '机器人连接中…';
  el.classList.toggle('online', online);
}

for (const button of document.querySelectorAll('[data-step]')) {
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const { clock } = await post('/sandbox/api/clock', { step: button.dataset.step });
      showClock(clock);
      pollSoon();
    } catch (error) {
      toast(error.message);
    } finally {
      button.disabled = false;
    }
  });
}

// The activation step: someone in every group @-s the bot once, as a county does on its first day.
$('#activate').addEventListener('click', async (event) => {
  const button = event.currentTarget;
  button.disabled = true;
  try {
    const { activated } = await post('/sandbox/api/activate', {});
    toast(activated ? `已在 ${activated} 个群 @ 机器人` : '所有群都已激活');
    pollSoon();
  } catch (error) {
    toast(error.message);
  } finally {
    button.disabled = false;
  }
});

// Tour commands go into the desk group's box, as a desk member.
for (const code of document.querySelectorAll('[data-fill]')) {
  code.addEventListener('click', () => {
    const desk = state.groups.find((g) => g.kind === 'desk');
    if (!desk) return;
    if (!desk.members.includes(state.who) && desk.members[0]) becomeWho(desk.members[0]);
    showChat(desk.chatId);
    const input = $(`.pane[data-chat="${CSS.escape(desk.chatId)}"] input[name="text"]`);
    input.value = code.dataset.fill;
    input.focus();
  });
}

$('#mine-only').addEventListener('change', () => {
  applyFilter();
  fillChatPick();
});

$('#reset').addEventListener('click', async () => {
  if (!confirm('清空所有群聊记录，重新开始？（工单和沙盒时钟保留）')) return;
  try {
    await post('/sandbox/api/reset', {});
    state.etag = '';
    state.rendered.clear();
    renderPanes();
    pollSoon();
  } catch (error) {
    toast(error.message);
  }
});

// On a phone the tour starts folded: the chat is what the screen is for.
if (matchMedia('(max-width: 600px)').matches) $('#tour').open = false;

// ---------- start ----------

const directory = await (await fetch('/sandbox/api/directory')).json();
state.botName = directory.botName;
state.groups = directory.groups;
state.people = new Map(directory.people.map((p) => [p.userId, p]));
fillWho(directory.people);
const firstDesk = directory.people.find((p) => p.kind === 'desk') ?? directory.people[0];
becomeWho(state.people.has(state.who) ? state.who : (firstDesk?.userId ?? ''));
