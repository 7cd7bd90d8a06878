import type { z } from 'zod';
import type { SandboxControl } from '../../control/service.js';
import type { AnyPlatform, PlatformAdminRoute } from '../../core/platform.js';
import type { World } from '../../core/world.js';
import type { ControlRoute } from '../control-route.js';
import { parseInput } from '../inputs/parse.js';
import { errorResponse, json } from '../openapi-parts.js';

/** What platforms add under /__sandbox/<id>/, as routes of the same table (validated and described alike). */
export async function platformRoutes(platforms: readonly AnyPlatform[], world: World, control: SandboxControl): Promise<ControlRoute[]> {
  const out: ControlRoute[] = [];
  for (const platform of platforms) {
    for (const route of (platform.admin ?? []) as PlatformAdminRoute[]) {
      // A body schema may name what the fixture holds; the one for the current fixtures describes the route.
      const schemas = new WeakMap<object, z.ZodType>();
      const schemaFor = async (fixture: unknown): Promise<z.ZodType> => {
        let schema = schemas.get(fixture as object);
        if (!schema) schemas.set(fixture as object, (schema = await route.body!(fixture)));
        return schema;
      };
      const described = route.body ? await schemaFor(world.fixture(platform.id)) : undefined;
      const words = `${route.method.toLowerCase()}${route.path}`.split(/[^A-Za-z0-9]+/).filter(Boolean);
      out.push({
        method: route.method.toLowerCase() as 'get' | 'post',
        path: `/${platform.id}${route.path}`,
        operationId: platform.id + words.map((w) => w[0].toUpperCase() + w.slice(1)).join(''),
        summary: `${platform.id}: ${route.summary}`,
        world: true,
        body: described ? { schema: () => described, example: route.example } : undefined,
        responses: {
          '200': json('The answer', { type: 'object' }),
          ...(route.body ? { '400': errorResponse('invalid_request: the body is not what the route takes (the message says what is)') } : {}),
          '404': errorResponse('unknown_session, or what the body names does not exist (the message lists what does)'),
        },
        async handle({ world: w, body }) {
          const input = route.body ? parseInput(await schemaFor(w.fixture(platform.id)), body) : body;
          return control.runPlatformRoute(w, platform, route, input);
        },
      });
    }
  }
  return out;
}
