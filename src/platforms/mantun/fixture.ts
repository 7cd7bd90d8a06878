import { z } from 'zod';
import { catalogueOverridesSchema, httpStatus } from '../../core/errors/catalogue-overrides.js';
import { policyOverrideSchema } from '../../core/tokens/policy-schema.js';
import { MANTUN_ERRORS } from './errors.js';
import { CHANNEL_WIRE_FIELDS, DEFAULT_READINGS, READINGS } from './readings.js';

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

/** Fields the platform answers whose type nothing public shows: any JSON scalar, so a fixture can correct the type. */
const scalar = z.union([z.string(), z.number(), z.boolean()]);

const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Sandbox-only fields of a record, copied into its answers after the documented ones (what a captured real answer holds beyond them). */
const extraFields = (known: readonly string[]) =>
  z
    .record(z.string(), z.unknown())
    .default({})
    .refine((extra) => !Object.keys(extra).some((k) => known.includes(k)), {
      message: `"extra" holds fields beyond the documented ones; set documented fields (${known.join(', ')}) directly`,
    })
    .describe('Further fields copied into the answer as they are (fields a real answer carries that the sandbox does not model)');

const readingShape = Object.fromEntries(READINGS.map((name) => [name, z.number().default(DEFAULT_READINGS[name])])) as Record<
  (typeof READINGS)[number],
  z.ZodDefault<z.ZodNumber>
>;

/**
 * One channel (a breaker) of a box, field for field as GET_BOX_CHANNELS_REALTIME answers it. The readings are
 * what the channel measures while switched on; while off (oc false) its currents, powers and power factors read 0.
 */
const channelSchema = z
  .object({
    addr: z.number().int().min(0, 'expected a channel address (integer ≥ 0)'),
    title: z.string(),
    oc: z.boolean().describe('true: switched on (合闸; PUT_BOX_CONTROL value1=open), false: switched off (分闸; value1=close)'),
    online: z.boolean().default(true),
    enableNetCtrl: z.boolean().default(true).describe('false: PUT_BOX_CONTROL refuses to switch this channel'),
    validity: scalar.default(true),
    power: z.number().min(0).optional().describe('Active power in kW while switched on (default gW / 1000); 0 while off'),
    updateTime: z
      .string()
      .regex(DATE_TIME, 'expected "yyyy-MM-dd HH:mm:ss" (platform local time)')
      .optional()
      .describe('Time of the last reading, platform local time; absent: the sandbox clock at the last whole minute (a live device)'),
    mxgg: scalar.default(32),
    mxgl: scalar.default(7.04),
    lineType: scalar.default(1),
    specification: scalar.default('C32'),
    control: scalar.default(true),
    visibility: scalar.default(true),
    alarm: scalar.default(0),
    ...readingShape,
    energy: z
      .object({
        hourlyKwh: z
          .array(z.number().min(0))
          .length(24, 'expected 24 numbers: the kWh the channel uses in each hour of the day (0–23, platform local time) while on')
          .optional()
          .describe('Typical kWh in each local hour of the day while switched on; default gW / 1000 every hour'),
        variation: z.number().min(0).max(1).default(0.1).describe('Each hour varies by up to ± this fraction, the same in every run'),
      })
      .strict()
      .default({ variation: 0.1 }),
    extra: extraFields(CHANNEL_WIRE_FIELDS),
  })
  .strict();

export const ALARM_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/;

/** One entry of GET_BOX_ALARM's `data.datas`; what is left out is filled in from the box (lookups.ts). */
const alarmSchema = z
  .object({
    time: z.string().regex(ALARM_TIME, 'expected "yyyy-MM-dd HH:mm[:ss]"').describe('Platform local time; answered as "yyyy-MM-dd HH:mm"'),
    addr: z.number().int().min(0).optional().describe("The channel; default the box's first channel"),
    typeNumber: z.number().int().min(0).default(1).describe('The alarm type as an integer (clients compare it, e.g. == 9); see docs/platforms/mantun.md'),
    type: z.string().optional().describe('Default: the name of typeNumber (e.g. 4 → 过载报警)'),
    info: z.string().optional().describe('Default: the channel title and the type name'),
    node: z.string().optional().describe('Default: the channel title'),
    auto_id: z.number().int().min(1).optional().describe('Unique id of the alarm record; default numbered in fixture order'),
    calm: z.boolean().default(false).describe('A calmed (cleared) alarm: listed only when the request says includeCalm=true'),
    extra: extraFields(['time', 'addr', 'typeNumber', 'type', 'info', 'node', 'auto_id']),
  })
  .strict();

const boxSchema = z
  .object({
    mac: z.string().min(1),
    name: z.string(),
    phone: z.string().default(''),
    channels: z.array(channelSchema).default([]),
    alarms: z.array(alarmSchema).default([]),
    extra: extraFields(['mac', 'name', 'phone']),
  })
  .strict();

const projectSchema = z
  .object({
    projectCode: z.string().min(1),
    projectName: z.string(),
    boxes: z.array(boxSchema).default([]),
    extra: extraFields(['projectCode', 'projectName']),
  })
  .strict();

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
    /**
     * router.as timestamps older or newer than this are refused; 0 (the default) checks none: a public
     * client sends one fixed timestamp on every call and the real platform answers it weeks later.
     */
    timestampToleranceSeconds: z.number().int().min(0).default(0),
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
export type MantunAlarm = MantunBox['alarms'][number];
