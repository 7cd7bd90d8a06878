import type { Request, Router } from 'express';
import type { Journal } from '../core/journal.js';
import type { z } from 'zod';
import type { SandboxControl } from '../control/service.js';
import type { World } from '../core/world.js';

/** What a control-plane handler sees: the control service, the world the request names, its inputs. */
export interface RouteContext {
  control: SandboxControl;
  /** The world the request addresses (`/s/<id>/__sandbox/…` or the session header); resolved before the handler runs. */
  world: World;
  body: unknown;
  query: Record<string, unknown>;
  params: Record<string, string>;
  /** The control plane's own URL as this client reached it (for session URLs). */
  baseUrl: string;
  /** The OpenAPI document of every route, as this client reached the sandbox. */
  describe(): Record<string, unknown>;
}

/** An answer that is not JSON data: a status with no body, or a text with its type. */
export interface RawAnswer {
  raw: true;
  status: number;
  type?: string;
  text?: string;
}

/**
 * One control-plane route, as data: Express mounts it, the OpenAPI document describes it, and the
 * 404 answer lists it, all from this one entry. A handler returns the answer's data (or a RawAnswer)
 * and throws ControlError or LoadError for refusals, rendered in one place.
 */
export interface ControlRoute {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI-style path under /__sandbox, e.g. '/tokens/{value}/{action}'. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** Acts on one world: the session parameter applies (and an unknown session is a 404). */
  world?: boolean;
  /** The JSON body it takes: a zod schema (OpenAPI is generated from it) or a component reference, and an example that works. */
  body?: { schema: () => z.ZodType | { $ref: string }; example: unknown; required?: boolean };
  /** Query and path parameters, as OpenAPI parameter objects. */
  parameters?: Record<string, unknown>[];
  /** OpenAPI responses: the success one first. */
  responses: Record<string, unknown>;
  /** Success status when it is not 200. */
  status?: number;
  handle?(ctx: RouteContext): unknown;
  /** Routes that answer by themselves (a stream, static files) mount their own handler. */
  mount?(router: Router, expressPath: string, deps: MountDeps): void;
}

/** What self-mounting routes may need. */
export interface MountDeps {
  worldOf: (req: Request) => World;
  journal: Journal;
  /** Called once when the sandbox starts closing (streams end then). */
  onClose(listener: () => void): void;
}

/** '/tokens/{value}/{action}' → '/tokens/:value/:action' */
export const expressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');
