/**
 * What `fix` may write in place. A file with uncommitted changes in its git work tree is refused
 * unless --force (the fix must stay reviewable and revertible with git), and a symbolic link is
 * never written (the rename would replace the link, and its target may lie outside the given paths).
 */
import { lstatSync } from 'node:fs';
import type { FileOutcome } from './pipeline.js';
import { uncommitted } from '../git.js';

/** Sets `error` on every changed outcome that must not be written; returns those that may. */
export async function guardWrites(changed: FileOutcome[], force: boolean): Promise<FileOutcome[]> {
  const refused = force ? new Map<string, string>() : await uncommitted(changed.map((o) => o.file.absPath));
  const ok: FileOutcome[] = [];
  for (const o of changed) {
    let reason = refused.get(o.file.absPath);
    if (!reason) {
      try {
        if (lstatSync(o.file.absPath).isSymbolicLink()) reason = 'is a symbolic link: not written (run kmsfix on its target)';
      } catch (err) {
        reason = `cannot write: ${(err as Error).message}`;
      }
    }
    if (reason) o.error = { file: o.file.path, message: reason };
    else ok.push(o);
  }
  return ok;
}
