import { z } from 'zod';
import { describeInstant, inTimeRange, MAX_RATE, MAX_SPAN_MS, TIME_RANGE } from '../core/time/clock.js';
import { DURATION_HINT, parseDuration } from '../core/time/duration.js';
import { SESSION_ID } from '../core/sessions/registry.js';
import { TOKEN_KINDS } from '../core/state/token-record.js';
import { scenarioSchema } from '../core/scenarios/schema.js';

/**
 * What the control plane accepts, as zod schemas: the HTTP control plane and the in-process API
 * validate with them, and the OpenAPI document describes its request bodies from them. Every
 * message says what was wrong and what is accepted; tests assert them word for word.
 */

const got = (input: unknown): string => JSON.stringify(input) ?? String(input);

const CLOCK_USAGE = `Send a JSON object with one of "advance" (${DURATION_HINT}), "set" (an ISO-8601 time or epoch milliseconds), "rate" (a number ≥ 0) or "reset": true.`;
const CLOCK_FIELDS = ['advance', 'set', 'rate', 'reset'];

const advanceMessage = (v: unknown) => `"advance" must be ${DURATION_HINT}, got ${got(v)}.`;
const setMessage = (v: unknown) => `"set" must be an ISO-8601 time such as "2026-01-01T08:00:00+08:00" or epoch milliseconds, got ${got(v)}.`;
const rateMessage = (v: unknown) => `"rate" must be a number ≥ 0 (1 = real time, 60 = a minute per second, 0 = frozen), got ${got(v)}.`;
const rateCapMessage = (v: unknown) => `"rate" must be at most ${MAX_RATE} (a million sandbox seconds per host second), got ${got(v)}.`;
const setRangeMessage = (v: unknown) => `"set" must be a time ${TIME_RANGE}, got ${got(v)}${typeof v === 'number' ? ` (${describeInstant(v)})` : ''}.`;
const advanceRangeMessage = (v: unknown) =>
  `"advance" must move the clock by at most ${MAX_SPAN_MS / 86_400_000} days either way (the sandbox's whole time range, ${TIME_RANGE}), got ${got(v)}.`;

export const clockChangeSchema = z
  .strictObject(
    {
      advance: z
        .union([z.string(), z.number()], { error: (iss) => advanceMessage(iss.input) })
        .refine((v) => parseDuration(v) !== undefined, { error: (iss) => advanceMessage(iss.input), abort: true })
        .refine((v) => Math.abs(parseDuration(v)!) <= MAX_SPAN_MS, { error: (iss) => advanceRangeMessage(iss.input) })
        .optional()
        .describe('A duration: "3601s", "30m", "1h", "1d", "1h30m", or seconds; negative moves back'),
      set: z
        .union([z.string().refine((v) => Number.isFinite(Date.parse(v)), { error: (iss) => setMessage(iss.input) }), z.number()], {
          error: (iss) => setMessage(iss.input),
        })
        .refine((v) => inTimeRange(typeof v === 'number' ? v : Date.parse(v)), { error: (iss) => setRangeMessage(iss.input) })
        .optional()
        .describe('ISO-8601 time or epoch milliseconds'),
      rate: z
        .number({ error: (iss) => rateMessage(iss.input) })
        .min(0, { error: (iss) => rateMessage(iss.input) })
        .max(MAX_RATE, { error: (iss) => rateCapMessage(iss.input) })
        .optional()
        .describe('Sandbox seconds per host second: 1 = real time, 60 = a minute per second, 0 = frozen'),
      reset: z
        .boolean({ error: (iss) => `"reset" must be true (back to host time), got ${got(iss.input)}.` })
        .optional()
        .describe('true: back to host time'),
    },
    { error: (iss) => (iss.code === 'unrecognized_keys' ? `Unknown field(s) ${iss.keys.join(', ')}: use advance, set, rate or reset.` : CLOCK_USAGE) },
  )
  .refine((b) => CLOCK_FIELDS.some((k) => k in b), { error: CLOCK_USAGE })
  .describe('At least one field; applied in the order reset, rate, set, advance');

const inlineScenario = scenarioSchema.describe('An inline scenario (the scenario file format)');
const scenarioRef = z.union([z.string().min(1).describe('A scenario of the library, by name'), inlineScenario]);
const add = z.boolean().optional().describe('Lay the scenarios over the active ones instead of replacing them');

/**
 * PUT /scenario, as the OpenAPI document describes it. The body is read by readScenarioSelection (its
 * messages name every accepted form), and inline scenarios are then validated by the scenario library
 * with the same messages as scenario files.
 */
export const scenarioSelectionSchema = z
  .union([
    z.strictObject({ name: z.string().min(1), add }),
    z.strictObject({ scenarios: z.array(scenarioRef).min(1), add }),
    z.strictObject({ scenario: scenarioRef, add }),
    inlineScenario.extend({ add }),
  ])
  .describe('A library name, a list of names and inline scenarios, one inline scenario, or a scenario object itself; "add": true lays it over the active ones');

/** POST /sessions. */
export const sessionRequestSchema = z
  .strictObject(
    {
      id: z
        .string({ error: (iss) => `"id" must be a string, got ${got(iss.input)}.` })
        .regex(SESSION_ID, { error: (iss) => `"id" must be 1 to 64 letters, digits, "_" or "-" (starting with a letter or digit), got ${got(iss.input)}.` })
        .optional()
        .describe('1 to 64 letters, digits, "_" or "-"; made up when absent'),
      scenario: scenarioRef.optional(),
      scenarios: z.array(scenarioRef).optional(),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `Unknown field(s) ${iss.keys.join(', ')}: a session takes "id", "scenario" or "scenarios".`
          : 'Send a JSON object: {} or {"id": "worker-1", "scenario": "rotation-strict"} (scenario: a name, an inline scenario, or "scenarios": [...]).',
    },
  )
  .describe('An isolated session: its id and the scenarios active in it from the start');

/**
 * POST /sessions as the service reads it: inline scenarios are only objects here, and the scenario
 * library validates them (invalid_scenario, with the path of every issue, as PUT /scenario answers).
 */
const looseRef = z.union([z.string().min(1), z.record(z.string(), z.unknown())], { error: '"scenario" must be a scenario name or an inline scenario object.' });
export const sessionRequestShape = sessionRequestSchema.extend({ scenario: looseRef.optional(), scenarios: z.array(looseRef).optional() });

const kind = z.enum(TOKEN_KINDS);

/** POST /tokens/<value>/expire|revoke: which record, when the value exists on several platforms or kinds. */
export const tokenPickSchema = z
  .object({ platform: z.string().optional(), kind: kind.optional() })
  .describe('Pick one record when the value exists on several platforms or kinds');

/** GET /export?name= */
export const EXPORT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
