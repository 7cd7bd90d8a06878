import type { ControlRoute } from './control-route.js';
import { DASHBOARD_ROUTES } from './routes/dashboard.js';
import { FAULT_ROUTES } from './routes/faults.js';
import { PARITY_ROUTE } from './routes/parity.js';
import { REQUEST_ROUTES } from './routes/requests.js';
import { SCENARIO_ROUTES } from './routes/scenarios.js';
import { SESSION_ROUTES } from './routes/sessions.js';
import { PLATFORMS_ROUTE, STATUS_ROUTES } from './routes/status.js';
import { TOKEN_STORY_ROUTE } from './routes/token-story.js';
import { TOKEN_ROUTES } from './routes/tokens.js';
import { CLOCK_ROUTES, EXPORT_ROUTE, RESET_ROUTE } from './routes/world.js';

export { TOKEN_EXAMPLE } from './routes/tokens.js';

/**
 * The control plane's own routes, under /__sandbox (and /s/<session>/__sandbox), one concern a file in
 * routes/. Platforms add theirs (routes/platform.ts). The order is part of the interface: the 404
 * answer lists the routes in it and the OpenAPI document follows it.
 */
export const CONTROL_ROUTES: readonly ControlRoute[] = [
  ...STATUS_ROUTES,
  ...DASHBOARD_ROUTES,
  PLATFORMS_ROUTE,
  ...CLOCK_ROUTES,
  ...REQUEST_ROUTES,
  ...TOKEN_ROUTES,
  TOKEN_STORY_ROUTE,
  PARITY_ROUTE,
  RESET_ROUTE,
  ...SCENARIO_ROUTES,
  ...FAULT_ROUTES,
  ...SESSION_ROUTES,
  EXPORT_ROUTE,
];
