import { keyEntry } from '../../../src/core/signing/key-entry.js';
import { parseJson } from '../../../src/core/http/params.js';
import type { Endpoint, EndpointContext, PlatformDefinition, Reply } from '../../../src/core/platform.js';
import { platformPolicy } from '../../../src/core/tokens/policy.js';
import { ACME_ERRORS, refuse, renderAcmeError } from './errors.js';
import type { AcmeFixture } from './fixture.js';

/**
 * A made-up fifth platform, all in this folder: JSON in, JSON out, one token endpoint whose body
 * names an `op` (its business method), one resource endpoint, an admin route and a key pair.
 */
type Index = { clients: Map<string, string> };
type Params = Record<string, string>;
type Ctx = EndpointContext<AcmeFixture, Index>;

const json = (data: unknown): Reply => ({ status: 200, contentType: 'application/json', body: JSON.stringify(data), data });

function readJson(req: { rawBody: Buffer | undefined }): Params {
  const parsed = parseJson(req.rawBody?.toString('utf8') || '{}');
  if (!parsed.ok || parsed.value === null || typeof parsed.value !== 'object') throw refuse('bad_client', '(no JSON body)');
  return parsed.value as Params;
}

const token: Endpoint<AcmeFixture, Index, Params> = {
  method: 'POST',
  path: '/acme/token',
  name: 'token',
  tags: ['oauth', 'token'],
  parse: readJson,
  async handle(p, ctx: Ctx) {
    const secret = ctx.index.clients.get(p.client);
    if (secret === undefined) throw refuse('bad_client', p.client);
    if (secret !== p.secret) throw refuse('bad_secret');
    const pair = await ctx.world.tokens.issuePair({ platform: 'acme', appId: p.client, subject: 'someone' });
    return json({ ok: true, token: pair.access.value, refresh: pair.refresh.value });
  },
};

const me: Endpoint<AcmeFixture, Index, Params> = {
  method: 'GET',
  path: '/acme/me',
  name: 'me',
  tags: ['resource'],
  parse: (req) => req.query,
  async handle(p, ctx: Ctx) {
    const access = await ctx.world.tokens.checkAccess('acme', p.token ?? '');
    if (!access.ok) throw refuse('bad_token');
    return json({ ok: true, subject: access.value.subject });
  },
};

export const acme: PlatformDefinition<AcmeFixture, { hits: number }, Index> = {
  id: 'acme',
  title: 'Acme (a platform of a test)',
  loadFixtureSchema: async () => (await import('./fixture.js')).acmeFixtureSchema,
  index: (fixture) => ({ clients: new Map(fixture.clients.map((c) => [c.id, c.secret])) }),
  endpoints: [token, me],
  contextPaths: () => [],
  basePolicy: platformPolicy({ code: 60, access: 120, refresh: 600, temp: null }),
  initialState: () => ({ hits: 0 }),
  summary: (fixture, baseUrl) => ({
    id: 'acme',
    title: 'Acme (a platform of a test)',
    baseUrls: [`${baseUrl}/acme`],
    credentials: fixture.clients.map((c) => ({ label: 'client / secret', value: `${c.id} / ${c.secret}` })),
  }),
  errors: { kinds: ACME_ERRORS.kinds, render: renderAcmeError },
  methodOf: (params) => (params as Params | undefined)?.op,
  methodTags: { rotate: ['refresh'] },
  signing: {
    actions: ['token'],
    defaultAction: 'token',
    options: { client: 'acme: the client id' },
    sign: (fixture, _action, input) => {
      const client = fixture.clients.find((c) => c.id === (input.client ?? fixture.clients[0]?.id));
      if (!client) throw new Error('acme: no such client');
      return {
        about: `acme client ${client.id}`,
        values: { secret: client.secret },
        request: { method: 'POST', path: '/acme/token', json: { client: client.id, secret: client.secret } },
      };
    },
  },
  keys: (fixture) =>
    fixture.keys
      ? [
          keyEntry('acme', 'platform', 'public', 'verify Acme answers with it', fixture.keys.publicKey),
          keyEntry('acme', 'platform', 'private', 'Acme signs with it', fixture.keys.privateKey),
        ]
      : [],
  admin: [
    {
      method: 'POST',
      path: '/hit',
      summary: 'Count a hit in the platform state',
      example: {},
      async handle({ world }) {
        return { hits: await world.updateState<{ hits: number }, number>('acme', (s) => ++s.hits) };
      },
    },
  ],
};
