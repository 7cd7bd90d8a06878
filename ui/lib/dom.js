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

/** A UTC offset in minutes as people write it: UTC, UTC+8, UTC+5:30, UTC-5. */
export function formatOffset(minutes) {
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  const hm = abs % 60 ? `${Math.floor(abs / 60)}:${pad(abs % 60)}` : String(abs / 60);
  return `UTC${minutes > 0 ? '+' : '-'}${hm}`;
}

/** The browser's time zone at an instant: "UTC", or "UTC+1 (Europe/Berlin)". */
export function browserZone(ms) {
  const offset = -new Date(ms).getTimezoneOffset();
  const name = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const label = formatOffset(offset);
  return !name || name === 'UTC' || name === 'Etc/UTC' ? label : `${label} (${name})`;
}

/** Wall-clock text at a fixed UTC offset, the way the platforms write timestamps: 2026-05-01 10:00:00. */
export function formatAtOffset(ms, offsetMinutes) {
  const d = new Date(ms + offsetMinutes * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
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
