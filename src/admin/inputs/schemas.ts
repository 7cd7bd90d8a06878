import { z } from 'zod';
import { CLOCK_MESSAGES, readAdvance, readInstant, readRate } from '../../core/time/clock-input.js';
import { DURATION_HINT } from '../../core/time/duration.js';
import { SESSION_ID } from '../../core/sessions/registry.js';
import { scenarioSchema } from '../../core/scenarios/schema.js';
import { unknownFields } from './unknown-fields.js';

/**
 * What the control plane accepts, as zod schemas: the HTTP control plane and the in-process API
 * validate with them, and the OpenAPI document describes its request bodies from them. Every
 * message says what was wrong and what is accepted; tests assert them word for word.
 */

const got = (input: unknown): string => JSON.stringify(input) ?? String(input);

const CLOCK_USAGE = `Send a JSON object with one of "advance" (${DURATION_HINT}), "set" (an ISO-8601 time or epoch milliseconds), "rate" (a number ≥ 0) or "reset": true.`;
const CLOCK_FIELDS = ['advance', 'set', 'rate', 'reset'];

/**
 * A field of the given JSON type read by one of the clock readers (core/time/clock-input.ts), so the HTTP
 * body and the in-process clock refuse a value in the same words; the input type is what OpenAPI shows.
 */
const readBy = <T>(type: z.ZodType, read: (v: unknown) => T | string) =>
  type.transform((v, ctx) => {
    const out = read(v);
    if (typeof out !== 'string') return out;
    ctx.addIssue({ code: 'custom', message: out, input: v });
    return z.NEVER;
  });

export const clockChangeSchema = z
  .strictObject(
    {
      advance: readBy(z.union([z.string(), z.number()], { error: (iss) => CLOCK_MESSAGES.advance(iss.input) }), (v) => readAdvance(v, 'seconds'))
        .optional()
        .describe('A duration: "3601s", "30m", "1h", "1d", "1h30m", or seconds; negative moves back'),
      set: readBy(z.union([z.string(), z.number()], { error: (iss) => CLOCK_MESSAGES.set(iss.input) }), readInstant)
        .optional()
        .describe('ISO-8601 time or epoch milliseconds'),
      rate: readBy(z.number({ error: (iss) => CLOCK_MESSAGES.rate(iss.input) }), readRate)
        .optional()
        .describe('Sandbox seconds per host second: 1 = real time, 60 = a minute per second, 0 = frozen'),
      reset: z
        .boolean({ error: (iss) => `"reset" must be true (back to host time), got ${got(iss.input)}.` })
        .optional()
        .describe('true: back to host time'),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys' ? `Unknown field(s) ${unknownFields(iss.keys, CLOCK_FIELDS)}: use advance, set, rate or reset.` : CLOCK_USAGE,
    },
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
        .describe('1 to 64 letters, digits, "_" or "-", not "default" (the default world); made up when absent'),
      scenario: scenarioRef.optional(),
      scenarios: z.array(scenarioRef).optional(),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `Unknown field(s) ${unknownFields(iss.keys, ['id', 'scenario', 'scenarios'])}: a session takes "id", "scenario" or "scenarios".`
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

/** GET /export?name= */
export const EXPORT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
