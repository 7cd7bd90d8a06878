import { request } from 'node:http';
import { signSopRequest, sopTimestamp } from '../../src/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, BUILTIN_SOP, HEX32, signedNode, sopFixtureFile } from '../helpers/sop.js';
import { goBody, okHttpBody, needleBody, type MultipartBody, type SdkFile } from '../clients/lib/sdk-multipart.js';

/** A business method behind the gateway that expects a file part, as a user declares it in fixtures. */
const UPLOAD = {
  name: 'sandbox.file.upload',
  version: '1.0',
  files: [{ name: 'file' }, { name: 'idCardBack', required: false }],
  response: { file_id: 'F0001' },
};
const PICKY = {
  name: 'sandbox.avatar.upload',
  version: '1.0',
  files: [{ name: 'avatar', message: { zh: '头像不能为空', en: 'The avatar is required' } }],
  response: {},
};

const FILE: SdkFile = { field: 'file', filename: '报告 2026.txt', bytes: Buffer.from('line one\r\n--not a boundary\r\n\u0000\u00ff binary tail', 'latin1') };

/** The SDKs' common params for an upload: biz_content as JSON, charset UTF-8, RSA2, signed over these fields only. */
function uploadParams(now: number, method = UPLOAD.name, extra: Record<string, string> = {}): Record<string, string> {
  return signSopRequest(
    {
      app_id: APP.appId,
      method,
      charset: 'UTF-8',
      sign_type: 'RSA2',
      timestamp: sopTimestamp(now),
      version: '1.0',
      biz_content: JSON.stringify({ remark: '季度报告' }),
      ...extra,
    },
    APP.privateKey,
  );
}

/** POST raw bytes on a connection of its own; `chunked` leaves Content-Length out, as a streaming client does. */
function post(url: string, m: MultipartBody, headers: Record<string, string> = {}, chunked = false): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': m.contentType, ...(chunked ? {} : { 'content-length': m.body.length }), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    if (chunked) {
      // Several writes: the body arrives in pieces, as it does from a socket.
      for (let i = 0; i < m.body.length; i += 1000) req.write(m.body.subarray(i, i + 1000));
      req.end();
    } else req.end(m.body);
  });
}

const parse = (r: { text: string }) => ({ body: JSON.parse(r.text) as Record<string, unknown>, text: r.text });
const respond = (r: { status: number; text: string }) => ({ status: r.status, text: r.text, body: JSON.parse(r.text) });

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({
    bodyLimit: 64 * 1024,
    uploadLimit: 64 * 1024,
    fixtures: [sopFixtureFile({ methods: [...BUILTIN_SOP.methods, UPLOAD, PICKY] })],
  });
});
afterAll(() => t.close());

const lastEntry = async () => (await t.http.get('/__sandbox/requests?platform=sop&limit=1')).body.requests[0];

describe('multipart/form-data: the fields are the params, file parts are not signed', () => {
  test.each([
    ['Node SDK (needle)', needleBody],
    ['Go SDK (mime/multipart)', goBody],
    ['Java SDK (OkHttp MultipartBody)', okHttpBody],
  ] as const)('%s: the upload is answered by the method, signed', async (_sdk, build) => {
    const res = await post(`${t.sb.url}/`, build(uploadParams(t.sb.clock.now()), [FILE]));
    expect(res.status).toBe(200);
    const node = signedNode(respond(res) as never, 'sandbox_file_upload_response');
    expect(node).toEqual({ code: '10000', msg: 'Success', file_id: 'F0001', request_id: expect.stringMatching(HEX32) });
  });

  test('the journal names the method and shows the file parts as filename, content type and size, never their bytes', async () => {
    await post(`${t.sb.url}/`, goBody(uploadParams(t.sb.clock.now()), [FILE, { field: 'idCardBack', filename: 'back.png', bytes: Buffer.alloc(3000, 7) }]));
    const entry = await lastEntry();
    expect(entry.apiMethod).toBe('sandbox.file.upload');
    expect(entry.request.contentType).toBe('multipart/form-data');
    expect(entry.request.body).toMatchObject({
      app_id: APP.appId,
      method: 'sandbox.file.upload',
      biz_content: '{"remark":"季度报告"}',
      sign: '***',
      file: { filename: '报告 2026.txt', contentType: 'application/octet-stream', size: FILE.bytes.length },
      idCardBack: { filename: 'back.png', contentType: 'application/octet-stream', size: 3000 },
    });
    expect(JSON.stringify(entry)).not.toContain('binary tail');
    const listed = (await t.http.get('/__sandbox/requests?method=sandbox.file.upload')).body.requests;
    expect(listed.length).toBeGreaterThanOrEqual(1);
    expect(listed.every((e: { apiMethod: string }) => e.apiMethod === 'sandbox.file.upload')).toBe(true);
  });

  test('a file part without a Content-Type (OkHttp) reads as text/plain, the multipart default; needle percent-encodes its filename', async () => {
    await post(`${t.sb.url}/`, okHttpBody(uploadParams(t.sb.clock.now()), [FILE]));
    expect((await lastEntry()).request.body.file).toEqual({ filename: '报告 2026.txt', contentType: 'text/plain', size: FILE.bytes.length });
    await post(`${t.sb.url}/`, needleBody(uploadParams(t.sb.clock.now()), [FILE]));
    expect((await lastEntry()).request.body.file).toEqual({
      filename: encodeURIComponent('报告 2026.txt'),
      contentType: 'application/octet-stream',
      size: FILE.bytes.length,
    });
  });

  test('a signature that covered a file part does not verify: only fields are signed', async () => {
    const fields = uploadParams(t.sb.clock.now(), UPLOAD.name, { file: FILE.filename });
    const { file: _signedButSentAsFile, ...sent } = fields;
    const res = parse(await post(`${t.sb.url}/`, goBody(sent, [FILE])));
    expect(res.body.sandbox_file_upload_response).toEqual({ code: '40002', msg: '非法的参数', sub_code: 'isv.invalid-signature', sub_msg: '无效签名' });
  });

  test('a missing required file part is the method’s own parameter error: 40004 isv.invalid-parameter, in the caller’s language', async () => {
    const res = parse(await post(`${t.sb.url}/`, goBody(uploadParams(t.sb.clock.now()), [{ ...FILE, field: 'idCardBack' }])));
    expect(res.body.sandbox_file_upload_response).toEqual({
      code: '40004',
      msg: '业务处理失败',
      sub_code: 'isv.invalid-parameter',
      sub_msg: 'file不能为空',
      request_id: expect.stringMatching(HEX32),
    });
    const en = parse(await post(`${t.sb.url}/`, goBody(uploadParams(t.sb.clock.now(), PICKY.name), []), { 'accept-language': 'en' }));
    expect(en.body.sandbox_avatar_upload_response).toEqual({
      code: '40004',
      msg: 'Business processing failure',
      sub_code: 'isv.invalid-parameter',
      sub_msg: 'The avatar is required',
      request_id: expect.stringMatching(HEX32),
    });
    const zh = parse(await post(`${t.sb.url}/`, okHttpBody(uploadParams(t.sb.clock.now(), PICKY.name), [])));
    expect((zh.body.sandbox_avatar_upload_response as Record<string, string>).sub_msg).toBe('头像不能为空');
  });

  test('a repeated field keeps its last value, as SOP’s HashMap does', async () => {
    const params = uploadParams(t.sb.clock.now());
    const m = goBody({ method: 'wrong.method', ...params }, [FILE]);
    expect(parse(await post(`${t.sb.url}/`, m)).body.sandbox_file_upload_response).toMatchObject({ code: '10000', file_id: 'F0001' });
  });

  test('a body that is not readable multipart carries no params; the journal says why', async () => {
    const params = uploadParams(t.sb.clock.now());
    const noBoundary = { contentType: 'multipart/form-data', body: goBody(params, [FILE]).body };
    const res = parse(await post(`${t.sb.url}/`, noBoundary));
    expect(res.body.error_response).toEqual({ code: '40001', msg: '缺少必选参数', sub_code: 'isv.missing-method', sub_msg: '缺少方法名参数' });
    const entry = await lastEntry();
    expect(entry.note).toBe('the multipart/form-data body could not be read (Multipart: Boundary not found), so it carried no params');
    expect(entry.request.body['(multipart)']).toBe('not readable: Multipart: Boundary not found');
    const cut = goBody(params, [FILE]);
    const truncated = parse(await post(`${t.sb.url}/`, { contentType: cut.contentType, body: cut.body.subarray(0, cut.body.length - 40) }));
    expect((truncated.body.error_response as Record<string, string>).sub_code).toBe('isv.missing-method');
  });

  test('--upload-limit bounds the whole body, declared or streamed: 413 in the gateway shape, the journal naming the option', async () => {
    const big = goBody(uploadParams(t.sb.clock.now()), [{ ...FILE, bytes: Buffer.alloc(65 * 1024, 1) }]);
    for (const chunked of [false, true]) {
      const res = await post(`${t.sb.url}/`, big, {}, chunked);
      expect(res.status).toBe(413);
      expect(JSON.parse(res.text).error_response).toEqual({ code: '20000', msg: '服务不可用', sub_code: 'isp.unknown-error', sub_msg: '服务暂不可用' });
      expect((await lastEntry()).note).toBe('the multipart body is larger than --upload-limit (uploadLimit), 65536 bytes');
    }
    // Just under the limit passes.
    const fits = goBody(uploadParams(t.sb.clock.now()), [{ ...FILE, bytes: Buffer.alloc(60 * 1024, 1) }]);
    expect((await post(`${t.sb.url}/`, fits, {}, true)).status).toBe(200);
  });
});

describe('strictSopTransport with multipart: the fields only, never the query', () => {
  test('public params in the URL are ignored, as real SOP ignores them', async () => {
    const strict = await startTestSandbox({ fixtures: [sopFixtureFile({ strictSopTransport: true, methods: [...BUILTIN_SOP.methods, UPLOAD] })] });
    try {
      const { biz_content, ...inUrl } = uploadParams(strict.sb.clock.now());
      const res = parse(await post(`${strict.sb.url}/?${new URLSearchParams(inUrl)}`, goBody({ biz_content: biz_content! }, [FILE])));
      expect((res.body.error_response as Record<string, string>).sub_code).toBe('isv.missing-method');
    } finally {
      await strict.close();
    }
  });
});
