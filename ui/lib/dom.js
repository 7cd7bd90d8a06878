/**
 * Elements are built from data without ever parsing it as markup: every value becomes a text node or
 * an attribute value, so a token or parameter such as `<img onerror=…>` is shown, never run.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) {
      if (typeof value !== 'function') throw new TypeError(`${key} must be a function`);
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'href' && !safeHref(String(value))) continue;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  add(el, children);
  return el;
}

/** Appends children (nodes, strings, numbers, arrays of them); null and false are skipped. */
export function add(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function replace(el, ...children) {
  el.replaceChildren();
  return add(el, children);
}

/** Only links to web pages or relative paths; never a `javascript:` URL that came in with data. */
function safeHref(href) {
  return !/^\s*[a-z][a-z0-9+.-]*:/i.test(href) || /^\s*https?:/i.test(href);
}

export const $ = (selector, root = document) => root.querySelector(selector);

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** Sandbox time as a person reads it, in the browser's time zone: 2026-05-01 10:00:00. */
export function formatTime(ms, withDate = true) {
  const d = new Date(ms);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withDate ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}` : time;
}

/** 45s, 4m 05s, 2h 03m, 3d 4h — the two largest units are enough to see what expires next. */
export function formatDuration(ms) {
  const s = Math.floor(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${pad(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor(s / 3600) % 24}h`;
}

/** Any JSON value as readable text: strings as they are, everything else indented. */
export function asText(value) {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value, null, 2);
}

export function statusClass(status) {
  return `status s${String(status).charAt(0)}xx`;
}
