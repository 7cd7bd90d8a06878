import type { Reply } from '../platform.js';

export const JSON_UTF8 = 'application/json;charset=UTF-8';
export const TEXT_UTF8 = 'text/plain;charset=UTF-8';
export const HTML_UTF8 = 'text/html;charset=UTF-8';

export function jsonReply(data: unknown, status = 200, contentType = JSON_UTF8): Reply {
  return { status, contentType, body: JSON.stringify(data), data };
}

export function textReply(text: string, status = 200, contentType = TEXT_UTF8): Reply {
  return { status, contentType, body: text, data: text };
}

export function redirectReply(location: string, status = 302): Reply {
  return { status, body: '', headers: { location }, data: { location } };
}
