import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANTUN_ERRORS } from '../../src/platforms/mantun/errors.js';
import { CODE_MSGS, SOP_ERRORS } from '../../src/platforms/sop/errors.js';
import { USERCENTER_ERRORS } from '../../src/platforms/usercenter/errors.js';
import { ZJRC_ERRORS } from '../../src/platforms/zjrc/errors.js';
import { ROOT } from './markdown.js';

/**
 * Each platform page documents every kind of its error catalogue with the catalogue's own code and text:
 * a kind added, renumbered or reworded in src/platforms/<id>/errors.ts fails here until the page says so.
 */

/** The rows of the tables right under a page's "## Errors" heading, by their first cell (a `kind`), as cell texts. */
function errorRows(page: string): Map<string, string[]> {
  const text = readFileSync(join(ROOT, 'docs', 'platforms', page), 'utf8');
  const start = text.indexOf('\n## Errors\n');
  if (start < 0) throw new Error(`${page} has no "## Errors" section`);
  // Up to the next heading: the check-order table under "### Check order" is not an error table.
  const next = /\n#{2,3} /.exec(text.slice(start + 1));
  const rows = new Map<string, string[]>();
  for (const line of text.slice(start, next ? start + 1 + next.index : undefined).split('\n')) {
    const m = /^\| `([^`]+)` \|(.*)\|$/.exec(line);
    if (m)
      rows.set(
        m[1] as string,
        (m[2] as string).split(' | ').map((c) => c.trim()),
      );
  }
  return rows;
}

/** The fixed parts of a catalogue text around its placeholders ({detail}, {encoding}): each must be in the cell. */
const fragments = (message: string): string[] => message.split(/\{detail\}|\{encoding\}/).filter((f) => f !== '');
const missingFragments = (message: string, cell: string): string[] => fragments(message).filter((f) => !cell.includes(f));
const plain = (cell: string | undefined) => (cell ?? '').replace(/[`*]/g, '');

test('mantun.md lists every kind of the Mantun catalogue with its code, message and HTTP status', () => {
  const rows = errorRows('mantun.md');
  const problems = Object.entries(MANTUN_ERRORS.entries).flatMap(([kind, e]) => {
    const row = rows.get(kind);
    if (!row) return [`${kind}: not documented`];
    const [code, message] = row;
    const out = plain(code) === e.code ? [] : [`${kind}: code ${code}, catalogue ${e.code}`];
    out.push(...missingFragments(e.message, message ?? '').map((f) => `${kind}: message lacks "${f}"`));
    if (e.status !== undefined && !(message ?? '').includes(`HTTP ${e.status}`)) out.push(`${kind}: HTTP ${e.status} not said`);
    return out;
  });
  expect(problems).toEqual([]);
  expect([...rows.keys()].filter((k) => !MANTUN_ERRORS.has(k))).toEqual([]);
});

test('usercenter.md lists every kind of the UserCenter catalogue with its status, code and msg', () => {
  const rows = errorRows('usercenter.md');
  const problems = Object.entries(USERCENTER_ERRORS.entries).flatMap(([kind, e]) => {
    const row = rows.get(kind);
    if (!row) return [`${kind}: not documented`];
    const [status, code, msg] = row;
    const out: string[] = [];
    if (plain(status) !== String(e.status)) out.push(`${kind}: status ${status}, catalogue ${e.status}`);
    if (plain(code) !== (e.code !== undefined ? String(e.code) : '–')) out.push(`${kind}: code ${code}`);
    out.push(...missingFragments(e.msg, msg ?? '').map((f) => `${kind}: msg lacks "${f}"`));
    if (e.httpStatus !== undefined && !(msg ?? '').includes(`HTTP ${e.httpStatus}`)) out.push(`${kind}: HTTP ${e.httpStatus} not said`);
    return out;
  });
  expect(problems).toEqual([]);
  expect([...rows.keys()].filter((k) => !USERCENTER_ERRORS.has(k))).toEqual([]);
});

test('sop.md lists every sub_code with its code and both texts, and every code with its msg', () => {
  const rows = errorRows('sop.md');
  const problems = Object.entries(SOP_ERRORS.entries).flatMap(([kind, e]) => {
    const row = rows.get(kind);
    if (!row) return [`${kind}: not documented`];
    const [code, zh, en] = row;
    const out: string[] = [];
    if (plain(code) !== e.code) out.push(`${kind}: code ${code}, catalogue ${e.code}`);
    if (zh !== e.zh) out.push(`${kind}: zh "${zh}", catalogue "${e.zh}"`);
    if (!(en ?? '').startsWith(e.en)) out.push(`${kind}: en "${en}", catalogue "${e.en}"`);
    return out;
  });
  expect(problems).toEqual([]);
  const text = readFileSync(join(ROOT, 'docs', 'platforms', 'sop.md'), 'utf8');
  for (const [code, m] of Object.entries(CODE_MSGS)) expect(text).toContain(`| ${code} | ${m.zh} | ${m.en} |`);
});

test('zjrc.md lists every kind of the ZJRC catalogue, gateway and business, with its code, text and HTTP status', () => {
  const rows = errorRows('zjrc.md');
  const problems = Object.entries(ZJRC_ERRORS.entries).flatMap(([kind, e]) => {
    const row = rows.get(kind);
    if (!row) return [`${kind}: not documented`];
    const [code, message] = row;
    const out = plain(code) === e.code ? [] : [`${kind}: code ${code}, catalogue ${e.code}`];
    out.push(...missingFragments(e.message, message ?? '').map((f) => `${kind}: text lacks "${f}"`));
    if (e.status !== undefined && !(message ?? '').includes(`HTTP ${e.status}`)) out.push(`${kind}: HTTP ${e.status} not said`);
    return out;
  });
  expect(problems).toEqual([]);
  expect([...rows.keys()].filter((k) => !ZJRC_ERRORS.has(k))).toEqual([]);
});
