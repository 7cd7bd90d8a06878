import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ControlDeps, SandboxControl } from './control/service.js';
import { loadValidators } from './core/validation/lazy-schemas.js';

/** The control plane as node:http sees it (an Express app; its types stay inside the package). */
export type ControlApp = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The control service and the Express control plane over it, each loaded on first use: serving the platforms
 * and answering /__sandbox/health need neither, so a start does not pay for zod, the schemas or Express. The
 * control plane and the in-process API both load the service through here.
 */
export class LazyControl {
  private servicePromise?: Promise<SandboxControl>;
  private serviceValue?: SandboxControl;
  private appPromise?: Promise<ControlApp>;

  constructor(
    private readonly deps: ControlDeps,
    private readonly buildApp: (control: SandboxControl) => Promise<ControlApp>,
  ) {}

  load(): Promise<SandboxControl> {
    this.servicePromise ??= loadValidators(this.deps.platforms)
      .then(() => import('./control/service.js'))
      .then((m) => (this.serviceValue = new m.SandboxControl(this.deps)));
    return this.servicePromise;
  }

  /** The control service, once load() has resolved. */
  get service(): SandboxControl {
    // Reaching this first means an entry point forgot to await loadControl(): a bug of ours.
    if (!this.serviceValue) throw new Error('internal error: the control service was used before it was loaded (await loadControl() first)');
    return this.serviceValue;
  }

  app(): Promise<ControlApp> {
    this.appPromise ??= this.load().then((control) => this.buildApp(control));
    return this.appPromise;
  }
}
