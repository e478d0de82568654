/**
 * `fix --commit` finishing a run killed during its writes (SIGKILL, an OOM kill), from the record it
 * left in the repository's git dir (src/io/pending.ts). The changes it finds are that run's when HEAD
 * is where that run started and every file it recorded is byte for byte either as that run read it or
 * as it planned to write it (proveResume); this run then writes the rest, only if each of its files
 * gets exactly the planned bytes (planMismatch), and commits them all with the message that run
 * planned, once every file is its planned bytes (notPlanned). Anything else is refused, saying which
 * file differs and how.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FileOutcome } from '../core/result.js';
import { toPosix } from '../core/text.js';
import { type Head, headText } from '../io/commit.js';
import { execGit, real } from '../io/git.js';
import { type LegacyPending, type Pending, sha256 } from '../io/pending.js';
import { COMMIT_BRANCH } from './commitMessage.js';

/** A repository whose killed run this run finishes: its record, each file's state (by its path in the record), HEAD now. */
export interface Resume {
  record: Pending;
  state: Map<string, 'before' | 'planned'>;
  now: Head;
}

/** A recorded file as it is now: its bytes before, its planned bytes, or how it differs. */
function fileState(root: string, f: Pending['files'][number]): 'before' | 'planned' | string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(root, f.path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${f.path} deleted` : `${f.path} unreadable (${code ?? (err as Error).message})`;
  }
  const h = sha256(bytes);
  if (h === f.planned) return 'planned';
  if (h === f.before) return 'before';
  return `${f.path} changed since (neither the bytes that run read nor those it planned to write)`;
}

/**
 * Whether the uncommitted changes in the files of a killed run's record are that run's: HEAD is the one
 * it started from (or, same commit, the branch it was making: killed after its switch), and each file
 * holds the bytes it read or those it planned. Else the reasons, each file that differs and how.
 */
export function proveResume(root: string, record: Pending | LegacyPending, now: Head): { resume: Resume } | { reasons: string[] } {
  if (record.version !== 2)
    return { reasons: ['it was recorded by an earlier kmsfix version, without the checksums that would prove the changes its own'] };
  const reasons: string[] = [];
  const { head } = record;
  if (head.sha !== now.sha || (head.branch !== now.branch && now.branch !== COMMIT_BRANCH))
    reasons.push(`HEAD moved: that run started on ${headText(head)}, and it is now ${headText(now)}`);
  const state = new Map<string, 'before' | 'planned'>();
  for (const f of record.files) {
    const s = fileState(root, f);
    if (s === 'before' || s === 'planned') state.set(f.path, s);
    else reasons.push(s);
  }
  return reasons.length > 0 ? { reasons } : { resume: { record, state, now } };
}

/**
 * Before writing in a repository being finished: this run writes exactly the recorded files still as
 * they were read, each with the bytes planned (`content`: a file's new text). The reasons it does not
 * (none: it does). A different kmsfix version or other options fix differently.
 */
export function planMismatch(
  root: string,
  resume: Resume,
  allowed: FileOutcome[],
  content: (o: FileOutcome) => string | undefined,
): string[] {
  const reasons: string[] = [];
  const planned = new Map(resume.record.files.map((f) => [f.path, f.planned]));
  const writes = new Set<string>();
  for (const o of allowed) {
    const rel = toPosix(path.relative(root, real(o.file.absPath)));
    writes.add(rel);
    const state = resume.state.get(rel);
    if (state === undefined) reasons.push(`${rel}: this run would write it, and that run did not plan to`);
    else if (state === 'planned') reasons.push(`${rel}: this run would change it again`);
    else {
      const text = content(o);
      if (text === undefined || sha256(text) !== planned.get(rel))
        reasons.push(`${rel}: this run's fix of it differs from the one that run planned (another kmsfix version or other options)`);
    }
  }
  for (const [rel, state] of resume.state)
    if (state === 'before' && !writes.has(rel))
      reasons.push(
        `${rel}: that run planned to fix it, and this run does not write it (another kmsfix version or other options, or refused)`,
      );
  return reasons;
}

/** After this run's writes, before the commit: the recorded files that are not their planned bytes, and how (none: all are). */
export function notPlanned(root: string, record: Pending): string[] {
  const out: string[] = [];
  for (const f of record.files) {
    const s = fileState(root, f);
    if (s === 'before') out.push(`${f.path} not written`);
    else if (s !== 'planned') out.push(s);
  }
  return out;
}

/**
 * Whether every file of a killed run's record is, in HEAD's commit, exactly the bytes that run planned: the user
 * committed its fix by hand since (as the refusal offers), and the record is done with, whatever they changed after
 * (adversarial pass of session 56, L1: the record refused the repository forever, its advice discarding their later
 * edits). HEAD must have moved from the record's; a file git gives otherwise (line-end conversion) is not proven.
 */
export async function committedAsPlanned(root: string, record: Pending, now: Head): Promise<boolean> {
  if (now.sha === record.head.sha) return false;
  for (const f of record.files) {
    const r = await execGit(root, ['show', `HEAD:${f.path}`]);
    if (r.code !== 0 || sha256(r.stdout) !== f.planned) return false;
  }
  return true;
}
