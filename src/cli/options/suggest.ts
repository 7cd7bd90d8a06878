/** Edit distance (insertions, deletions, substitutions, and swaps of two neighbours: "strat" → "start"). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest known name, if it is close enough to be what was meant (a typo, a missing or extra letter). */
export function closest(input: string, known: readonly string[]): string | undefined {
  const wanted = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = distance(wanted, name.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  // A prefix counts too ("--fixture" for "--fixtures", "val" for "validate").
  const prefixed = known.find((k) => wanted.length >= 3 && k.toLowerCase().startsWith(wanted));
  if (prefixed && bestDistance > 1) return prefixed;
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(wanted.length / 3)) ? best : undefined;
}

export const didYouMean = (input: string, known: readonly string[], show: (s: string) => string = (s) => s): string => {
  const match = closest(input, known);
  return match ? `; did you mean ${show(match)}?` : '';
};
