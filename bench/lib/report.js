/** Turns the measures into rows (figure, reference, ratio, target, verdict), a text table and markdown. */

const MB = 1048576;
const int = (n) => Math.round(n).toLocaleString('en-US').replace(/,/g, ' ');
const fmt = {
  rps: (n) => `${int(n)} req/s`,
  ms: (n) => `${n < 10 ? n.toFixed(1) : int(n)} ms`,
  mb: (n) => `${int(n / MB)} MB`,
  x: (n) => `${n.toFixed(2)}×`,
};

function verdict(pass, config, note) {
  if (pass === undefined) return '';
  const word = pass ? 'PASS' : 'MISS';
  return config.quick ? `${word.toLowerCase()}*${note ? ` ${note}` : ''}` : `${word}${note ? ` ${note}` : ''}`;
}

export function buildRows(results, config) {
  const rows = [];
  const add = (row) => rows.push({ conns: '', ratio: '', target: '', verdict: '', ...row });
  const { startup, throughput, growth, persistence, scaling, memory, logins, uploads } = results;

  if (startup) {
    const r = startup.sandbox.ms / startup.baseline.ms;
    add({
      section: 'Start-up',
      measure: `spawn → first 200 from /__sandbox/health (median of ${config.startupRuns})`,
      reference: fmt.ms(startup.baseline.ms),
      figure: fmt.ms(startup.sandbox.ms),
      ratio: fmt.x(r),
      target: '≤ 2×',
      verdict: verdict(r <= 2, config),
    });
    const m = startup.sandbox.rss / startup.baseline.rss;
    add({
      section: 'Start-up',
      measure: 'RSS idle after start',
      reference: fmt.mb(startup.baseline.rss),
      figure: fmt.mb(startup.sandbox.rss),
      ratio: fmt.x(m),
      target: '≤ 1.5×',
      verdict: verdict(m <= 1.5, config),
    });
  }

  for (const t of throughput ?? []) {
    const atMax = t.connections === config.maxConnections;
    const valid = t.baseline.valid && t.sandbox.valid;
    const r = t.sandbox.rps / t.baseline.rps;
    const target = atMax && t.targets.ratio ? `≥ ${t.targets.ratio}×` : '';
    add({
      section: 'Throughput',
      measure: `${t.label}`,
      conns: t.connections,
      reference: fmt.rps(t.baseline.rps),
      figure: fmt.rps(t.sandbox.rps),
      ratio: fmt.x(r),
      target,
      verdict: !valid ? 'INVALID' : target ? verdict(r >= t.targets.ratio, config) : '',
    });
    const p99Target = atMax && t.targets.p99Ms ? `< ${t.targets.p99Ms} ms` : '';
    add({
      section: 'Latency',
      measure: `${t.label} p99`,
      conns: t.connections,
      reference: fmt.ms(t.baseline.latency.p99),
      figure: fmt.ms(t.sandbox.latency.p99),
      ratio: fmt.x(t.sandbox.latency.p99 / Math.max(t.baseline.latency.p99, 0.5)),
      target: p99Target,
      verdict: !valid ? 'INVALID' : p99Target ? verdict(t.sandbox.latency.p99 < t.targets.p99Ms, config) : '',
    });
  }

  const sizes = [...new Set((growth ?? []).map((g) => g.size))].sort((a, b) => a - b);
  for (const caseId of [...new Set((growth ?? []).map((g) => g.case))]) {
    const runs = growth.filter((g) => g.case === caseId).sort((a, b) => a.size - b.size);
    for (const g of runs) {
      add({
        section: 'Growth',
        measure: `${g.label}, ${int(g.size)} live tokens`,
        conns: g.connections,
        reference: fmt.rps(g.baseline.rps),
        figure: fmt.rps(g.sandbox.rps),
        ratio: fmt.x(g.sandbox.rps / g.baseline.rps),
        verdict: g.baseline.valid && g.sandbox.valid ? '' : 'INVALID',
      });
    }
    const small = runs[0];
    const big = runs[runs.length - 1];
    if (small && big && big !== small) {
      const keep = big.sandbox.rps / small.sandbox.rps;
      const note = big.size < 1e6 ? `(at ${int(big.size)}, target is for 1 000 000)` : '';
      add({
        section: 'Growth',
        measure: `${big.label}: throughput at ${int(big.size)} ÷ at ${int(small.size)}`,
        conns: big.connections,
        reference: fmt.x(big.baseline.rps / small.baseline.rps),
        figure: fmt.x(keep),
        target: '≥ 0.90×',
        verdict: verdict(keep >= 0.9, config, note),
      });
    }
  }
  for (const size of sizes) {
    const g = growth.filter((x) => x.size === size);
    const base = Math.min(...g.map((x) => x.baseline.rssStart));
    const sb = Math.min(...g.map((x) => x.sandbox.rssStart));
    const isBig = size === sizes[sizes.length - 1] && sizes.length > 1;
    const note = isBig && size < 1e6 ? `(at ${int(size)}, target is for 1 000 000)` : '';
    add({
      section: 'Growth',
      measure: `RSS with ${int(size)} live tokens (after fill)`,
      reference: fmt.mb(base),
      figure: fmt.mb(sb),
      ratio: fmt.x(sb / base),
      target: isBig ? '< 1 GiB' : '',
      verdict: isBig ? verdict(sb < 1024 * MB, config, note) : '',
    });
  }

  for (const p of persistence ?? []) {
    const r = p.disk.rps / p.memory.rps;
    add({
      section: 'Persistence',
      measure: `${p.label} with --db (reference: in memory)`,
      conns: p.connections,
      reference: fmt.rps(p.memory.rps),
      figure: fmt.rps(p.disk.rps),
      ratio: fmt.x(r),
      target: '≥ 0.50×',
      verdict: p.disk.valid && p.memory.valid ? verdict(r >= 0.5, config) : 'INVALID',
    });
  }

  for (const s of scaling ?? []) {
    const valid = s.memory.valid && s.redis.valid && s.workers.valid;
    const cores = (r) =>
      `${Object.entries(r.cores)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} cores`;
    const onRedis = s.redis.rps / s.memory.rps;
    const t = s.targets.redisVsMemory;
    add({
      section: 'Scaling',
      measure: `${s.label}, one process on Redis (reference: in memory)`,
      conns: s.connections,
      reference: fmt.rps(s.memory.rps),
      figure: fmt.rps(s.redis.rps),
      ratio: fmt.x(onRedis),
      target: t ? `≥ ${t.toFixed(2)}×` : '',
      verdict: !valid ? 'INVALID' : t ? verdict(onRedis >= t, config) : '',
    });
    const twice = s.workers.rps / s.redis.rps;
    const w = s.targets.workersVsSingle;
    add({
      section: 'Scaling',
      measure: `${s.label}, --workers 2 on Redis (reference: one process on Redis)`,
      conns: s.connections,
      reference: fmt.rps(s.redis.rps),
      figure: fmt.rps(s.workers.rps),
      ratio: fmt.x(twice),
      target: w ? `≥ ${w.toFixed(2)}×` : '',
      verdict: !valid ? 'INVALID' : w ? verdict(twice >= w, config) : '',
    });
    for (const [name, r] of [
      ['in memory', s.memory],
      ['on Redis', s.redis],
      ['--workers 2 on Redis', s.workers],
    ]) {
      const commands = r.roundTrips ? `; ${r.roundTrips.perRequest} Redis round trips and ${r.redisCommandsPerRequest} commands run a request` : '';
      add({
        section: 'Scaling',
        measure: `${s.label} p99, ${name} (${cores(r)}${commands})`,
        conns: s.connections,
        reference: name === 'in memory' ? '' : fmt.ms(s.memory.latency.p99),
        figure: fmt.ms(r.latency.p99),
        ratio: name === 'in memory' ? '' : fmt.x(r.latency.p99 / Math.max(s.memory.latency.p99, 0.5)),
      });
    }
  }

  if (memory) {
    const { baseline: b, sandbox: m } = memory;
    const n = int(m.requests);
    const note = m.requests < 100_000 ? `(after ${n}, target is for 100 000)` : '';
    add({
      section: 'Memory',
      measure: `RSS after ${n} router.as requests`,
      conns: config.maxConnections,
      reference: fmt.mb(b.after),
      figure: fmt.mb(m.after),
      ratio: fmt.x(m.after / b.after),
    });
    const grew = m.after - m.idle;
    add({
      section: 'Memory',
      measure: `RSS growth over those ${n} requests (from idle)`,
      conns: config.maxConnections,
      reference: `+${fmt.mb(b.after - b.idle)}`,
      figure: `+${fmt.mb(grew)}`,
      target: '≤ +50 MB',
      verdict: m.errors || b.errors ? 'INVALID' : verdict(grew <= 50 * MB, config, note),
    });
  }
  if (logins) {
    const n = int(logins.logins);
    // The live window at this rate: a day of access tokens, three of refresh tokens, a day's retention of each
    // (and the first login's pair, sent to check the flow before the flood).
    const window = logins.perDay * (2 + 4) + 2;
    add({
      section: 'Memory',
      measure: `token records after ${n} password logins over ${logins.days} simulated days (peak)`,
      conns: config.maxConnections,
      reference: '',
      figure: `${int(logins.records)} (${int(logins.peakRecords)})`,
      target: `≤ ${int(window)} (the live window)`,
      verdict: logins.errors ? 'INVALID' : verdict(logins.peakRecords <= window, config),
    });
    add({
      section: 'Memory',
      measure: `RSS after those ${n} logins (peak)`,
      conns: config.maxConnections,
      reference: '',
      figure: `${fmt.mb(logins.after)} (${fmt.mb(logins.peakRss)})`,
      target: '',
      verdict: '',
    });
  }
  if (uploads) {
    const { small, large } = uploads;
    const grew = (u) => u.peak - u.idle;
    add({
      section: 'Memory',
      measure: `RSS peak over idle during ${large.uploads} SOP uploads of a ${large.fileBytes / MB} MiB file part (reference: ${small.fileBytes / MB} MiB parts), ${large.inFlight} at a time`,
      conns: large.inFlight,
      reference: `+${fmt.mb(grew(small))}`,
      figure: `+${fmt.mb(grew(large))}`,
      ratio: fmt.x(grew(large) / Math.max(grew(small), MB)),
      // Bodies held whole would add every upload in flight (4 × 30 MiB); streamed, the growth is Node's buffer churn, as with 3 MiB.
      target: `≤ +${fmt.mb((large.inFlight * large.fileBytes) / 2)}`,
      verdict: small.errors || large.errors ? 'INVALID' : verdict(grew(large) <= (large.inFlight * large.fileBytes) / 2, config),
    });
  }
  return rows;
}

const COLUMNS = [
  ['section', 'Section'],
  ['measure', 'Measure'],
  ['conns', 'Conns'],
  ['reference', 'Baseline / reference'],
  ['figure', 'Sandbox'],
  ['ratio', 'Ratio'],
  ['target', 'Target'],
  ['verdict', 'Verdict'],
];

export function renderText(rows) {
  const widths = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map((r) => String(r[key]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i >= 2 && i <= 5 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(COLUMNS.map(([, t]) => t)), widths.map((w) => '-'.repeat(w)).join('  ')];
  let section = '';
  for (const r of rows) {
    out.push(line(COLUMNS.map(([key]) => (key === 'section' ? (r.section === section ? '' : r.section) : r[key]))));
    section = r.section;
  }
  return out.join('\n');
}

export function renderMarkdown(rows) {
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  return [
    `| ${COLUMNS.map(([, t]) => t).join(' | ')} |`,
    `|${COLUMNS.map((_, i) => (i >= 2 && i <= 5 ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map((r) => `| ${COLUMNS.map(([k]) => esc(r[k])).join(' | ')} |`),
  ].join('\n');
}
