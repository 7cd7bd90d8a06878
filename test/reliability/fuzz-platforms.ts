import { mantunTimestamp, sopTimestamp, zjrcTimestamp } from '../../src/index.js';
import type { RouteTable } from '../../src/core/http/route-table.js';
import { APP as MANTUN_APP, MAC, PROJECT } from '../helpers/mantun.js';
import { APP as SOP_APP, REDIRECT_URI as SOP_REDIRECT } from '../helpers/sop.js';
import { APP as ZJRC_APP, M as ZJRC_METHODS } from '../helpers/zjrc.js';
import { json, keysOf, type WireResponse } from './fuzz-http.js';
import { MARKUP } from './fuzz-inputs.js';
import type { FieldBook, Target } from './fuzz-requests.js';

const JSON_UTF8 = 'application/json;charset=UTF-8';
const HTML_UTF8 = 'text/html;charset=UTF-8';
const TEXT_UTF8 = 'text/plain;charset=UTF-8';

/** Every endpoint of every platform under every prefix it answers to, read from the route table (new endpoints are covered without editing this file). */
export function platformTargets(routes: RouteTable): Target[] {
  return routes.entries().map(([path, r]) => ({ owner: r.platform.id, name: r.endpoint.name, method: r.endpoint.method, path }));
}

/** The fields each platform reads (docs/platforms/), with values that pass the early checks; secrets are never valid. */
export function fieldBooks(now: number): Record<string, FieldBook> {
  return {
    mantun: {
      fields: {
        response_type: ['code'],
        client_id: [MANTUN_APP.appKey],
        redirect_uri: [MANTUN_APP.redirectUri],
        uname: ['13800000000'],
        grant_type: ['authorization_code', 'refresh_token'],
        code: [],
        refresh_token: [],
        method: ['GET_PROJECTS', 'PUT_BOX_CONTROL', 'GET_BOX_ALARM', 'GET_BOX_CHANNELS_OC'],
        access_token: [],
        timestamp: [mantunTimestamp(now)],
        projectCode: [PROJECT],
        mac: [MAC],
        cmd: ['OCSWITCH'],
        value1: ['open', 'close'],
        value2: ['1', '1,2,3'],
        start: ['2026-01-01 00:00'],
        end: ['2026-01-02 00:00'],
        page: ['1'],
        pageSize: ['10'],
      },
      secrets: ['passwd', 'client_secret', 'sign'],
    },
    usercenter: {
      fields: {
        sysid: ['aaaa'],
        sys: ['aaaa'],
        sysId: ['aaaa'],
        username: ['test', 'zhangsan'],
        userName: ['test'],
        client_id: ['23', '37'],
        clientId: ['23'],
        accessToken: [],
        access_token: [],
        refresh_token: [],
        refreshToken: [],
      },
      secrets: ['md5password', 'shapassword', 'md5Password', 'shaPassword', 'validateCode', 'validateCode '],
    },
    sop: {
      fields: {
        app_id: [SOP_APP.appId],
        method: ['open.auth.token.app', 'alipay.story.get', 'sandbox.merchant.info.get'],
        format: ['json', 'xml'],
        charset: ['utf-8'],
        sign_type: ['RSA2', 'RSA'],
        timestamp: [sopTimestamp(now)],
        version: ['1.0'],
        app_auth_token: [],
        biz_content: [],
        response_type: ['code'],
        client_id: [SOP_APP.appId],
        redirect_uri: [SOP_REDIRECT],
        username: ['sandbox'],
      },
      secrets: ['sign', 'password'],
      nested: { biz_content: { fields: { grant_type: ['authorization_code', 'refresh_token'], code: [], refresh_token: [], id: ['1'] }, secrets: [] } },
    },
    zjrc: {
      fields: {
        appId: [ZJRC_APP.appId],
        dlpId: [],
        prodId: [],
        method: Object.values(ZJRC_METHODS),
        version: ['1.0.0'],
        timestamp: [zjrcTimestamp(now)],
        bizContent: [],
        signType: ['RSA2', 'RSA'],
        redirectUri: [ZJRC_APP.redirectUri],
        scope: ['get_nor_user_info', 'get_core_user_info'],
        state: ['s1'],
        username: ['13900000000'],
      },
      secrets: ['sign', 'password'],
      nested: {
        bizContent: {
          fields: {
            code: [],
            openId: [],
            refreshToken: [],
            accessToken: [],
            scopeList: ['[{"scopeName":"get_nor_user_info"}]'],
            oauthFlag: ['1', '2', '3'],
            authType: ['1'],
          },
          secrets: ['clientSign'],
        },
      },
    },
  };
}

type Verdict = string | undefined;

const isDigits = (v: unknown): boolean => typeof v === 'string' && /^\d+$/.test(v);

function html(res: WireResponse, statuses: number[]): Verdict {
  if (!statuses.includes(res.status)) return `HTTP ${res.status} for an HTML page`;
  if (res.headers['content-type'] !== HTML_UTF8) return `content-type ${res.headers['content-type']}`;
  if (res.text.includes('<fz-x>') || res.text.includes(MARKUP)) return 'a sent value shows in the page unescaped';
  return undefined;
}

/** Mantun (docs/platforms/mantun.md): the callback-url text, or HTTP 200/400/413 `{"success":false,"code","message"}`. */
function mantun(target: Target, res: WireResponse): Verdict {
  if (res.text === 'OAuth callback url needs to be provided!') {
    if (target.name === 'router.as') return 'callback-url text from router.as';
    return res.status === 400 && res.headers['content-type'] === TEXT_UTF8 ? undefined : `callback text with HTTP ${res.status} ${res.headers['content-type']}`;
  }
  const body = json(res);
  if (!body || res.headers['content-type'] !== JSON_UTF8) return 'not Mantun JSON';
  if (keysOf(body).join() !== 'code,message,success') return `keys ${keysOf(body).join()}`;
  const failed = target.name === 'authverify2.as' ? body.success === 'false' || body.success === false : body.success === false;
  if (!failed) return 'success on a malformed request';
  if (!isDigits(body.code) || typeof body.message !== 'string' || body.message === '') return 'code/message types';
  return [200, 400, 413].includes(res.status) ? undefined : `HTTP ${res.status}`;
}

/** UserCenter: `{"status":<int ≠ 1>,"msg"[,"code":400]}`; destoryToken answers success for any non-empty token (documented). */
function usercenter(target: Target, res: WireResponse): Verdict {
  const body = json(res);
  if (!body || res.headers['content-type'] !== JSON_UTF8) return 'not UserCenter JSON';
  if (target.name === 'destoryToken' && body.status === 1) {
    return JSON.stringify(body) === '{"status":1,"result":"destroy accesstoken success"}' ? undefined : 'destoryToken success shape';
  }
  const keys = keysOf(body).join();
  if (keys !== 'msg,status' && keys !== 'code,msg,status') return `keys ${keys}`;
  if (!Number.isInteger(body.status) || body.status === 1) return `status ${JSON.stringify(body.status)}`;
  if (typeof body.msg !== 'string' || body.msg === '') return 'msg type';
  if ('code' in body && body.code !== 400) return `code ${JSON.stringify(body.code)}`;
  return [200, 400, 413].includes(res.status) ? undefined : `HTTP ${res.status}`;
}

/** SOP: gateway error nodes (or token.app's 10000 + error), the page, the form's texts, 302 back with ?error=. */
function sop(target: Target, res: WireResponse): Verdict {
  if (target.name !== 'gateway' && (res.status === 413 || res.status === 400) && res.headers['content-type'] === TEXT_UTF8) {
    const expected = res.status === 413 ? 'request body is too large' : 'request body could not be read';
    if (res.text === expected) return undefined;
  }
  if (target.name === 'appToAppAuth') return html(res, [200]);
  if (target.name === 'authorize') {
    if (res.status === 400 && res.text === 'OAuth redirectUri needs to be provided by client!!!')
      return res.headers['content-type'] === TEXT_UTF8 ? undefined : 'redirect text type';
    if (res.status === 302) {
      const loc = String(res.headers.location ?? '');
      if (/[?&]code=/.test(loc)) return 'a code was issued';
      return /[?&]error=(invalid_request|unsupported_response_type)&/.test(loc) ? undefined : `302 to ${loc.slice(0, 200)}`;
    }
    if (res.status === 400) return res.text === '{"error":"invalid_client","error_description":"invalid_client"}' ? undefined : 'invalid_client body';
    return html(res, [200]) ?? (/用户名密码(不能为空|不正确)/.test(res.text) ? undefined : 'login page without an error');
  }
  const body = json(res);
  if (!body || res.headers['content-type'] !== JSON_UTF8) return 'not SOP JSON';
  const keys = Object.keys(body).filter((k) => k !== 'sign');
  if (keys.length !== 1 || !keys[0].endsWith('_response')) return `keys ${Object.keys(body).join()}`;
  if ('sign' in body && typeof body.sign !== 'string') return 'sign type';
  const node = body[keys[0]] as Record<string, unknown>;
  if (typeof node?.code !== 'string' || typeof node.msg !== 'string') return 'node code/msg';
  if (node.code === '10000') {
    if (typeof node.error !== 'string' || typeof node.error_description !== 'string') return 'a routed success on a malformed request';
  } else if (typeof node.sub_code !== 'string' || typeof node.sub_msg !== 'string') return 'node sub_code/sub_msg';
  return [200, 400, 413].includes(res.status) ? undefined : `HTTP ${res.status}`;
}

/** ZJRC: gateway `{"code"≠000000,"msg","sign"}` or a business failure; the authorization page's 400 or form with an error. */
function zjrc(target: Target, res: WireResponse): Verdict {
  if (target.name !== 'gateway.do') {
    if (res.status === 302) return 'redirected (a code was issued)';
    return html(res, [200, 400, 413]) ?? (res.text.includes('class="error"') || target.name === 'authorize' ? undefined : 'form without an error');
  }
  const body = json(res);
  if (!body || res.headers['content-type'] !== JSON_UTF8) return 'not ZJRC JSON';
  const keys = keysOf(body).join();
  if (keys === 'code,msg,sign') {
    if (!isDigits(body.code) || body.code === '000000' || typeof body.msg !== 'string') return 'gateway failure fields';
  } else if (keys === 'bizCode,bizMsg,code,msg,sign') {
    if (body.code !== '000000' || !isDigits(body.bizCode) || body.bizCode === '0' || typeof body.bizMsg !== 'string') return 'business failure fields';
  } else return `keys ${keys}`;
  return [200, 400, 413].includes(res.status) ? undefined : `HTTP ${res.status}`;
}

const CLASSIFIERS: Record<string, (t: Target, r: WireResponse) => Verdict> = { mantun, usercenter, sop, zjrc };

/** Undefined when the answer is the platform's own documented error; otherwise what is wrong with it. */
export function platformProblem(target: Target, res: WireResponse): Verdict {
  const classify = CLASSIFIERS[target.owner];
  if (!classify) return `no classifier for platform ${target.owner}: add one to test/reliability/fuzz-platforms.ts`;
  return classify(target, res);
}
