import { createHash, createPublicKey, createVerify } from 'node:crypto';
import { request } from 'node:http';
import { signSopRequest, sopTimestamp } from '../../src/index.js';
import { goBody, needleBody, okHttpBody, type MultipartBody, type SdkFile } from '../clients/lib/sdk-multipart.js';
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

type Builder = (params: Record<string, string>, files: SdkFile[]) => MultipartBody;

function upload(t: TestSandbox, bytes: Buffer, fields: Record<string, string> = {}, build: Builder = needleBody) {
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
  return post(`${t.sb.url}/`, build(params, [{ field: 'file', filename: 'scan.png', bytes }]));
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
  const MB = 1024 * 1024;
  const TOO_BIG = { code: '40002', msg: '非法的参数', sub_code: 'isv.invalid-file-size', sub_msg: '文件大小无效' };
  const SDKS: [string, Builder][] = [
    ['Node SDK (needle)', needleBody],
    ['Go SDK (mime/multipart)', goBody],
    ['Java SDK (OkHttp)', okHttpBody],
  ];

  describe('with the default limits (no option raised): the platform’s own 10 MB rule answers', () => {
    let t: TestSandbox;
    beforeAll(async () => {
      t = await startTestSandbox({ fixtures: [sopFixtureFile({ methods: [...BUILTIN_SOP.methods, UPLOAD] })] });
    });
    afterAll(() => t.close());

    test.each(SDKS)('%s: a 12 MB file part gets HTTP 200, 40002 isv.invalid-file-size, signed; the journal says which part and limit', async (_, build) => {
      const twelveMB = Buffer.alloc(12 * MB, 0x5a);
      expect(sdkNode(await upload(t, twelveMB, {}, build))).toEqual(TOO_BIG);
      const [entry] = t.sb.requests({ platform: 'sop', method: UPLOAD.name });
      expect(entry!.status).toBe(200);
      expect(entry!.note).toBe(`file part "file" is ${12 * MB} bytes; the limit is ${10 * MB} (fixture maxFileSizeBytes)`);
    });

    test.each(SDKS)('%s: a 5 MB file part with its MD5 beside it passes the size and MD5 checks', async (_, build) => {
      const fiveMB = Buffer.alloc(5 * MB);
      for (let i = 0; i < fiveMB.length; i += 4096) fiveMB.writeUInt32BE(i, i);
      expect(sdkNode(await upload(t, fiveMB, { file: md5(fiveMB) }, build))).toMatchObject({ code: '10000', msg: 'Success', file_id: 'F0001' });
      const [entry] = t.sb.requests({ platform: 'sop', method: UPLOAD.name });
      // The journal lists the MD5 field, then the file part under the same name: its size as streamed, never its bytes.
      expect((entry!.request.body as Record<string, unknown>).file).toEqual([
        md5(fiveMB),
        { filename: 'scan.png', contentType: build === okHttpBody ? 'text/plain' : 'application/octet-stream', size: 5 * MB },
      ]);
    });

    test('exactly 10 MB passes; one byte more is refused', async () => {
      const tenMB = Buffer.alloc(10 * MB, 7);
      expect(sdkNode(await upload(t, tenMB))).toMatchObject({ code: '10000' });
      expect(sdkNode(await upload(t, Buffer.concat([tenMB, Buffer.from([7])])))).toEqual(TOO_BIG);
    });
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
