import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { BUILTIN_SOP, HEX32, sopFixtureFile } from '../helpers/sop.js';
import { javaSdk as sopJava, pythonSdk as sopPython } from './lib/sop-sdk.js';
import { QUICK_JVM } from './lib/tools.js';

/**
 * The SOP gateway from the official SDKs' side: the Java SDK's OkHttp requests and response check
 * (java/SopClient.java) and the Python SDK's requests multipart (python/sop_upload.py), run for real.
 */
const UPLOAD = { name: 'sandbox.file.upload', version: '1.0', files: [{ name: 'file' }], response: { file_id: 'F0001' } };

let t: TestSandbox;
let dir: string;
let report: string;
let picture: string;

beforeAll(async () => {
  t = await startTestSandbox({ fixtures: [sopFixtureFile({ methods: [...BUILTIN_SOP.methods, UPLOAD] })] });
  dir = mkdtempSync(join(tmpdir(), 'sop-sdk-files-'));
  report = join(dir, '季度报告.txt');
  writeFileSync(report, '第一季度\n收入 100\n');
  picture = join(dir, 'photo.png');
  writeFileSync(picture, Buffer.alloc(2048, 0xab));
});
afterAll(() => t.close());

const javaSdk = (method: string, biz: object, files: string[] = []) => sopJava(`${t.sb.url}/`, method, biz, { files, jvm: QUICK_JVM });
const pythonSdk = (method: string, biz: object, files: string[] = []) => sopPython(`${t.sb.url}/`, method, biz, { files });
const lastEntry = async () => (await t.http.get('/__sandbox/requests?platform=sop&limit=1')).body.requests[0];

describe('SOP, from the Java SDK (OkHttp, SopSignature, OpenClient.parseResponse)', () => {
  test('a multipart upload: fields signed, the file part not; the SDK’s cut of the node verifies', async () => {
    const out = await javaSdk('sandbox.file.upload', { remark: '季度报告' }, [`file=${report}`]);
    expect(out).toEqual({
      status: 200,
      key: 'sandbox_file_upload_response',
      node: { code: '10000', msg: 'Success', file_id: 'F0001', request_id: expect.stringMatching(HEX32) },
      signed: true,
      signValid: true,
    });
    const entry = await lastEntry();
    expect(entry.apiMethod).toBe('sandbox.file.upload');
    // OkHttp sends the file part without a Content-Type: multipart's default applies.
    expect(entry.request.body.file).toEqual({ filename: '季度报告.txt', contentType: 'text/plain', size: Buffer.byteLength('第一季度\n收入 100\n') });
  });

  test('a form call, an unknown method and a missing file part: every answer, errors included, passes the SDK’s sign check', async () => {
    expect(await javaSdk('alipay.story.get', { id: '1' })).toEqual({
      status: 200,
      key: 'alipay_story_get_response',
      node: { code: '10000', msg: 'Success', name: '葫芦娃', id: '1', request_id: expect.stringMatching(HEX32) },
      signed: true,
      signValid: true,
    });
    expect(await javaSdk('no.such.method', {})).toEqual({
      status: 200,
      key: 'no_such_method_response',
      node: { code: '40002', msg: '非法的参数', sub_code: 'isv.invalid-method', sub_msg: '不存在的方法名' },
      signed: true,
      signValid: true,
    });
    expect(await javaSdk('sandbox.file.upload', {}, [`other=${picture}`])).toEqual({
      status: 200,
      key: 'sandbox_file_upload_response',
      node: { code: '40004', msg: '业务处理失败', sub_code: 'isv.invalid-parameter', sub_msg: 'file不能为空', request_id: expect.stringMatching(HEX32) },
      signed: true,
      signValid: true,
    });
  });
});

describe('SOP, from the Python SDK (requests multipart, rsa)', () => {
  test('a multipart upload with two files is answered by the method; the journal lists the parts, not their bytes', async () => {
    const out = await pythonSdk('sandbox.file.upload', { remark: '季度报告' }, [`file=${report}`, `photo=${picture}`]);
    expect(out).toEqual({
      status: 200,
      key: 'sandbox_file_upload_response',
      node: { code: '10000', msg: 'Success', file_id: 'F0001', request_id: expect.stringMatching(HEX32) },
      signed: true,
      contentType: 'multipart/form-data',
    });
    const entry = await lastEntry();
    expect(entry.request.body).toMatchObject({
      method: 'sandbox.file.upload',
      charset: 'UTF-8',
      file: { filename: '季度报告.txt', contentType: 'text/plain', size: Buffer.byteLength('第一季度\n收入 100\n') },
      photo: { filename: 'photo.png', contentType: 'text/plain', size: 2048 },
    });
    expect(JSON.stringify(entry)).not.toContain('收入 100');
  });

  test('a form call without files is a plain form post', async () => {
    const out = await pythonSdk('alipay.story.get', { id: '1' });
    expect(out).toMatchObject({
      status: 200,
      key: 'alipay_story_get_response',
      node: { code: '10000', name: '葫芦娃' },
      contentType: 'application/x-www-form-urlencoded',
    });
  });
});
