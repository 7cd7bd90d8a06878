import { spawnSandbox, eventually, type Spawned } from '../helpers/cli.js';
import { testFixture } from '../helpers/sandbox.js';
import { APP as SOP_APP, PLATFORM_PUBLIC_KEY } from '../helpers/sop.js';
import { body as zjrcBody, M } from '../helpers/zjrc.js';
import { QUICK_JVM, java, python } from './lib/tools.js';

/**
 * Every public client stamps its machine's local time. Run on a machine in UTC (a CI runner), they are
 * refused for their timestamp: the wire answer stays the platform's own, while the request log line and
 * the journal entry's note (the dashboard shows the journal) say how far off it was, the likely cause and
 * the fix. Real clients, real `sandbox start`, its own log.
 */
let s: Spawned;
beforeAll(async () => {
  // Mantun's router.as has no timestamp window unless a fixture sets one (docs/platforms/mantun.md#assumed-choices).
  s = await spawnSandbox(['start', '--port', '0', '--fixtures', testFixture('mantun-timestamp-window.json')]);
});
afterAll(() => s.stop());

const MANTUN = ['O000000049', '3F2A9C4E8B1D7F6A0C5E9B2D4F8A1C3E', 'http://you-domain/xxx.jsp', '13800000000', 'sandbox123'];
const PLATFORM_TIME = String.raw`\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}`;
const UTC_CAUSE =
  "The gap is a whole 8 h: the client most likely stamped its own time zone (UTC+0, e.g. a CI runner or container in UTC) instead of the platform's. " +
  "The real platform refuses it too: format the timestamp in Asia/Shanghai whatever the client machine's time zone " +
  '(Java: LocalDateTime.now(ZoneId.of("Asia/Shanghai")); Python: datetime.now(ZoneInfo("Asia/Shanghai")); Node: moment().utcOffset(480) or TZ=Asia/Shanghai; or run the client with TZ=Asia/Shanghai)';
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Entry {
  apiMethod?: string;
  status: number;
  note?: string;
  response: { body: unknown };
}

async function lastEntry(platform: string): Promise<Entry> {
  const res = await fetch(`${s.url}/__sandbox/requests?platform=${platform}&limit=1`);
  return ((await res.json()) as { requests: Entry[] }).requests[0]!;
}

/** The log line of the last request with this business method, once the sandbox has written it. */
const logLine = (apiMethod: string, note: string) =>
  eventually(`the log line of ${apiMethod}`, () =>
    s
      .output()
      .split('\n')
      .find((line) => line.includes(` ${apiMethod} `) && line.endsWith(`— ${note}`)),
  );

describe('a client in UTC is refused for its timestamp; the log and the journal say why', () => {
  test('Mantun router.as, from the Python client: the answer is the platform’s, the note names 8 h, UTC and the fix', async () => {
    const out = await python('mantun_client.py', [s.url, ...MANTUN, 'call', JSON.stringify({ method: 'GET_PROJECTS' })], 'UTC');
    expect(out).toEqual({
      ok: false,
      answer: { success: false, code: '10041', message: 'timestamp is missing, malformed (yyyyMMddHHmmss) or too far from server time' },
    });
    const entry = await lastEntry('mantun');
    expect(entry.apiMethod).toBe('GET_PROJECTS');
    expect(entry.note).toMatch(
      new RegExp(
        `^timestamp 8 h behind the platform time ${PLATFORM_TIME} \\(Asia/Shanghai, UTC\\+8\\); it must be within 600 s either way\\. ${escape(UTC_CAUSE)}$`,
      ),
    );
    expect(await logLine('GET_PROJECTS', entry.note!)).toMatch(
      /^POST \/invoke\/router\.as → 200 mantun\/router\.as GET_PROJECTS [\d.]+ms — timestamp 8 h behind/,
    );
  });

  test('another zone is named as what it is (UTC-5: 13 h behind)', async () => {
    await python('mantun_client.py', [s.url, ...MANTUN, 'call', JSON.stringify({ method: 'GET_PROJECTS' })], 'Etc/GMT+5');
    expect((await lastEntry('mantun')).note).toMatch(
      /^timestamp 13 h behind .*The gap is a whole 13 h: the client most likely stamped its own time zone \(UTC-5\) instead of the platform's\./,
    );
  });

  test('SOP, from the Java SDK: isv.invalid-timestamp, signed as ever; the note says 8 h and that SOP takes 300 s of age', async () => {
    const out = await java(
      'SopClient.java',
      [`${s.url}/`, SOP_APP.appId, SOP_APP.privateKey, PLATFORM_PUBLIC_KEY, 'alipay.story.get', '{"id":"1"}'],
      'UTC',
      QUICK_JVM,
    );
    expect(out).toEqual({
      status: 200,
      key: 'alipay_story_get_response',
      node: { code: '40002', msg: '非法的参数', sub_code: 'isv.invalid-timestamp', sub_msg: '非法的时间戳参数' },
      signed: true,
      signValid: true,
    });
    const entry = await lastEntry('sop');
    expect(entry.apiMethod).toBe('alipay.story.get');
    expect(entry.note).toMatch(
      new RegExp(
        `^timestamp 8 h behind the platform time ${PLATFORM_TIME} \\(Asia/Shanghai, UTC\\+8\\); it must be at most 300 s old\\. ${escape(UTC_CAUSE)}$`,
      ),
    );
    await logLine('alipay.story.get', entry.note!);
  });

  test('SOP lets a timestamp from the future pass, as real SOP does: a client east of Shanghai is answered', async () => {
    const out = await java(
      'SopClient.java',
      [`${s.url}/`, SOP_APP.appId, SOP_APP.privateKey, PLATFORM_PUBLIC_KEY, 'alipay.story.get', '{"id":"1"}'],
      'Asia/Tokyo',
      QUICK_JVM,
    );
    expect(out).toMatchObject({ node: { code: '10000', name: '葫芦娃' }, signValid: true });
  });

  test('ZJRC gateway.do: a bean stamped in UTC gets 100009; the note says why', async () => {
    // What the SDK's request bean holds on a machine in UTC: the UTC wall time as yyyy-MM-dd HH:mm:ss.
    const sent = new Date().toISOString().slice(0, 19).replace('T', ' ');
    const res = await fetch(`${s.url}/oip-gateway-server/zjrcuoip/gateway.do`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(zjrcBody(M.userinfo, { openId: 'x', accessToken: 'y', scopeList: [] }, sent)),
    });
    const answer = (await res.json()) as Record<string, string>;
    expect(answer).toEqual({
      code: '100009',
      msg: expect.stringMatching(new RegExp(`^时间戳已过期: ${sent} is more than 300 s away from the platform time ${PLATFORM_TIME}$`)),
      sign: expect.any(String),
    });
    const entry = await lastEntry('zjrc');
    expect(entry.apiMethod).toBe(M.userinfo);
    expect(entry.note).toMatch(
      new RegExp(
        `^timestamp 8 h behind the platform time ${PLATFORM_TIME} \\(Asia/Shanghai, UTC\\+8\\); it must be within 300 s either way\\. ${escape(UTC_CAUSE)}$`,
      ),
    );
    await logLine(M.userinfo, entry.note!);
  });

  test('the journal filters by business method (?method=): gateway calls are told apart', async () => {
    const res = await fetch(`${s.url}/__sandbox/requests?method=alipay.story.get`);
    const listed = ((await res.json()) as { requests: (Entry & { platform: string; endpoint: string })[] }).requests;
    expect(listed.map((e) => [e.platform, e.endpoint, e.apiMethod])).toEqual([
      ['sop', 'gateway', 'alipay.story.get'],
      ['sop', 'gateway', 'alipay.story.get'],
    ]);
  });
});
