/**
 * CDK and CDKTF apps written in a language kmsfix does not read (Python, Java, Go, C#): their tables
 * would otherwise go unsaid, a scan of such an app reporting "0 tables". Told by the `app` command of
 * each `cdk.json` and `cdktf.json` discovery found (a cdktf.json's `language` when its command says
 * none), the one file read: no source file of the app is opened.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readCdkJson } from '../core/cdkJson.js';

/** The languages an app's `app` command runs, kmsfix reads none of them; with the name cdktf.json's `language` gives each. */
const LANGUAGES: [RegExp, string, string][] = [
  [/\bpython[\d.]*\b|\.py\b|\bpipenv\b|\bpoetry\b/, 'Python', 'python'],
  [/\bmvn\b|\bgradlew?\b|\bjava\b|\.jar\b/, 'Java', 'java'],
  [/(?:^|[\s;&|])go\s+(?:run|build)\b/, 'Go', 'go'],
  [/\bdotnet\b/, 'C#', 'csharp'],
];

/** The files that name an app, and what each app is and synthesizes into. */
const APPS: Record<string, { app: string; synth: string; out: string; language?: true }> = {
  'cdk.json': { app: 'CDK app', synth: 'cdk synth', out: 'the templates in cdk.out' },
  'cdktf.json': { app: 'CDKTF app', synth: 'cdktf synth', out: 'the stacks in cdktf.out (kmsfix scan cdktf.out)', language: true },
};

/** The names of the files discovery lists for unreadCdkApps. */
export const APP_FILES: ReadonlySet<string> = new Set(Object.keys(APPS));

/** A cdk.json or cdktf.json larger than this is not an app's (it is read whole). */
const MAX_BYTES = 1 << 20;

/** The language of an app's `app` command (or a cdktf.json's `language`), when kmsfix does not read it. */
export function unreadLanguage(app: string, language?: string): string | undefined {
  return LANGUAGES.find(([re]) => re.test(app))?.[1] ?? LANGUAGES.find(([, , id]) => id === language)?.[1];
}

/** A cdktf.json's `language` (`python`), if it writes one. */
function languageIn(text: string): string | undefined {
  try {
    const l = (JSON.parse(text) as { language?: unknown } | null)?.language;
    return typeof l === 'string' ? l : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One note per `cdk.json` or `cdktf.json` (`shown`: its display path) whose `app` runs a language
 * kmsfix does not read. A file that cannot be read or parsed says nothing (it is not an app kmsfix can tell).
 */
export function unreadCdkApps(files: { absPath: string; shown: string }[]): string[] {
  const notes: string[] = [];
  for (const f of files) {
    const kind = APPS[path.basename(f.absPath)];
    if (!kind) continue;
    let text: string;
    try {
      text = readFileSync(f.absPath, 'utf8');
    } catch {
      continue;
    }
    if (text.length > MAX_BYTES) continue;
    const app = readCdkJson(text).app ?? '';
    const language = unreadLanguage(app, kind.language && languageIn(text));
    if (!language) continue;
    notes.push(
      `${f.shown}: a ${kind.app} in ${language} (app: ${JSON.stringify(app)}), which kmsfix does not read (it reads ${kind.app}s in ` +
        `TypeScript and JavaScript): its tables are not reported; to check them, run ${kind.synth} and scan ${kind.out}`,
    );
  }
  return notes;
}
