import { z } from 'zod';
import { catalogueOverridesSchema, httpStatus } from '../../core/errors/catalogue-overrides.js';
import { policyOverrideSchema } from '../../core/tokens/policy-schema.js';
import { ZJRC_ERRORS } from './errors.js';
import { parsePrivateKey, parsePublicKey } from './rsa.js';
import { DEFAULT_SCOPE_FIELDS, isZjrcScope, ZJRC_SCOPES } from './scopes.js';

const publicKeyText = z.string().superRefine((text, ctx) => {
  try {
    parsePublicKey(text);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `expected an RSA public key (${(e as Error).message})` });
  }
});

const privateKeyText = z.string().superRefine((text, ctx) => {
  try {
    parsePrivateKey(text);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `expected an RSA private key (${(e as Error).message})` });
  }
});

const scopeName = z.string().refine(isZjrcScope, { message: `expected one of ${ZJRC_SCOPES.join(', ')}` });

const appSchema = z
  .object({
    appId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected an app id (letters, digits, _ . -)'),
    name: z.string().optional(),
    clientSecret: z.string().min(1, 'expected the client_secret that clientSign HMACs are keyed with'),
    /** The app's public key: the gateway verifies request signatures with it. */
    publicKey: publicKeyText,
    /** TEST ONLY: shipped so users can sign requests; the sandbox itself never uses it. */
    privateKey: privateKeyText.optional(),
    dlpId: z.string().optional(),
    prodId: z.string().optional(),
    redirectUris: z.array(z.string().min(1)).min(1, 'expected at least one registered redirect URI'),
    /** Scopes the app may ask for; all six when absent. */
    scopes: z.array(scopeName).optional(),
    policy: policyOverrideSchema.optional(),
  })
  .strict();

const userSchema = z
  .object({
    username: z.string().min(1, 'expected a non-empty username'),
    password: z.string().min(1, 'expected a non-empty clear-text password'),
    /** Restrict the user to these app ids; all apps when absent. */
    apps: z.array(z.string()).optional(),
    /** The values user-info scopes reveal (nickname, avatar, mobile, idNumber, cardNumber, ...). */
    profile: z.record(z.string(), z.string()).default({}),
  })
  .strict();

const keyPairSchema = z
  .object({
    /** Free text, e.g. "TEST ONLY". */
    note: z.string().optional(),
    /** The platform's private key signs every gateway response. */
    privateKey: privateKeyText,
    /** Given to clients to verify responses (isSignValid()); shown in the start banner's docs. */
    publicKey: publicKeyText,
  })
  .strict();

/** Wire names of the common message (Assumed: the Java bean's names). */
const fieldNamesSchema = z
  .object({
    appId: z.string().min(1).default('appId'),
    dlpId: z.string().min(1).default('dlpId'),
    prodId: z.string().min(1).default('prodId'),
    method: z.string().min(1).default('method'),
    version: z.string().min(1).default('version'),
    timestamp: z.string().min(1).default('timestamp'),
    bizContent: z.string().min(1).default('bizContent'),
    signType: z.string().min(1).default('signType'),
    sign: z.string().min(1).default('sign'),
    code: z.string().min(1).default('code'),
    msg: z.string().min(1).default('msg'),
    bizCode: z.string().min(1).default('bizCode'),
    bizMsg: z.string().min(1).default('bizMsg'),
  })
  .strict()
  .prefault({});

const scopeFieldsSchema = z
  .object(Object.fromEntries(ZJRC_SCOPES.map((s) => [s, z.array(z.string().min(1)).default(DEFAULT_SCOPE_FIELDS[s])])))
  .strict()
  .prefault({});

export const zjrcFixtureSchema = z
  .object({
    apps: z.array(appSchema).default([]),
    users: z.array(userSchema).default([]),
    platformKeys: keyPairSchema.optional(),
    policy: policyOverrideSchema.optional(),
    // Everything below is "Assumed" (docs/platforms/zjrc.md#assumed-choices): the documented defaults, correctable here.
    fields: fieldNamesSchema,
    successCode: z.string().default('000000'),
    successMsg: z.string().default('成功'),
    bizSuccessCode: z.string().default('0'),
    bizSuccessMsg: z.string().default('成功'),
    /** Used for responses, and for requests that carry no signType. */
    signType: z.enum(['RSA2', 'RSA']).default('RSA2'),
    /** Fields left out of the signed text besides the signature itself (e.g. ["signType"]). */
    signExclude: z.array(z.string()).default([]),
    /** Sign empty values too (default: only non-empty fields are signed). */
    signIncludeEmpty: z.boolean().default(false),
    /** bizContent in responses: a JSON string (default) or a nested object. */
    bizContentFormat: z.enum(['string', 'object']).default('string'),
    /** clientSign encoding accepted: lower-case hex (documented), Base64 (the copied helper), or either. */
    clientSignEncoding: z.enum(['hex', 'base64', 'either']).default('hex'),
    /** Requests whose timestamp is further than this from the sandbox clock are refused; 0 = off. */
    timestampToleranceSeconds: z.number().int().min(0).default(300),
    /** The platform's local time zone, minutes east of UTC (Asia/Shanghai = 480). */
    utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
    /** Accepted `version` values; empty = any. */
    versions: z.array(z.string()).default(['1.0.0']),
    scopeFields: scopeFieldsSchema,
    errors: catalogueOverridesSchema(ZJRC_ERRORS.kinds, { code: z.string().min(1), message: z.string(), status: httpStatus }),
  })
  .strict();

export type ZjrcFixture = z.infer<typeof zjrcFixtureSchema>;
export type ZjrcApp = ZjrcFixture['apps'][number];
export type ZjrcUser = ZjrcFixture['users'][number];
export type ZjrcFieldNames = ZjrcFixture['fields'];
