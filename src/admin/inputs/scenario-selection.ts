import type { ScenarioRef } from '../../core/scenarios/loader.js';
import { SCENARIO_FIELDS } from '../../core/scenarios/fields.js';
import { isPlainObject } from '../../core/validation/load-error.js';
import { unknownFields } from './unknown-fields.js';

export const SCENARIO_USAGE =
  'Send {"name": "<scenario>"}, {"scenarios": ["<name>", {...inline scenario}]}, {"scenario": {...}} or a scenario object itself; add "add": true to lay it over the active ones.';

/** The fields of the wrapping forms ({"name"}, {"scenario(s)"}); an inline scenario brings its own. */
const SELECTION_FIELDS = ['scenario', 'scenarios', 'add'];

/** Which scenarios a PUT /scenario body (or a session's "scenario(s)") names, or what is wrong with it. */
export function readScenarioSelection(body: unknown): { refs: ScenarioRef[]; add: boolean } | string {
  if (typeof body === 'string') return { refs: [body], add: false };
  if (!isPlainObject(body)) return SCENARIO_USAGE;
  const add = body.add === true;
  if (body.add !== undefined && typeof body.add !== 'boolean') return `"add" must be true or false, got ${JSON.stringify(body.add)}.`;
  const keys = Object.keys(body).filter((k) => k !== 'add');
  if ('scenarios' in body || 'scenario' in body) {
    const extra = keys.filter((k) => k !== 'scenarios' && k !== 'scenario');
    if (extra.length) return `Unknown field(s) ${unknownFields(extra, SELECTION_FIELDS)} beside "scenario(s)". ${SCENARIO_USAGE}`;
    const list = body.scenarios !== undefined ? body.scenarios : [body.scenario];
    if (!Array.isArray(list) || list.length === 0 || !list.every((r) => typeof r === 'string' || isPlainObject(r))) {
      return `"scenarios" must be a non-empty array of names and scenario objects. ${SCENARIO_USAGE}`;
    }
    return { refs: list as ScenarioRef[], add };
  }
  if (keys.length === 1 && keys[0] === 'name' && typeof body.name === 'string') return { refs: [body.name], add };
  if (keys.length === 0) return SCENARIO_USAGE;
  if (!keys.some((k) => SCENARIO_FIELDS.includes(k) || k === '$schema'))
    return `Unknown field(s) ${unknownFields(keys, [...SELECTION_FIELDS, ...SCENARIO_FIELDS])}. ${SCENARIO_USAGE}`;
  const { add: _a, ...inline } = body;
  return { refs: [inline], add };
}
