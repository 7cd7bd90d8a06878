/**
 * The candidate a mistyped word most likely meant: the closest by edit distance (a swap of two neighbours
 * counts one) of at most 1 edit, or 2 for words of 8 characters and more, or one that differs only in case or
 * separators. Tighter than that, the guesses were wrong more often than right ("token_expired" → "code_expired").
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const folded = fold(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) return undefined;
    if (fold(c) === folded) return c;
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= (word.length >= 8 ? 2 : 1) ? best : undefined;
}

/** ` (did you mean "x"?)` or nothing: ready to append to the word in a message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const guess = closest(word, candidates);
  return guess === undefined ? '' : ` (did you mean "${guess}"?)`;
}

const fold = (s: string): string => s.toLowerCase().replace(/[-_\s.]/g, '');

/** Optimal string alignment distance; words here are field and scenario names, so short. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64 || b.length > 64) return Infinity;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
