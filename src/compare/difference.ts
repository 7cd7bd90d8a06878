/**
 * One place where the sandbox answered otherwise than the real platform. `behaviour` is what a client would
 * notice; `data` is a value only the real account holds (its projects, names), which no setting of the
 * sandbox's behaviour changes and which does not fail a comparison.
 */
export interface Difference {
  kind: 'behaviour' | 'data';
  platform: string;
  endpoint: string;
  apiMethod?: string;
  /** The recording line the exchange came from. */
  seq: number;
  /** Where in the answer: `status`, `content-type`, or a JSON path (`$.data.expiresIn`). */
  path: string;
  real: string;
  sandbox: string;
  /** For `data`: why the sandbox could not know it. */
  why?: string;
  /** The documented fixture setting that makes the sandbox answer as the real platform did. */
  setting?: { path: string[]; value: unknown };
}

/** The one-line text of a difference, as `sandbox compare` prints it. */
export function differenceText(d: Difference): string {
  const where = `${d.platform} ${d.endpoint}${d.apiMethod ? ` ${d.apiMethod}` : ''}`;
  const fix = d.setting
    ? ` — fixture ${d.setting.path.join('.')}: ${JSON.stringify(d.setting.value)}`
    : d.kind === 'data'
      ? ` — ${d.why ?? 'data of the real account'}`
      : '';
  return `${d.kind === 'data' ? 'data ' : ''}${where} ${d.path}: real ${d.real}, sandbox ${d.sandbox}${fix}`;
}

/** The same, as one JSON object (`--json`). */
export const differenceJson = (d: Difference): string => JSON.stringify(d);
