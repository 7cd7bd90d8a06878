import { z } from 'zod';
import { catalogueOverridesSchema, httpStatus } from '../../core/errors/catalogue-overrides.js';
import { policyOverrideSchema } from '../../core/tokens/policy-schema.js';
import { USERCENTER_ERRORS } from './errors.js';

const generationSchema = z.enum(['result', 'data'], {
  error: 'expected "result" (the seed document: result is a JSON string) or "data" (later SDK builds: data is an object)',
});

const clientSchema = z
  .object({
    clientId: z.string().min(1, 'expected the client id the SDK sends as client_id, e.g. "23"'),
    sysid: z.string().min(1, 'expected the system id the SDK sends as sysid, e.g. "yht"'),
    name: z.string().optional(),
    /** Token lifetimes and rules for this client only (seconds), e.g. {"lifetimes": {"access": 60}}. */
    policy: policyOverrideSchema.optional(),
    generation: generationSchema.optional(),
  })
  .strict();

const userSchema = z
  .object({
    userId: z.string().min(1, 'expected the user id (a UUID, as the real service issues)'),
    userCode: z.string().min(1, 'expected a non-empty userCode'),
    userName: z.string().min(1, 'expected a non-empty userName'),
    /** Clear text; clients send md5 and sha1 hex of it. */
    password: z.string().min(1, 'expected a non-empty clear-text password'),
    mobile: z.string().optional(),
    email: z.string().optional(),
    userAvator: z.string().default(''),
    status: z.number().int().default(1),
    registerDate: z.string().default('2019-01-01 00:00:00'),
    /** This user's fixed sandbox validate code (it never expires and can be used any number of times). */
    validateCode: z.string().min(1).optional(),
    /** Restrict the user to these client ids; every client when absent. */
    clients: z.array(z.string()).optional(),
    /** Fields laid over the getUserByToken user object (e.g. an unmasked userMobile, extra fields). */
    profile: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const contextPath = z.string().regex(/^\/[A-Za-z0-9_./-]*$/, 'expected a path such as "/cas"');

export const usercenterFixtureSchema = z
  .object({
    /** Prefixes the SDK's configured base URLs end with. */
    contextPaths: z.array(contextPath).default(['/cas', '/rest']),
    /** Which response generation token answers use (Assumed default: the seed document's). */
    generation: generationSchema.default('result'),
    clients: z.array(clientSchema).default([]),
    users: z.array(userSchema).default([]),
    policy: policyOverrideSchema.optional(),
    /** Refresh lifetime = this × access lifetime, unless a policy sets lifetimes.refresh (Assumed 3). */
    refreshFactor: z.number().positive().default(3),
    /** A validate code every user may log in with; null turns it off. */
    fixedValidateCode: z.string().min(1).nullable().default(null),
    /** Refuse a login whose sysid is not the client's (the real service took an empty sysid). */
    checkSysid: z.boolean().default(false),
    /** destoryToken also kills the refresh token paired with the access token (Assumed). */
    destroyRevokesRefresh: z.boolean().default(true),
    /** The `result` texts of successful checkOauthToken and destoryToken (Assumed). */
    successTexts: z
      .object({ check: z.string().default('true'), destroy: z.string().default('destroy accesstoken success') })
      .strict()
      .default({ check: 'true', destroy: 'destroy accesstoken success' }),
    /** Per kind: `status` (the body's), `msg`, `code` (null removes it) and `httpStatus`. */
    errors: catalogueOverridesSchema(USERCENTER_ERRORS.kinds, {
      status: z.number().int(),
      msg: z.string(),
      code: z.union([z.number().int(), z.string(), z.null()]),
      httpStatus,
    }),
  })
  .strict();

export type UserCenterFixture = z.infer<typeof usercenterFixtureSchema>;
export type UserCenterClient = UserCenterFixture['clients'][number];
export type UserCenterUser = UserCenterFixture['users'][number];
export type Generation = UserCenterFixture['generation'];
