/**
 * What the stand-in for the real platform changes, per platform: Assumed settings (docs/parity.md) that a real
 * deployment may answer otherwise. The compare tests drive hand-built flows against them, the client tests
 * (test/clients/parity-*.test.ts) the public client programs; both expect compare to find exactly these.
 */

/** Mantun: an error's code and text, the type of authverify2.as's refusal `success`, the access token's lifetime. */
export const MANTUN_INJECTED = {
  mantun: {
    authverifyFailureSuccess: 'string',
    errors: { invalid_credentials: { code: '20004', message: '用户名或密码错误' } },
    policy: { lifetimes: { access: 7200 } },
  },
};

/** SOP: an error's text, error answers left unsigned, and an announced access token lifetime. */
export const SOP_INJECTED = {
  sop: {
    signErrors: false,
    errors: { 'aop.invalid-app-auth-token': { zh: '应用授权令牌无效' } },
    policy: { lifetimes: { access: 7200 } },
  },
};
