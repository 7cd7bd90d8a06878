/**
 * What `start --detach` and the sandbox it starts in the background tell each other. The environment
 * marks the background process: it serves (rather than detach again), reports over IPC, and has no
 * parent to follow.
 */
export const DETACHED_ENV = 'OAUTH_SANDBOX_DETACHED';
/** Where its output goes, for the run record (health names the log when it died). */
export const DETACHED_LOG_ENV = 'OAUTH_SANDBOX_DETACHED_LOG';

export type ChildMessage =
  /** `tls`: the certificate and CA (as the JSON ready line has them) and, in `trust`, the banner's lines on trusting them. */
  | { type: 'ready'; url: string; httpsUrl?: string; pid: number; dashboard: string; tls?: Record<string, unknown> & { trust: string[] } }
  | { type: 'failed'; message: string };

export const isDetachedChild = (env: NodeJS.ProcessEnv = process.env): boolean => env[DETACHED_ENV] === '1';

export const tellParent = (message: ChildMessage): void => {
  process.send?.(message);
};
