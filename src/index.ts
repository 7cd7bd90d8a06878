export { Sandbox, VERSION } from './sandbox.js';
export type { SandboxOptions } from './core/config/sandbox-options.js';
export type { JournalEntry, JournalFilter } from './core/journal.js';
export type { RequestMatch, ValueMatcher, MatchFailure } from './core/matching/request-match.js';
export type { Expectation, Verification, NearMiss } from './core/matching/verify.js';
export type { TokenRecord, TokenState } from './core/state/token-record.js';
export type { LifecyclePolicy, PolicyOverride } from './core/tokens/policy.js';
export type { Scenario, FaultRule, SeedToken } from './core/scenarios/schema.js';
export type { ScenarioRef } from './core/scenarios/loader.js';
export type { ScenarioView, FaultView } from './core/scenarios/runtime.js';
export { mantunClientSecret, mantunSign, mantunTimestamp } from './platforms/mantun/signing.js';
export type { PlatformDefinition, Endpoint, EndpointContext, PlatformRequest, Reply } from './core/platform.js';
export { ProtocolError, refuse, refusals, defineCatalogue, type Refuse, type WithCoreKinds } from './core/errors/protocol-error.js';
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

export type { RunningSandbox, SandboxClock, SandboxSession, ScenarioControl, SessionControl } from './in-process/api.js';
export { startSandbox } from './in-process/start.js';
