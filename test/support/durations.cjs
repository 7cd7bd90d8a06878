#!/usr/bin/env node
// Writes test/support/durations.json (seconds per test file, the order a fresh machine starts them in; see
// sequencer.cjs) from the JSON report of a whole run:
//   node --experimental-vm-modules node_modules/jest/bin/jest.js --json --outputFile=run.json
//   node test/support/durations.cjs run.json
const { readFileSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const seconds = report.testResults
  .map((r) => [relative(ROOT, r.name).split('\\').join('/'), Math.round((r.endTime - r.startTime) / 100) / 10])
  .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
writeFileSync(join(__dirname, 'durations.json'), `${JSON.stringify(Object.fromEntries(seconds), null, 2)}\n`);
process.stdout.write(`${seconds.length} files\n`);
