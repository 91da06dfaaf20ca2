// 与 /api 通信、应用时钟和页面共用的小工具。令牌只存在本标签页的 sessionStorage。
const TOKEN_KEY = 'console.token';

export class Unauthorized extends Error {}

/** The app clock: the server's `now` minus the browser's, so the sandbox's advanced clock is what the page shows. */
let offsetMs = 0;
export const appNow = () => new Date(Date.now() + offsetMs);
export function syncClock(now) {
  if (now) offsetMs = new Date(now).getTime() - Date.now();
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export async function call(path, body) {
  const value = token.get();
  if (!value) throw new Unauthorized();
  const headers = { authorization: 'Bearer ' + value };
  const init = body === undefined
    ? { headers, cache: 'no-store' }
    : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body), cache: 'no-store' };
  const response = await fetch('/api' + path, init);
  if (response.status === 401) throw new Unauthorized();
  return response;
}

/** GET `path`, or POST `body` as JSON to it; a refusal throws its Chinese message. */
export async function api(path, body) {
  const response = await call(path, body);
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((answer.error && answer.error.message) || '请求失败 (' + response.status + ')');
  syncClock(answer.now);
  return answer;
}

/** A picture the API draws (the leaders' charts), as a URL an <img> can show: a plain src cannot carry the token. */
export async function picture(path) {
  const response = await call(path);
  if (!response.ok) throw new Error('图片加载失败 (' + response.status + ')');
  return URL.createObjectURL(await response.blob());
}

/** Downloads an export with the token (a plain link cannot carry it), under the server's Chinese file name. */
export async function download(path) {
  const response = await call(path);
  if (!response.ok) throw new Error('导出失败 (' + response.status + ')');
  const disposition = response.headers.get('content-disposition') || '';
  const match = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = match ? decodeURIComponent(match[1]) : 'export';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

const FORMAT = { timeZone: 'Asia/Shanghai', hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' };
export const time = (iso) => (iso ? new Date(iso).toLocaleString('zh-CN', FORMAT) : '—');
export const pct = (rate) => (typeof rate === 'number' ? (rate * 100).toFixed(1) + '%' : '—');

/** "2 小时 15 分": a span as people say it (at least a minute). */
export function span(ms) {
  const minutes = Math.max(1, Math.floor(Math.abs(ms) / 60000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? d + ' 天' : '', h ? h + ' 小时' : '', m ? m + ' 分' : ''].filter(Boolean).join(' ');
}

/** The month before the app clock's, YYYY-MM in Shanghai: what leaders review by default. */
export function lastMonth() {
  const [y, m] = appNow().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).split('-').map(Number);
  return m === 1 ? y - 1 + '-12' : y + '-' + String(m - 1).padStart(2, '0');
}

/** A <select> with 全部 and the given [value, label] pairs, keeping its current choice. */
export function fillSelect(select, entries) {
  const chosen = select.value;
  select.length = 1;
  for (const [value, label] of entries) select.append(new Option(label, value));
  select.value = chosen;
}

/** Query string of a form's non-empty fields. */
export function formQuery(form) {
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (value) query.set(name, String(value));
  return query;
}

export function empty(container, text) {
  container.replaceChildren(el('p', text, 'muted empty'));
}

export const KINDS = { repair: '故障报修', complaint: '投诉', report: '举报', suggestion: '建议', praise: '表扬', inquiry: '咨询', query: '查询', connection: '业扩报装' };
