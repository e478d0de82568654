/**
 * What `fix` may write in place:
 *
 * - not a file git could not restore: uncommitted changes (modified, staged, untracked) or ignored
 *   and untracked, checked on the real file, unless --force (the fix must stay reviewable and
 *   revertible with git);
 * - not a file reached through a symbolic link named on the command line (the link itself, or a
 *   folder it was found in): the rename would replace the link, or write outside the tree named;
 * - not a read-only file (no write permission bit): its owner said so;
 * - not a file with other names (hard links): the new file put in place would have this name only;
 * - and the files of one group (a Terraform module) all or none: when one is refused, none is
 *   written, and each says which file of its group was refused.
 */
import { statSync } from 'node:fs';
import { type GitStatus, type Refusal, uncommitted } from './git.js';
import { describeError } from './read.js';
import type { FileError, FileOutcome } from '../core/result.js';
import { groupBy } from '../core/lists.js';

/** The changed outcomes that may be written, and why each other one may not. */
export async function guardWrites(
  changed: FileOutcome[],
  force: boolean,
  statuses?: Map<string, Promise<GitStatus>>,
): Promise<{ allowed: FileOutcome[]; refused: Map<FileOutcome, FileError> }> {
  const refused = force
    ? new Map<string, string>()
    : await uncommitted(
        changed.map((o) => o.file.absPath),
        statuses,
      );
  const reasons = new Map<FileOutcome, string>();
  for (const o of changed) {
    let reason = refused.get(o.file.absPath);
    if (!reason && o.link)
      reason = `reached through the symbolic link ${o.link}: read, never written (run kmsfix on the link's target to fix it)`;
    if (!reason) {
      try {
        const st = statSync(o.file.absPath);
        if ((st.mode & 0o222) === 0)
          reason = `is read-only (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}): not written (make it writable to let kmsfix fix it)`;
        // A write puts a new file in place under this name: the file's other names would keep the old text.
        else if (st.nlink > 1)
          reason = `has ${st.nlink} names (hard links): the fix would go to this name only, the others keeping the old text: not written (give it a file of its own first: cp ${o.file.path} x && mv x ${o.file.path})`;
      } catch (err) {
        reason = `cannot write: ${describeError(err)}`;
      }
    }
    if (reason) reasons.set(o, reason);
  }
  allOrNone(changed, reasons, 'not written: the files of its group', 'are written all or none');
  const allowed: FileOutcome[] = [];
  const refusedOutcomes = new Map<FileOutcome, FileError>();
  for (const o of changed) {
    const reason = reasons.get(o);
    if (reason) refusedOutcomes.set(o, { file: o.file.path, message: reason });
    else allowed.push(o);
  }
  return { allowed, refused: refusedOutcomes };
}

/** A group (a Terraform module) all or none: each file of a group one of whose files has a reason gets one naming that file. */
function allOrNone(changed: FileOutcome[], reasons: Map<FileOutcome, string>, lead: string, rule: string): void {
  const byGroup = groupBy(changed, (o) => o.group);
  for (const members of byGroup.values()) {
    const first = members.find((m) => reasons.has(m));
    if (!first || members.length < 2) continue;
    const names = members.map((m) => m.file.path).join(', ');
    for (const m of members) {
      if (!reasons.has(m)) reasons.set(m, `${lead} (${names}) ${rule}, and ${first.file.path} was refused (${reasons.get(first)})`);
    }
  }
}

/** What uncommitted() says of a file --patch-dir leaves out. */
const IN_PATCH: Refusal = {
  verdict: "left out of its repository's patch and mail, which git am applies to the last commit",
  why: '',
  force: 'use --force to put it in anyway',
};

/**
 * `--patch-dir` (without --force): the changed files left out of their repository's patch and mail,
 * and why. The mail is applied to the last commit (`git switch -c ... && git am`): a file with
 * uncommitted changes, untracked, ignored, or whose changes the index hides, is diffed from what
 * the work tree holds, which that commit has not, and `git am` fails on the whole mail. The same
 * check as a fix in place (uncommitted), and a group all or none (a module half in the patch would
 * not be the verified fix). `--patch` is left alone: its patch is for `git apply` in the work tree as
 * it is, which it applies to (README "Patches per repository").
 */
export async function guardPatches(
  changed: FileOutcome[],
  statuses: Map<string, Promise<GitStatus>>,
): Promise<Map<FileOutcome, FileError>> {
  const refused = await uncommitted(
    changed.map((o) => o.file.absPath),
    statuses,
    IN_PATCH,
  );
  const reasons = new Map<FileOutcome, string>();
  for (const o of changed) {
    const reason = refused.get(o.file.absPath);
    if (reason) reasons.set(o, reason);
  }
  allOrNone(changed, reasons, "left out of its repository's patch and mail: the files of its group", 'go in them all or none');
  return new Map([...reasons].map(([o, message]) => [o, { file: o.file.path, message }]));
}
