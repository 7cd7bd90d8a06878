import { installedPackage } from '../packaging/support/installed.js';
import { consumerProject, type ConsumerProject } from './consumer.js';
import { docPages, pageBlocks } from './markdown.js';
import { describeStep, planPage, type Step } from './plan.js';
import { needsPageSandbox, PageRun, usesRedis } from './run-page.js';

/**
 * Docs are tests: every fenced block of README.md and docs/**\/*.md runs as written (docs/doc-tests.md says
 * how), in a project that installed the packed package, each page against a sandbox of its own. The pages are
 * dealt to a few test files (examples-1.test.ts, ...), so that Jest's workers share the longest part of the suite.
 */

export function docExamples(part: number, parts: number): void {
  let project: ConsumerProject | undefined;

  beforeAll(async () => {
    project = await consumerProject(await installedPackage());
  }, 300_000);
  afterAll(() => {
    project?.dispose();
  });

  for (const page of docPages().filter((_, i) => i % parts === part)) {
    const steps = planPage(pageBlocks(page));
    const tested = steps.filter((s) => s.kind !== 'not-run' && s.kind !== 'delegated');
    if (tested.length === 0) continue;
    describe(page, () => {
      let run: PageRun | undefined;
      beforeAll(async () => {
        run = new PageRun(project as ConsumerProject, page);
        await run.start({ redis: steps.some((s) => 'blocks' in s && s.blocks.some((b) => usesRedis(b.code))), sandbox: needsPageSandbox(tested) });
      }, 60_000);
      afterAll(() => run?.stop());
      tested.forEach((step: Step, i) => {
        test(describeStep(step), () => (run as PageRun).runStep(step, tested[i + 1]), 120_000);
      });
      if (steps.some((s) => (s.kind === 'program' && s.language === 'ts') || (s.kind === 'file' && /\.[cm]?ts$/.test(s.path)))) {
        test(`${page}: its TypeScript type-checks against the installed package`, () => (run as PageRun).typecheck(), 120_000);
      }
    });
  }
}
