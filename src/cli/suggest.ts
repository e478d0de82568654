/** "Did you mean ...?": the closest known name to a mistyped one (flags, commands, config keys). */

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The known name closest to `name`, when it is close enough to be a typo (or `name` is a prefix of it). */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    // `--YES`: the same name in another case is the closest (its distance, 3, was past the limit).
    const d = k.toLowerCase() === name.toLowerCase() ? 0 : k.startsWith(name) && name.length >= 3 ? 0.5 : distance(name, k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** " (did you mean X?)", or nothing. */
export function didYouMean(name: string, known: readonly string[], show: (k: string) => string = (k) => k): string {
  const k = closest(name, known);
  return k === undefined ? '' : ` (did you mean ${show(k)}?)`;
}
