import type { JournalEntry, JournalFilter } from './core/journal.js';
import type { SandboxControl } from './control/service.js';
import type { ScenarioRef } from './core/scenarios/loader.js';
import type { ScenarioView } from './core/scenarios/runtime.js';
import type { FaultRule, Scenario } from './core/scenarios/schema.js';
import type { World } from './core/world.js';
import { Sandbox, type SandboxOptions } from './sandbox.js';

export { Sandbox, VERSION, type SandboxOptions } from './sandbox.js';
export type { JournalEntry, JournalFilter } from './core/journal.js';
export type { TokenRecord, TokenState } from './core/state/token-record.js';
export type { LifecyclePolicy, PolicyOverride } from './core/tokens/policy.js';
export type { Scenario, FaultRule, SeedToken } from './core/scenarios/schema.js';
export type { ScenarioRef } from './core/scenarios/loader.js';
export type { ScenarioView, FaultView } from './core/scenarios/runtime.js';
export { mantunClientSecret, mantunSign, mantunTimestamp } from './platforms/mantun/signing.js';
export type { PlatformDefinition, Endpoint, EndpointContext, PlatformRequest, Reply } from './core/platform.js';
export { ProtocolError, refuse, defineCatalogue } from './core/errors/protocol-error.js';
export { ControlError } from './core/errors/control-error.js';
export { signSopRequest, sopSignContent, sopTimestamp, verifySopResponse, type SopResponseCheck, type SopSignType } from './platforms/sop/signing.js';
export { usercenterMd5Password, usercenterShaPassword } from './platforms/usercenter/signing.js';
export {
  zjrcClientSign,
  zjrcRequest,
  zjrcSign,
  zjrcSignContent,
  zjrcTimestamp,
  zjrcVerifyResponse,
  type ZjrcRequestOptions,
} from './platforms/zjrc/signing.js';

export interface SandboxClock {
  /** Sandbox time, epoch milliseconds. */
  now(): number;
  /** Move time forward ("1h", "30m", "3601s", or milliseconds as a number). */
  advance(by: string | number): number;
  set(to: Date | number | string): number;
  setRate(rate: number): void;
}

/** The scenarios of one world (the sandbox's, or a session's). */
export interface ScenarioControl {
  /** Replace the active scenarios: built-in names, file paths or inline objects; later ones win field by field. */
  use(...scenarios: ScenarioRef[]): Promise<ScenarioView>;
  /** Lay scenarios over the active ones. */
  add(...scenarios: ScenarioRef[]): Promise<ScenarioView>;
  /** Back to the fixtures only. */
  clear(): Promise<ScenarioView>;
  active(): ScenarioView;
  /** Arm one fault rule over everything active; returns its id (what the journal records). */
  fault(rule: FaultRule): string;
  /** A scenario file with the state, clock and active rules: load it elsewhere to get the same answers. */
  export(name?: string): Promise<Scenario>;
}

/** An isolated session: its own tokens, clock and scenario, reached at `url` or with `headers`. */
export interface SandboxSession {
  id: string;
  /** Base URL of every platform in this session (`<sandbox url>/s/<id>`). */
  url: string;
  /** Or send these headers to the sandbox's own URL. */
  headers: Record<string, string>;
  clock: SandboxClock;
  scenario: ScenarioControl;
  /** This session's part of the request journal. */
  requests(filter?: Omit<JournalFilter, 'session'>): JournalEntry[];
  /** End the session. */
  close(): Promise<void>;
}

export interface SessionControl {
  create(options?: { id?: string; scenario?: ScenarioRef | ScenarioRef[] }): Promise<SandboxSession>;
  get(id: string): SandboxSession | undefined;
  list(): string[];
}

export interface RunningSandbox {
  url: string;
  port: number;
  clock: SandboxClock;
  /** `await sb.scenario.use('rotation-strict')` */
  scenario: ScenarioControl;
  /** `const s = await sb.sessions.create({ scenario: 'expiry-fast' })`, then point the client at `s.url`. */
  sessions: SessionControl;
  requests(filter?: JournalFilter): JournalEntry[];
  reset(): Promise<void>;
  /** Re-read fixture files and active scenario files, keeping tokens; throws (and changes nothing) on a bad file. */
  reload(): { fixtures: string[]; scenarios: string[] };
  close(): Promise<void>;
  /** The underlying server object, for what this facade does not cover. */
  sandbox: Sandbox;
}

/**
 * The clock of one world over the control service: the same checks and the same durable, announced
 * moves as POST /__sandbox/clock. Numbers given to advance() are milliseconds (the HTTP body's are
 * seconds); a move under --db is written out in the background (close() waits for it).
 */
function clockControl(control: SandboxControl, world: World): SandboxClock {
  const move = (change: Record<string, unknown>): number => {
    const moved = control.moveClock(world, change);
    moved.durable.catch(() => undefined);
    return moved.view.epochMs;
  };
  return {
    now: () => world.clock.now(),
    advance: (by) => move({ advance: typeof by === 'number' ? `${by}ms` : by }),
    set: (to) => move({ set: to instanceof Date ? to.getTime() : to }),
    setRate: (rate) => {
      move({ rate });
    },
  };
}

function scenarioControl(control: SandboxControl, world: World): ScenarioControl {
  const use = (refs: ScenarioRef[], add: boolean) => control.useScenario(world, refs, { refs: true, add, allowPaths: true });
  return {
    use: (...refs) => use(refs, false),
    add: (...refs) => use(refs, true),
    clear: () => control.clearScenario(world),
    active: () => world.scenarios.view(),
    fault: (rule) => control.armFault(world, rule, 'fault rule').fault.id,
    export: (name) => control.export(world, name),
  };
}

function sessionControl(sandbox: Sandbox, control: SandboxControl): SessionControl {
  const wrap = (id: string, world: World): SandboxSession => ({
    id,
    url: `${sandbox.url}/s/${id}`,
    headers: { 'X-Sandbox-Session': id },
    clock: clockControl(control, world),
    scenario: scenarioControl(control, world),
    requests: (filter) => sandbox.journal.list({ ...filter, session: id }),
    close: async () => {
      await sandbox.sessions.delete(id);
    },
  });
  return {
    create: async (options = {}) => {
      const { session } = await control.createSession(options, sandbox.url, { allowPaths: true });
      return wrap(session.id, session.world);
    },
    get: (id) => {
      const session = sandbox.sessions.get(id);
      return session && wrap(id, session.world);
    },
    list: () => sandbox.sessions.known().map((s) => s.id),
  };
}

/** Start a sandbox in this process, e.g. from a Jest globalSetup: `await startSandbox({ port: 0 })`. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const sandbox = await Sandbox.create({ port: 0, ...options, validateOnDemand: false });
  const control = await sandbox.loadControl();
  const { port } = await sandbox.listen();
  return {
    url: sandbox.url,
    port,
    sandbox,
    clock: clockControl(control, sandbox.world),
    scenario: scenarioControl(control, sandbox.world),
    sessions: sessionControl(sandbox, control),
    requests: (filter) => sandbox.journal.list(filter),
    reset: async () => {
      await control.reset(sandbox.world);
    },
    reload: () => sandbox.reload(),
    close: () => sandbox.close(),
  };
}
