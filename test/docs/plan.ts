import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, where, type Block } from './markdown.js';

/**
 * What the docs test does with each block of a page, in page order. Every block ends up in exactly one
 * step: run (alone or as part of a program continued over several blocks), written as a file, validated,
 * compared as output, or not run because its marker says so. A block the test cannot run and that is not
 * marked becomes an `error` step, which fails.
 */
export type Step =
  | { kind: 'shell'; blocks: Block[] }
  | { kind: 'program'; language: 'js' | 'ts'; blocks: Block[] }
  | { kind: 'server'; blocks: [Block] }
  | { kind: 'file'; path: string; blocks: [Block] }
  | { kind: 'json'; blocks: [Block] }
  | { kind: 'output'; blocks: [Block]; exit: number; stream: 'stdout' | 'stderr'; of: Step }
  | { kind: 'not-run'; blocks: [Block]; reason: string }
  | { kind: 'delegated'; blocks: [Block]; by: string }
  | { kind: 'error'; blocks: [Block]; problem: string };

/** The test that runs the blocks marked `<!-- recipe: <name>/<file> -->`, and the page it reads them from. */
export const RECIPE_RUNNERS: Record<string, { test: string; page: string }> = {
  jest: { test: 'test/packaging/jest-recipe.test.ts', page: 'docs/in-process.md' },
  java: { test: 'test/clients/verify-java.test.ts', page: 'docs/verify.md' },
};

const HOW_TO_MARK = 'mark it (see docs/doc-tests.md): <!-- doc-test: skip REASON --> on the line above, or ```text if it is not code';

export function planPage(blocks: Block[]): Step[] {
  const steps: Step[] = [];
  /** The step the next `continue` or `output` block refers to. */
  let last: Step | undefined;
  for (const block of blocks) {
    const m = block.marker;
    const push = (step: Step) => {
      steps.push(step);
      return step;
    };
    if (m.kind === 'invalid') {
      push({ kind: 'error', blocks: [block], problem: `bad marker: ${m.problem}` });
      continue;
    }
    if (m.kind === 'recipe') {
      const runner = RECIPE_RUNNERS[m.recipe];
      const ok =
        runner &&
        runner.page === block.page &&
        existsSync(join(ROOT, runner.test)) &&
        readFileSync(join(ROOT, runner.test), 'utf8').includes(`'${runner.page.split('/').pop()}'`);
      push(
        ok
          ? { kind: 'delegated', blocks: [block], by: runner.test }
          : { kind: 'error', blocks: [block], problem: `no test runs recipe "${m.recipe}" of ${block.page}` },
      );
      continue;
    }
    if (m.kind === 'skip') {
      push({ kind: 'not-run', blocks: [block], reason: m.reason });
      continue;
    }
    if (m.kind === 'output') {
      const runnable = last && (last.kind === 'shell' || last.kind === 'program');
      if (!runnable || steps[steps.length - 1] !== last)
        push({ kind: 'error', blocks: [block], problem: 'an output block must come right after the shell block or program whose output it shows' });
      else push({ kind: 'output', blocks: [block], exit: m.exit, stream: m.stream, of: last as Step });
      continue;
    }
    if (m.kind === 'continue') {
      const prev = steps[steps.length - 1];
      const same = prev && ((prev.kind === 'shell' && block.language === 'shell') || (prev.kind === 'program' && prev.language === block.language));
      if (!same) push({ kind: 'error', blocks: [block], problem: `"continue" must follow a ${block.info} block that it continues` });
      else prev.blocks.push(block);
      continue;
    }
    if (m.kind === 'file') {
      last = push({ kind: 'file', path: m.path, blocks: [block] });
      continue;
    }
    if (m.kind === 'server') {
      last = push(
        block.language === 'shell' ? { kind: 'server', blocks: [block] } : { kind: 'error', blocks: [block], problem: 'a server block is a shell command' },
      );
      continue;
    }
    switch (block.language) {
      case 'shell':
        last = push({ kind: 'shell', blocks: [block] });
        break;
      case 'js':
      case 'ts':
        last = push({ kind: 'program', language: block.language, blocks: [block] });
        break;
      case 'json':
        last = push({ kind: 'json', blocks: [block] });
        break;
      case 'text':
        push({ kind: 'not-run', blocks: [block], reason: 'text: not code' });
        break;
      default:
        push({ kind: 'error', blocks: [block], problem: `the docs test cannot run a \`\`\`${block.info || '(no language)'} block; ${HOW_TO_MARK}` });
    }
  }
  return steps;
}

export function describeStep(step: Step): string {
  const first = step.blocks[0];
  const lines = step.blocks.map((b) => b.line).join(', ');
  const at = `${first.page}:${lines}`;
  switch (step.kind) {
    case 'shell':
      return `${at} shell`;
    case 'program':
      return `${at} ${step.language === 'ts' ? 'TypeScript' : 'JavaScript'} program${step.blocks.length > 1 ? ` (${step.blocks.length} blocks)` : ''}`;
    case 'server':
      return `${at} starts a sandbox`;
    case 'file':
      return `${at} file ${step.path}`;
    case 'json':
      return `${at} JSON`;
    case 'output':
      return `${at} is the ${step.stream} of ${where(step.of.blocks[step.of.blocks.length - 1] as Block)}${step.exit ? `, exit ${step.exit}` : ''}`;
    case 'not-run':
      return `${at} not run: ${step.reason}`;
    case 'delegated':
      return `${at} run by ${step.by}`;
    case 'error':
      return `${at} cannot run`;
  }
}
