import { z } from 'zod';
import { catalogueOverridesSchema, httpStatus } from '../../core/errors-schema.js';
import { policyOverrideSchema } from '../../core/tokens/policy-schema.js';
import { MANTUN_ERRORS } from './errors.js';

const appSchema = z
  .object({
    appKey: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected an app key such as "O000000049" (letters, digits, _ . -)'),
    appSecret: z.string().min(1, 'expected a non-empty app secret (real ones are 32 upper-case hex characters)'),
    redirectUri: z.string().min(1, 'expected the registered redirect URI, e.g. "http://localhost:3000/callback"'),
    name: z.string().optional(),
    policy: policyOverrideSchema.optional(),
  })
  .strict();

const userSchema = z
  .object({
    uname: z.string().min(1, 'expected a non-empty uname'),
    passwd: z.string().min(1, 'expected a non-empty clear-text passwd'),
    /** Restrict the user to these app keys; all apps when absent. */
    apps: z.array(z.string()).optional(),
  })
  .strict();

// Real channel and box records carry many more fields than the documented ones; extra fields pass through.
const channelSchema = z
  .object({
    addr: z.number().int().min(0, 'expected a channel address (integer ≥ 0)'),
    title: z.string(),
    oc: z.boolean(),
    online: z.boolean().default(true),
    enableNetCtrl: z.boolean().default(true),
    validity: z.boolean().default(true),
    power: z.number().default(0),
  })
  .catchall(z.unknown());

const alarmSchema = z
  .object({
    time: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/, 'expected "yyyy-MM-dd HH:mm[:ss]"'),
  })
  .catchall(z.unknown());

const boxSchema = z
  .object({
    mac: z.string().min(1),
    name: z.string(),
    phone: z.string().default(''),
    channels: z.array(channelSchema).default([]),
    alarms: z.array(alarmSchema).default([]),
    power: z
      .object({
        month: z.array(z.unknown()).default([]),
        day: z.array(z.unknown()).default([]),
        hour: z.array(z.unknown()).default([]),
      })
      .strict()
      .default({ month: [], day: [], hour: [] }),
  })
  .catchall(z.unknown());

const projectSchema = z
  .object({
    projectCode: z.string().min(1),
    projectName: z.string(),
    boxes: z.array(boxSchema).default([]),
  })
  .catchall(z.unknown());

/** A code that could pass for a success ("0") or for an authorization code (32 hex) would turn a refusal into one. */
const errorCode = z
  .string()
  .min(1)
  .refine((code) => code !== '0' && !/^[0-9a-fA-F]{32}$/.test(code), {
    message: 'an error code must not be "0" (the success code) nor 32 hex characters (an authorization code): clients would read the refusal as a success',
  });

export const mantunFixtureSchema = z
  .object({
    contextPaths: z.array(z.string().regex(/^\/[A-Za-z0-9_./-]*$/, 'expected a path such as "/ebx-rook"')).default(['/ebx-rook']),
    apps: z.array(appSchema).default([]),
    users: z.array(userSchema).default([]),
    projects: z.array(projectSchema).default([]),
    policy: policyOverrideSchema.optional(),
    /** router.as timestamps older or newer than this are refused; 0 turns the check off. */
    timestampToleranceSeconds: z.number().int().min(0).default(600),
    /** The platform's local time zone, as minutes east of UTC (Asia/Shanghai = 480). */
    utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
    /** How "OAuth callback url needs to be provided!" is answered (Assumed: 400 text/plain). */
    callbackError: z
      .object({
        status: httpStatus.default(400),
        contentType: z.string().default('text/plain;charset=UTF-8'),
        body: z.string().default('OAuth callback url needs to be provided!'),
        location: z.string().optional(),
      })
      .strict()
      .default({ status: 400, contentType: 'text/plain;charset=UTF-8', body: 'OAuth callback url needs to be provided!' }),
    authverifyFailureSuccess: z
      .enum(['boolean', 'string'], { error: 'expected "boolean" (false) or "string" ("false")' })
      .default('boolean')
      .describe(
        'The type of "success" in authverify2.as refusals: "boolean" (false, which every public client reads as a failure) or "string" ("false", the type of its success answer; a client that tests the truthiness of "success" then reads a failure only from "code")',
      ),
    errors: catalogueOverridesSchema(MANTUN_ERRORS.kinds, { code: errorCode, message: z.string(), status: httpStatus }),
  })
  .strict();

export type MantunFixture = z.infer<typeof mantunFixtureSchema>;
export type MantunApp = MantunFixture['apps'][number];
export type MantunProject = MantunFixture['projects'][number];
export type MantunBox = MantunProject['boxes'][number];
export type MantunChannel = MantunBox['channels'][number];
