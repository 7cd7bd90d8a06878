/**
 * `--log-format json`: everything the CLI says is one JSON object per line, in the shape pino writes the
 * request lines ({"level":30,"time":…,"msg":…}), so `jq` reads the whole log, banner and errors included.
 */
export type JsonLevel = 'info' | 'warn' | 'error';

const LEVEL: Record<JsonLevel, number> = { info: 30, warn: 40, error: 50 };

export function jsonLine(level: JsonLevel, msg: string, fields: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ level: LEVEL[level], time: Date.now(), msg, ...fields })}\n`;
}

/** How the CLI writes: lines for people, or JSON lines. Set once the options are known. */
let json = false;
export const setJsonOutput = (on: boolean): void => {
  json = on;
};
export const jsonOutput = (): boolean => json;
