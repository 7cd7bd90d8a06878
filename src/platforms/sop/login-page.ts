import { HTML_UTF8 } from '../../core/http/reply.js';
import type { Reply } from '../../core/platform.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

export interface LoginPage {
  clientId: string;
  redirectUri: string;
  appName?: string;
  username?: string;
  error?: string;
}

/**
 * SOP's login-and-authorize form (docs/platforms/sop.md#authorization): one page, no separate consent step. It posts to
 * `authorize` relative to its own URL, so it works under `/sop`, session and context prefixes alike.
 */
export function loginPage(page: LoginPage): Reply {
  const html = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>应用授权 - SOP sandbox</title>
<style>
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f6f9;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;padding:2rem 2.5rem;border-radius:8px;box-shadow:0 2px 12px rgba(0,0,0,.08);width:20rem}
h1{font-size:1.25rem;margin:0 0 .5rem}p.app{color:#555;margin:0 0 1.25rem;font-size:.9rem}
label{display:block;margin:.75rem 0 .25rem;font-size:.9rem}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #ccd;border-radius:4px;font-size:1rem}
button{margin-top:1.25rem;width:100%;padding:.6rem;border:0;border-radius:4px;background:#1677ff;color:#fff;font-size:1rem;cursor:pointer}
p.error{color:#c62828;background:#fdecea;padding:.5rem;border-radius:4px;margin:0 0 .75rem}
footer{margin-top:1rem;font-size:.75rem;color:#999;text-align:center}
</style>
</head>
<body>
<main>
<h1>应用授权</h1>
<p class="app">${page.appName ? `${esc(page.appName)} ` : ''}(${esc(page.clientId)}) 申请获得你的授权</p>
${page.error ? `<p class="error" role="alert">${esc(page.error)}</p>\n` : ''}<form method="post" action="authorize">
<input type="hidden" name="response_type" value="code">
<input type="hidden" name="client_id" value="${esc(page.clientId)}">
<input type="hidden" name="redirect_uri" value="${esc(page.redirectUri)}">
<label for="username">用户名</label>
<input type="text" id="username" name="username" value="${esc(page.username ?? '')}" autocomplete="username" autofocus>
<label for="password">密码</label>
<input type="password" id="password" name="password" autocomplete="current-password">
<button type="submit">登录并授权</button>
</form>
<footer>OAuth platform sandbox — test users only</footer>
</main>
</body>
</html>
`;
  return { status: 200, contentType: HTML_UTF8, body: html, data: page.error ? { form: 'login', error: page.error } : { form: 'login' } };
}
