export interface Palette {
  title(s: string): string;
  heading(s: string): string;
  label(s: string): string;
  url(s: string): string;
  ok(s: string): string;
  warn(s: string): string;
}

const paint = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

const COLOURED: Palette = {
  title: paint(1, 22),
  heading: paint(1, 22),
  label: paint(2, 22),
  url: paint(36, 39),
  ok: paint(32, 39),
  warn: paint(33, 39),
};

const same = (s: string) => s;
export const PLAIN: Palette = { title: same, heading: same, label: same, url: same, ok: same, warn: same };

/**
 * Colour only for a person at a terminal: never in a pipe or a file (CI logs, `> sandbox.log`), and
 * never when NO_COLOR is set (https://no-color.org) or TERM=dumb. Node's hasColors() reads NO_COLOR,
 * FORCE_COLOR and TERM itself.
 */
export function paletteFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Palette {
  if (!stream.isTTY) return PLAIN;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return PLAIN;
  return typeof stream.hasColors === 'function' && stream.hasColors(env) ? COLOURED : PLAIN;
}

/** Columns a string takes in a terminal: escape codes take none, East Asian wide characters two. */
export function columns(s: string): number {
  let n = 0;
  // eslint-disable-next-line no-control-regex -- the escape character is what a colour sequence starts with
  for (const ch of s.replace(/\u001b\[[0-9;]*m/g, '')) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      c >= 0x20000;
    n += wide ? 2 : 1;
  }
  return n;
}
