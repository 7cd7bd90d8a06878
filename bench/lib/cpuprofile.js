/** Reads a V8 .cpuprofile and says where the time went: top functions by self and by inclusive time, and by package. */
import { readFileSync } from 'node:fs';

function shortUrl(url) {
  if (!url) return '';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + 14);
  const i = url.search(/\/(dist|bench|src)\//);
  return i >= 0 ? url.slice(i + 1) : url.replace(/^file:\/\//, '');
}

function area(frame) {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 14).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const m = /\/(dist|bench)\/(.*?)(\/[^/]*)?$/.exec(url);
  if (m) return `${m[1]}/${m[2].split('/').slice(0, 2).join('/')}`;
  return shortUrl(url);
}

export function summarizeProfile(file, top = 25) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < prof.samples.length; i++) {
    const id = prof.samples[i];
    self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  const total = prof.endTime - prof.startTime;
  const keyOf = (n) => `${n.callFrame.functionName || '(anonymous)'}  ${shortUrl(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
  const selfBy = new Map();
  const inclBy = new Map();
  const areaBy = new Map();
  const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
  // Walk the call tree once; a function's inclusive time counts each sample once even when it recurses.
  const root = prof.nodes[0];
  const stack = [[root, []]];
  while (stack.length) {
    const [node, path] = stack.pop();
    const key = keyOf(node);
    const here = path.includes(key) ? path : [...path, key];
    const t = self.get(node.id) ?? 0;
    if (t) {
      add(selfBy, key, t);
      add(areaBy, area(node.callFrame), t);
      for (const k of here) add(inclBy, k, t);
    }
    for (const c of node.children ?? []) stack.push([byId.get(c), here]);
  }
  const rank = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => ({ name: k, ms: Math.round(v / 1000), pct: Math.round((v / total) * 1000) / 10 }));
  return { totalMs: Math.round(total / 1000), self: rank(selfBy), inclusive: rank(inclBy), areas: rank(areaBy) };
}

export function renderProfile(summary) {
  const block = (title, rows) => [title, ...rows.map((r) => `  ${String(r.pct).padStart(5)} %  ${String(r.ms).padStart(6)} ms  ${r.name}`)].join('\n');
  return [
    `Profile: ${summary.totalMs} ms sampled`,
    block('By package / area (self time):', summary.areas),
    block('Top functions by self time:', summary.self),
    block('Top functions by inclusive time:', summary.inclusive),
  ].join('\n\n');
}
