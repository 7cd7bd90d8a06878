import { createHash, createPublicKey, createVerify } from 'node:crypto';
import { request } from 'node:http';
import { signSopRequest, sopTimestamp } from '../../src/index.js';
import { needleBody, type MultipartBody } from '../clients/lib/sdk-multipart.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, BUILTIN_SOP, PLATFORM_PUBLIC_KEY, sopFixtureFile } from '../helpers/sop.js';

/**
 * What SOP's gateway checks of an uploaded file (its validator, sop-gateway-common .../validate/ApiValidator.java:
 * checkUploadFile): each file part at most 10 MB, and a field named like the file part, when sent, holding the
 * part's MD5. Answers are read as the SOP SDK reads them: the node's text cut out of the body between the
 * response key and "sign", verified with the platform key, then parsed.
 */

const UPLOAD = { name: 'sandbox.file.upload', version: '1.0', files: [{ name: 'file' }], response: { file_id: 'F0001' } };
const KEY = 'sandbox_file_upload_response';
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

function post(url: string, m: MultipartBody): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': m.contentType, 'content-length': m.body.length } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`HTTP ${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    req.end(m.body);
  });
}

/** The SDK's reading: the node's exact text between `"<key>":` and `,"sign"`, its signature checked (SHA256withRSA), then parsed. */
function sdkNode(body: string): Record<string, unknown> {
  const start = body.indexOf(`"${KEY}"`) + KEY.length + 3;
  const end = body.lastIndexOf('"sign"') - 1;
  const nodeText = body.slice(start, end);
  const sign = (JSON.parse(body) as { sign: string }).sign;
  const pem = `-----BEGIN PUBLIC KEY-----\n${PLATFORM_PUBLIC_KEY.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----`;
  const verified = createVerify('RSA-SHA256').update(nodeText, 'utf8').verify(createPublicKey(pem), sign, 'base64');
  if (!verified) throw new Error(`the answer's signature does not verify: ${body}`);
  return JSON.parse(nodeText) as Record<string, unknown>;
}

function upload(t: TestSandbox, bytes: Buffer, fields: Record<string, string> = {}) {
  const params = signSopRequest(
    {
      app_id: APP.appId,
      method: UPLOAD.name,
      charset: 'UTF-8',
      sign_type: 'RSA2',
      timestamp: sopTimestamp(t.sb.clock.now()),
      version: '1.0',
      biz_content: '{}',
      ...fields,
    },
    APP.privateKey,
  );
  return post(`${t.sb.url}/`, needleBody(params, [{ field: 'file', filename: 'scan.png', bytes }]));
}

const FILE = Buffer.from('\x89PNG\r\n\x1a\n a small picture', 'latin1');

describe('the MD5 a client sends beside its file', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ fixtures: [sopFixtureFile({ methods: [...BUILTIN_SOP.methods, UPLOAD] })] });
  });
  afterAll(() => t.close());

  test('the right MD5 in a field named like the file part: answered as usual', async () => {
    expect(sdkNode(await upload(t, FILE, { file: md5(FILE) }))).toMatchObject({ code: '10000', msg: 'Success', file_id: 'F0001' });
  });

  test('no such field: nothing to check', async () => {
    expect(sdkNode(await upload(t, FILE))).toMatchObject({ code: '10000' });
  });

  test('another MD5 (or the same in upper case: the gateway compares exactly): HTTP 200, 40002 isv.upload-fail, and the journal says which', async () => {
    for (const sent of [md5(Buffer.from('other')), md5(FILE).toUpperCase()]) {
      expect(sdkNode(await upload(t, FILE, { file: sent }))).toEqual({
        code: '40002',
        msg: '非法的参数',
        sub_code: 'isv.upload-fail',
        sub_msg: '文件上传失败',
      });
      const [entry] = t.sb.requests({ platform: 'sop', method: UPLOAD.name });
      expect(entry!.note).toBe(`file part "file" has MD5 ${md5(FILE)}, but the field "file" says ${sent}`);
    }
  });
});

describe('the size of a file part', () => {
  test('over 10 MB by default (the body limit raised to let it in): HTTP 200, 40002 isv.invalid-file-size; exactly 10 MB passes', async () => {
    const t = await startTestSandbox({ bodyLimit: 11 * 1024 * 1024, fixtures: [sopFixtureFile({ methods: [...BUILTIN_SOP.methods, UPLOAD] })] });
    try {
      const tenMB = Buffer.alloc(10 * 1024 * 1024, 7);
      expect(sdkNode(await upload(t, tenMB))).toMatchObject({ code: '10000' });
      expect(sdkNode(await upload(t, Buffer.concat([tenMB, Buffer.from([7])])))).toEqual({
        code: '40002',
        msg: '非法的参数',
        sub_code: 'isv.invalid-file-size',
        sub_msg: '文件大小无效',
      });
    } finally {
      await t.close();
    }
  });

  test('the fixture’s maxFileSizeBytes sets the limit', async () => {
    const t = await startTestSandbox({ fixtures: [sopFixtureFile({ methods: [...BUILTIN_SOP.methods, UPLOAD], maxFileSizeBytes: FILE.length - 1 })] });
    try {
      expect(sdkNode(await upload(t, FILE, { file: md5(FILE) }))).toMatchObject({ sub_code: 'isv.invalid-file-size' });
      const [entry] = t.sb.requests({ platform: 'sop', method: UPLOAD.name });
      expect(entry!.note).toBe(`file part "file" is ${FILE.length} bytes; the limit is ${FILE.length - 1} (fixture maxFileSizeBytes)`);
    } finally {
      await t.close();
    }
  });
});
