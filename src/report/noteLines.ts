/**
 * The run's notes as text prints them on stderr (`note: ...`), with the notes that come once per CDK app,
 * CDKTF app or Pulumi program in a language kmsfix does not read (src/io/cdkApps.ts unreadCdkApps) folded: after
 * the first FOLD_AFTER of one kind, one line `... and N more such notes (-v lists them)` where the next would
 * come (session 64: aws-cdk-examples and pulumi/examples gave 418 of them before the first table). `-v` lists every
 * one; JSON and SARIF keep every note. A run with FOLD_AFTER or fewer of each kind prints as before.
 */
export const FOLD_AFTER = 10;

/** The kind of a note said once per app (`a CDK app`, `a CDKTF app`, `a Pulumi program`), or undefined. */
export function foldKind(note: string): string | undefined {
  return /^.+?: (a (?:CDK app|CDKTF app|Pulumi program)) in .+?, which kmsfix does not read \(it reads /s.exec(note)?.[1];
}

/** The stderr lines of `notes` (each with its newline), and how many notes the fold left out. */
export function noteLines(notes: readonly string[], verbose: boolean): { lines: string[]; folded: number } {
  const total = new Map<string, number>();
  if (!verbose)
    for (const n of notes) {
      const k = foldKind(n);
      if (k) total.set(k, (total.get(k) ?? 0) + 1);
    }
  const shown = new Map<string, number>();
  const lines: string[] = [];
  let folded = 0;
  for (const n of notes) {
    const k = verbose ? undefined : foldKind(n);
    const all = k ? (total.get(k) ?? 0) : 0;
    if (!k || all <= FOLD_AFTER) {
      lines.push(`note: ${n}\n`);
      continue;
    }
    const seen = (shown.get(k) ?? 0) + 1;
    shown.set(k, seen);
    if (seen <= FOLD_AFTER) lines.push(`note: ${n}\n`);
    else {
      if (seen === FOLD_AFTER + 1) lines.push(`... and ${all - FOLD_AFTER} more such notes (-v lists them)\n`);
      folded++;
    }
  }
  return { lines, folded };
}
