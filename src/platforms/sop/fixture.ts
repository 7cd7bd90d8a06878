import { z } from 'zod';
import { parsePrivateKey, parsePublicKey } from '../../core/crypto.js';
import { catalogueSectionsOverridesSchema, httpStatus } from '../../core/errors/catalogue-overrides.js';
import { policyOverrideSchema } from '../../core/tokens/policy-schema.js';
import { SOP_ERRORS, SOP_LOGIN_ERRORS, SOP_PAGE_ERRORS, SOP_TOKEN_ERRORS } from './errors.js';

const KEY_FORMS = 'PEM, or bare Base64 as SOP and Alipay tools print it';

const publicKey = z.string().refine((v) => {
  try {
    parsePublicKey(v);
    return true;
  } catch {
    return false;
  }
}, `expected an RSA public key (${KEY_FORMS}: X.509 SubjectPublicKeyInfo or PKCS#1)`);

const privateKey = z.string().refine((v) => {
  try {
    parsePrivateKey(v);
    return true;
  } catch {
    return false;
  }
}, `expected an RSA private key (${KEY_FORMS}: PKCS#8 or PKCS#1)`);

const appSchema = z
  .object({
    appId: z.string().min(1, 'expected an app_id such as "2019032617262200001"'),
    name: z.string().optional(),
    /** Free text, e.g. "TEST ONLY": fixtures are JSON, which has no comments. */
    note: z.string().optional(),
    /** The app's public key, which the gateway verifies request signatures with (row 8 when absent). */
    publicKey: publicKey.optional(),
    /** The app's private key. The real platform never holds it; fixtures keep it so `sandbox keys` can print it. */
    privateKey: privateKey.optional(),
    /** A disabled app gets 40006 isv.access-forbidden. */
    disabled: z.boolean().default(false),
    /**
     * false: the platform holds no platform key pair for this app, so the gateway's answers to it carry no `sign`
     * (real SOP keeps a platform key pair per app and signs only when the app has one).
     */
    platformKeys: z
      .literal(false, "expected false (this app has no platform key pair, so answers to it are unsigned); leave it out to use the fixture's platformKeys")
      .optional(),
    policy: policyOverrideSchema.optional(),
  })
  .strict();

const userSchema = z
  .object({
    username: z.string().min(1, 'expected a non-empty username'),
    password: z.string().min(1, 'expected a non-empty clear-text password'),
    /** Returned as user_id (a string) by open.auth.token.app. */
    userId: z.string().min(1, 'expected the user_id the token response carries, e.g. "2088000000000001"'),
    /** Restrict the user to these app_ids; all apps when absent. */
    apps: z.array(z.string()).optional(),
  })
  .strict();

/** A file part a method expects in a multipart upload (file parts are never signed). */
const fileFieldSchema = z
  .object({
    name: z.string().min(1, 'expected the form field name of the file part, e.g. "file"'),
    required: z.boolean().default(true),
    /** The method's own parameter error when the part is missing, as its service's validation message says it. */
    message: z
      .object({ zh: z.string().min(1), en: z.string().min(1) })
      .strict()
      .optional()
      .describe('sub_msg of the 40004 isv.invalid-parameter answer when the part is missing; default "<name>不能为空" / "<name> must not be empty"'),
  })
  .strict();

const methodSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected a method name such as "alipay.story.get"'),
    version: z.string().min(1).default('1.0'),
    /** Calls without a live app_auth_token get 20001. */
    needsToken: z.boolean().default(false),
    /** Fields of the success node, after "code" and "msg". */
    response: z.record(z.string(), z.unknown()).default({}),
    files: z
      .array(fileFieldSchema)
      .default([])
      .describe("File parts the method expects in a multipart/form-data upload; a missing required one is answered as the method's own parameter error"),
  })
  .strict();

export const sopFixtureSchema = z
  .object({
    apps: z.array(appSchema).default([]),
    users: z.array(userSchema).default([]),
    /** The platform's key pair: responses are signed with the private key; clients verify with the public one. */
    platformKeys: z.object({ note: z.string().optional(), privateKey, publicKey }).strict().optional(),
    methods: z.array(methodSchema).default([]),
    /** true: a POST reads only its body, as real SOP does; false: the query string is merged in (alipay-sdk). */
    strictSopTransport: z.boolean().default(false),
    /** Timestamps older than now minus this are refused; 0 turns the check off. Future ones always pass. */
    timestampToleranceSeconds: z.number().int().min(0).default(300),
    /** The platform's local time zone, as minutes east of UTC (Asia/Shanghai = 480). */
    utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
    /** A file part larger than this is refused with isv.invalid-file-size (the gateway's own default: 10 MB, as Spring reads "10MB"). */
    maxFileSizeBytes: z
      .number()
      .int()
      .min(1)
      .default(10 * 1024 * 1024),
    /** Where a routed answer's request_id goes in its node: first, as SOP's current gateway writes it, or last. */
    requestIdPosition: z.enum(['first', 'last']).default('first'),
    /** Sign error responses too (Assumed; signed with RSA2 when the request's sign_type is unusable). */
    signErrors: z.boolean().default(true),
    /** How "OAuth redirectUri needs to be provided by client!!!" is answered (Assumed: 400 text/plain). */
    redirectUriError: z
      .object({
        status: httpStatus.default(400),
        contentType: z.string().default('text/plain;charset=UTF-8'),
        body: z.string().default('OAuth redirectUri needs to be provided by client!!!'),
      })
      .strict()
      .default({ status: 400, contentType: 'text/plain;charset=UTF-8', body: 'OAuth redirectUri needs to be provided by client!!!' }),
    policy: policyOverrideSchema.optional(),
    /**
     * Per gateway sub_code: its `code`, and its `zh` and `en` sub_msg; per token error, its `error_description`;
     * for the login page's invalid_client, its HTTP `status` and `error_description`; for the login form's
     * empty_credentials and bad_credentials, the `message` shown above the form.
     */
    errors: catalogueSectionsOverridesSchema([
      [SOP_ERRORS.kinds, { code: z.string().min(1), zh: z.string(), en: z.string() }],
      [SOP_TOKEN_ERRORS.kinds, { error_description: z.string() }],
      [SOP_PAGE_ERRORS.kinds, { status: httpStatus, error_description: z.string() }],
      [SOP_LOGIN_ERRORS.kinds, { message: z.string().min(1, 'expected the text shown above the login form') }],
    ]),
  })
  .strict();

export type SopFixture = z.infer<typeof sopFixtureSchema>;
export type SopApp = SopFixture['apps'][number];
export type SopUser = SopFixture['users'][number];
export type SopMethod = SopFixture['methods'][number];
export type SopPlatformKeys = NonNullable<SopFixture['platformKeys']>;
