/**
 * multipart/form-data bodies byte for byte as the official SOP SDKs' HTTP libraries write them, for the
 * SDKs whose language this machine does not run (the Java SDK's OkHttp and the Python SDK's requests run
 * for real in java/ and python/). Each builder follows its library's own writer:
 *
 * - Node SDK (sop-sdk/sdk-nodejs, OpenClient._postFile): needle with `multipart: true`, every param a field
 *   and each file `{ file, content_type: 'application/octet-stream' }`. needle's lib/multipart.js writes
 *   the fields in key order, then the file (read asynchronously) with `filename="<encodeURIComponent>"`,
 *   `Content-Transfer-Encoding: binary` and `Content-Type`, closes with `--<boundary>--` and no CRLF, and
 *   uses the fixed boundary `--------------------NODENEEDLEHTTPCLIENT`.
 * - Go SDK (sop-sdk/sdk-go/common/HttpTool.go, getReader): mime/multipart.Writer, files first
 *   (CreateFormFile: `Content-Type: application/octet-stream`), then the params (WriteField), a random
 *   60-hex boundary, CRLF before every boundary but the first, and `\r\n--<boundary>--\r\n` at the end.
 * - Java SDK (OpenHttp.requestFile): OkHttp 3 MultipartBody, files first with no Content-Type (RequestBody
 *   created with a null media type) but a Content-Length, then the form fields, a UUID boundary.
 */
export interface SdkFile {
  field: string;
  filename: string;
  bytes: Buffer;
}

export interface MultipartBody {
  contentType: string;
  body: Buffer;
}

const CRLF = '\r\n';

export function needleBody(params: Record<string, string>, files: SdkFile[]): MultipartBody {
  const boundary = '--------------------NODENEEDLEHTTPCLIENT';
  let body = '';
  for (const [k, v] of Object.entries(params)) {
    body += `--${boundary}${CRLF}Content-Disposition: form-data; name="${k}"${CRLF}${CRLF}${Buffer.from(v, 'utf8').toString('binary')}${CRLF}`;
  }
  for (const f of files) {
    body += `--${boundary}${CRLF}Content-Disposition: form-data; name="${f.field}"; filename="${encodeURIComponent(f.filename)}"${CRLF}`;
    body += `Content-Transfer-Encoding: binary${CRLF}Content-Type: application/octet-stream${CRLF}${CRLF}${f.bytes.toString('binary')}${CRLF}`;
  }
  body += `--${boundary}--`;
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.from(body, 'binary') };
}

/** Go's escapeQuotes: backslash and double quote escaped with a backslash. */
const goQuote = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

export function goBody(
  params: Record<string, string>,
  files: SdkFile[],
  boundary = 'a3f1c0de9b7e5d2c4a6b8e0f1d3c5b7a9e2d4f6b8c0a1e3d5f7b9c2e4a6d',
): MultipartBody {
  const parts: Buffer[] = [];
  let first = true;
  const part = (headers: string[], content: Buffer) => {
    parts.push(Buffer.from(`${first ? '' : CRLF}--${boundary}${CRLF}${headers.map((h) => h + CRLF).join('')}${CRLF}`, 'utf8'), content);
    first = false;
  };
  for (const f of files) {
    part([`Content-Disposition: form-data; name="${goQuote(f.field)}"; filename="${goQuote(f.filename)}"`, 'Content-Type: application/octet-stream'], f.bytes);
  }
  for (const [k, v] of Object.entries(params)) part([`Content-Disposition: form-data; name="${goQuote(k)}"`], Buffer.from(v, 'utf8'));
  parts.push(Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'utf8'));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
}

/** OkHttp's quoting of names and filenames in Content-Disposition. */
const okQuote = (s: string): string => `"${s.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22')}"`;

export function okHttpBody(params: Record<string, string>, files: SdkFile[], boundary = '3c9f6a2e-5b1d-4e7a-9c8b-0d2f4a6e8b1c'): MultipartBody {
  const parts: Buffer[] = [];
  const part = (disposition: string, content: Buffer) => {
    parts.push(
      Buffer.from(`--${boundary}${CRLF}Content-Disposition: ${disposition}${CRLF}Content-Length: ${content.length}${CRLF}${CRLF}`, 'utf8'),
      content,
      Buffer.from(CRLF),
    );
  };
  for (const f of files) part(`form-data; name=${okQuote(f.field)}; filename=${okQuote(f.filename)}`, f.bytes);
  for (const [k, v] of Object.entries(params)) part(`form-data; name=${okQuote(k)}`, Buffer.from(v, 'utf8'));
  parts.push(Buffer.from(`--${boundary}--${CRLF}`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
}
