import { ProtocolError, refuse } from '../../../src/core/errors/protocol-error.js';
import { loadFixtures } from '../../../src/core/fixtures/loader.js';
import type { AnyPlatform, Endpoint, RenderContext, Reply } from '../../../src/core/platform.js';
import { createRandom } from '../../../src/core/random/seeded-random.js';
import type { World } from '../../../src/core/world.js';
import { PLATFORMS } from '../../../src/platforms/index.js';
import { MANTUN_ERRORS } from '../../../src/platforms/mantun/errors.js';
import { mantun } from '../../../src/platforms/mantun/index.js';
import { CODE_MSGS, SOP_ERRORS, SOP_LOGIN_ERRORS, SOP_PAGE_ERRORS, SOP_TOKEN_ERRORS } from '../../../src/platforms/sop/errors.js';
import { sop } from '../../../src/platforms/sop/index.js';
import { USERCENTER_ERRORS } from '../../../src/platforms/usercenter/errors.js';
import { usercenter } from '../../../src/platforms/usercenter/index.js';
import { ZJRC_ERRORS } from '../../../src/platforms/zjrc/errors.js';
import { zjrc } from '../../../src/platforms/zjrc/index.js';

/**
 * Every kind a platform says it renders (what fault rules may ask for) goes through its one renderer on
 * every surface its endpoints declare, without a throw: the status, the body's shape and the catalogue's
 * text with the detail filled in. A kind added to a catalogue without a renderer branch fails here.
 */

const DETAIL = 'DETAIL-42';
const loaded = await loadFixtures(PLATFORMS);
// The renderers read only the world's generator (SOP's request_id): the rest of a world is not needed.
const world = { random: createRandom('unit') } as unknown as World;

function render(platform: AnyPlatform, error: ProtocolError, endpoint: Endpoint, fixture = loaded.data[platform.id], params?: unknown): Reply {
  const ctx: RenderContext = { world, fixture, index: platform.index(fixture), endpoint, params };
  return platform.errors.render(error, ctx);
}

/** One endpoint per surface the platform declares. */
function bySurface(platform: AnyPlatform): Map<string, Endpoint> {
  const out = new Map<string, Endpoint>();
  for (const e of platform.endpoints) if (!out.has(e.surface ?? '')) out.set(e.surface ?? '', e);
  return out;
}

const filled = (text: string) => text.replace('{detail}', DETAIL);
const json = (reply: Reply) => JSON.parse(reply.body) as Record<string, any>;

test('every platform endpoint declares its surface where the platform has several', () => {
  for (const platform of [mantun, sop, zjrc]) {
    const missing = platform.endpoints.filter((e) => e.surface === undefined).map((e) => e.name);
    expect({ platform: platform.id, missing }).toEqual({ platform: platform.id, missing: [] });
  }
  expect([...bySurface(mantun).keys()].sort()).toEqual(['api', 'login']);
  expect([...bySurface(sop).keys()].sort()).toEqual(['gateway', 'page']);
  expect([...bySurface(zjrc).keys()].sort()).toEqual(['gateway', 'page']);
});

test.each(PLATFORMS.map((p) => [p.id, p] as const))(
  '%s: every kind renders on every surface, without a throw and without a {placeholder} left',
  (_id, platform) => {
    for (const [surface, endpoint] of bySurface(platform)) {
      for (const kind of platform.errors.kinds) {
        let reply: Reply | undefined;
        expect(() => (reply = render(platform, refuse(kind, DETAIL, { encoding: 'hex' }), endpoint))).not.toThrow();
        expect({ surface, kind, status: reply!.status >= 200 && reply!.status < 600 }).toEqual({ surface, kind, status: true });
        expect(reply!.body).not.toMatch(/\{(detail|encoding)\}/);
      }
    }
  },
);

describe('Mantun', () => {
  const api = bySurface(mantun).get('api')!;
  const login = bySurface(mantun).get('login')!;

  test('each catalogue kind: {"success":false,"code","message"} with the detail, HTTP 200 unless the entry says', () => {
    for (const kind of MANTUN_ERRORS.kinds) {
      const e = MANTUN_ERRORS.entries[kind];
      const reply = render(mantun, refuse(kind, DETAIL), api);
      expect([kind, reply.status, json(reply)]).toEqual([kind, e.status ?? 200, { success: false, code: e.code, message: filled(e.message) }]);
    }
  });

  test('callback_url_missing is the fixture\'s own text; the login surface alone may say success "false" as a string', () => {
    const cb = render(mantun, refuse('callback_url_missing'), api);
    expect([cb.status, cb.body]).toEqual([400, 'OAuth callback url needs to be provided!']);
    const stringly = { ...(loaded.data.mantun as object), authverifyFailureSuccess: 'string' };
    expect(json(render(mantun, refuse('invalid_credentials'), login, stringly)).success).toBe('false');
    expect(json(render(mantun, refuse('invalid_credentials'), api, stringly)).success).toBe(false);
    expect(json(render(mantun, refuse('invalid_credentials'), login)).success).toBe(false);
  });
});

test('UserCenter: each kind {"status","msg"} plus code where the entry has one, with the detail, HTTP 200 unless the entry says', () => {
  const [endpoint] = usercenter.endpoints;
  for (const kind of USERCENTER_ERRORS.kinds) {
    const e = USERCENTER_ERRORS.entries[kind];
    const reply = render(usercenter, refuse(kind, DETAIL), endpoint);
    const body: Record<string, unknown> = { status: e.status, msg: filled(e.msg) };
    if (e.code !== undefined && e.code !== null) body.code = e.code;
    expect([kind, reply.status, json(reply)]).toEqual([kind, e.httpStatus ?? 200, body]);
  }
});

describe('SOP', () => {
  const REQUEST_ID = expect.stringMatching(/^[0-9a-f]{32}$/);
  const gateway = bySurface(sop).get('gateway')!;
  const page = bySurface(sop).get('page')!;

  test("each sub_code on the gateway: its node under error_response, in Chinese, signed for a known app (a method's own parameter error with a request_id)", () => {
    for (const kind of SOP_ERRORS.kinds) {
      const e = SOP_ERRORS.entries[kind];
      const reply = render(sop, refuse(kind), gateway, undefined, { app_id: '2019032617262200001' });
      const body = json(reply);
      const node = { code: e.code, msg: CODE_MSGS[e.code].zh, sub_code: kind, sub_msg: e.zh };
      expect([kind, reply.status, body.error_response]).toEqual([kind, 200, kind === 'isv.invalid-parameter' ? { ...node, request_id: REQUEST_ID } : node]);
      expect(typeof body.sign).toBe('string');
    }
  });

  test('each token error inside the method node (code 10000, a request_id); the page refusal as JSON with its status', () => {
    for (const kind of SOP_TOKEN_ERRORS.kinds) {
      const reply = render(sop, refuse(kind), gateway, undefined, { method: 'open.auth.token.app' });
      expect([kind, reply.status, json(reply).open_auth_token_app_response]).toEqual([
        kind,
        200,
        {
          code: '10000',
          msg: 'Success',
          error: kind,
          error_description: SOP_TOKEN_ERRORS.entries[kind].error_description,
          expires_in: -1,
          re_expires_in: -1,
          request_id: REQUEST_ID,
        },
      ]);
    }
    for (const kind of SOP_PAGE_ERRORS.kinds) {
      const e = SOP_PAGE_ERRORS.entries[kind];
      const reply = render(sop, refuse(kind), page);
      expect([reply.status, json(reply)]).toEqual([e.status, { error: kind, error_description: e.error_description }]);
    }
  });

  test('each login refusal: the form again (200, HTML) with its text, filled from the post', () => {
    for (const kind of SOP_LOGIN_ERRORS.kinds) {
      const reply = render(sop, refuse(kind), page, undefined, { client_id: '2019032617262200001', redirect_uri: 'http://x/cb', username: 'who' });
      expect([kind, reply.status, reply.contentType]).toEqual([kind, 200, 'text/html;charset=UTF-8']);
      expect(/<p class="error" role="alert">([^<]*)<\/p>/.exec(reply.body)?.[1]).toBe(SOP_LOGIN_ERRORS.entries[kind].message);
      expect(reply.body).toContain('name="username" value="who"');
    }
  });

  test('the core body refusals: the error node on the gateway, plain text on the pages', () => {
    expect([render(sop, refuse('body_too_large'), gateway).status, json(render(sop, refuse('body_too_large'), gateway)).error_response.sub_code]).toEqual([
      413,
      'isp.unknown-error',
    ]);
    const text = render(sop, refuse('unreadable_body'), page);
    expect([text.status, text.body]).toEqual([400, 'request body could not be read']);
  });
});

describe('ZJRC', () => {
  const gateway = bySurface(zjrc).get('gateway')!;
  const page = bySurface(zjrc).get('page')!;
  const fields = (loaded.data.zjrc as { fields: Record<string, string> }).fields;
  const errorText = (html: string) => /<p class="error" id="error">([^<]*)<\/p>/.exec(html)?.[1];

  test('each kind on the gateway: business kinds as bizCode and bizMsg under the success code, the others as code and msg', () => {
    for (const kind of ZJRC_ERRORS.kinds) {
      const e = ZJRC_ERRORS.entries[kind];
      const reply = render(zjrc, refuse(kind, DETAIL, { encoding: 'hex' }), gateway);
      const body = json(reply);
      const message = filled(e.message).replace('{encoding}', 'hex');
      expect([kind, reply.status]).toEqual([kind, e.status ?? 200]);
      if (e.layer === 'business') expect([kind, body[fields.bizCode], body[fields.bizMsg]]).toEqual([kind, e.code, message]);
      else expect([kind, body[fields.code], body[fields.msg], body[fields.bizCode]]).toEqual([kind, e.code, message, undefined]);
    }
  });

  test('each kind on the page: login failures show the form again (200) with the text, the others the HTML error page (400 unless the entry says)', () => {
    const [app] = (loaded.data.zjrc as { apps: { appId: string; redirectUris: string[] }[] }).apps;
    const params = { appId: app.appId, redirectUri: app.redirectUris[0], scope: 'get_nor_user_info', state: 's', username: 'who' };
    for (const kind of ZJRC_ERRORS.kinds) {
      const e = ZJRC_ERRORS.entries[kind];
      const reply = render(zjrc, refuse(kind, DETAIL, { encoding: 'hex' }), page, undefined, params);
      expect([kind, errorText(reply.body)]).toEqual([kind, filled(e.message).replace('{encoding}', 'hex')]);
      if (e.layer === 'login') {
        expect([kind, reply.status]).toEqual([kind, 200]);
        expect(reply.body).toContain('<form method="post" action="authorize">');
        expect(reply.body).toContain('value="who" autocomplete="username"');
      } else {
        expect([kind, reply.status]).toEqual([kind, e.status ?? 400]);
        expect(reply.body).not.toContain('<form');
      }
    }
  });
});

test('a kind no catalogue holds is a bug of ours, said as such (fault rules are checked against errors.kinds before)', () => {
  expect(() => render(mantun, new ProtocolError('no_such_kind'), bySurface(mantun).get('api')!)).toThrow(
    'internal error: no error kind "no_such_kind" in this catalogue',
  );
});
