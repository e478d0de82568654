/** The mails of `--patch-dir` (`git format-patch` style, for `git am`): headers, the message, the diff, the tail. */
import type { CommitMessage } from './messageTypes.js';

/** RFC 2822 date, as git format-patch writes it (UTC). */
function mailDate(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** The author of a mail: kmsfix itself (`git am` keeps it; the committer is whoever applies it). */
export const MAIL_AUTHOR = 'kmsfix <kmsfix@users.noreply.github.com>';

/**
 * A `git format-patch` style mail (mbox) that `git am` turns into one commit with this message:
 * the magic From line, From:/Date:/Subject: headers, the body, `---`, then the diff. `diff` is the
 * plain patch (`diff --git` headers, paths from the repository root).
 */
export function patchMail(m: CommitMessage, diff: string, version: string, date: Date): string {
  return mailHead(m, date) + diff + mailTail(version);
}

/** A mail's headers and message, up to its diff (patchMail). */
export function mailHead(m: CommitMessage, date: Date): string {
  return mailHeaders(m, date, '8bit') + m.body + '---\n';
}

/**
 * A mail's headers, through the blank line that ends them. `base64`: the body is sent so, as for a diff of a
 * file git stores with CRLF line ends: `git am` takes the CRs off a plain body's lines (the patch then no longer
 * applies) unless run with --keep-cr, and keeps them in a base64 one.
 */
export function mailHeaders(m: CommitMessage, date: Date, encoding: '8bit' | 'base64'): string {
  return (
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n' +
    `From: ${MAIL_AUTHOR}\n` +
    `Date: ${mailDate(date)}\n` +
    `Subject: [PATCH] ${m.subject}\n` +
    'MIME-Version: 1.0\n' +
    'Content-Type: text/plain; charset=UTF-8\n' +
    `Content-Transfer-Encoding: ${encoding}\n` +
    '\n'
  );
}

/** What follows a mail's diff (patchMail). */
export function mailTail(version: string): string {
  return `-- \nkmsfix ${version}\n\n`;
}

/** The date of mails: SOURCE_DATE_EPOCH (reproducible builds) when set, else now. */
export function mailNow(env: NodeJS.ProcessEnv = process.env): Date {
  const s = env.SOURCE_DATE_EPOCH;
  return s && /^\d+$/.test(s) ? new Date(Number(s) * 1000) : new Date();
}
