// 工单控制台入口：登录、导航（#/看板 …）、应用时钟显示。页面各自在 /console/js/ 下。
import { api, appNow, time, token, Unauthorized } from '/console/js/api.js';
import { analysisPage } from '/console/js/analysis.js';
import { assessmentPage } from '/console/js/assessment.js';
import { boardPage } from '/console/js/board.js';
import { calendarPage } from '/console/js/calendar.js';
import { chartsPage } from '/console/js/charts.js';
import { outagesPage } from '/console/js/outages.js';
import { ticketPage } from '/console/js/ticket.js';
import { ticketsPage } from '/console/js/tickets.js';

const PAGES = { board: boardPage, tickets: ticketsPage, charts: chartsPage, assessment: assessmentPage, analysis: analysisPage, outages: outagesPage, calendar: calendarPage };
const ROLES = { admin: '管理令牌', leader: '领导 · 只读' };
const $ = (id) => document.getElementById(id);

let leave = () => {};

function fail(error) {
  if (error instanceof Unauthorized) return showLogin('令牌无效或已失效，请重新输入。');
  $('status').textContent = error.message;
  $('status').className = 'error';
}

function showLogin(message) {
  leave();
  token.clear();
  for (const id of ['main', 'nav', 'logout', 'webhooks', 'calendar-warning']) $(id).hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message || '';
  $('token').focus();
}

async function showMain() {
  try {
    const session = await api('/session');
    $('role').textContent = ROLES[session.role] || '';
  } catch (error) {
    return fail(error);
  }
  $('login').hidden = true;
  for (const id of ['main', 'nav', 'logout']) $(id).hidden = false;
  route();
  showMissingWebhooks().catch(fail);
  showUnconfirmedYears().catch(fail);
}

/** A year without a confirmed holiday schedule has provisional deadlines: every page says so until it is entered. */
async function showUnconfirmedYears() {
  const { warnings } = await api('/calendar');
  const notice = $('calendar-warning');
  notice.hidden = warnings.length === 0;
  notice.textContent = warnings.join('\n');
}

/** Chats without a group robot cannot be woken by an @ (the bot's own messages never notify): the admin should add one. */
async function showMissingWebhooks() {
  const { withoutWebhook } = await api('/org');
  const notice = $('webhooks');
  notice.hidden = withoutWebhook.length === 0;
  notice.textContent =
    '以下群未配置群机器人，派工和催办无法真正 @ 到人：' + withoutWebhook.map((unit) => unit.name).join('、') +
    '。请在该群「群设置 → 群机器人」中添加机器人，并把 webhook 地址中的 key 填入组织机构对应单位的 webhookKey。';
}

/** Renders the page the hash names; the page returns what stops its timers when another page replaces it. */
function route() {
  if (!token.get()) return;
  leave();
  const [name = 'board', arg] = location.hash.replace(/^#\/?/, '').split('/');
  const main = $('main');
  main.replaceChildren();
  main.fail = fail;
  main.dataset.page = name;
  for (const link of document.querySelectorAll('#nav a')) link.classList.toggle('active', link.getAttribute('href') === '#/' + name);
  const stop = name === 'ticket' ? ticketPage(main, decodeURIComponent(arg || '')) : (PAGES[name] || boardPage)(main);
  leave = typeof stop === 'function' ? stop : () => {};
}

// "更新于" shows the app clock, which the sandbox may have moved ahead of the wall clock.
setInterval(() => {
  if (token.get() && $('status').className !== 'error') $('status').textContent = '当前 ' + time(appNow().toISOString());
}, 1000);

$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $('token').value.trim();
  if (!value) return;
  token.set(value);
  $('token').value = '';
  showMain();
});
$('logout').addEventListener('click', () => showLogin());
window.addEventListener('hashchange', route);

if (token.get()) showMain();
else showLogin();
