/**
 * CDK apps written in a language kmsfix does not read (Python, Java, Go, C#): their tables would
 * otherwise go unsaid, a scan of such an app reporting "0 tables". Told by the `app` command of each
 * `cdk.json` discovery found (the one file read: no source file of the app is opened).
 */
import { readFileSync } from 'node:fs';

/** The languages a `cdk.json`'s `app` command runs, kmsfix reads none of them. */
const LANGUAGES: [RegExp, string][] = [
  [/\bpython[\d.]*\b|\.py\b|\bpipenv\b|\bpoetry\b/, 'Python'],
  [/\bmvn\b|\bgradlew?\b|\bjava\b|\.jar\b/, 'Java'],
  [/(?:^|[\s;&|])go\s+(?:run|build)\b/, 'Go'],
  [/\bdotnet\b/, 'C#'],
];

/** A cdk.json larger than this is not a CDK app's (it is read whole). */
const MAX_BYTES = 1 << 20;

/** The language of a CDK app's `app` command, when kmsfix does not read it. */
export function unreadLanguage(app: string): string | undefined {
  return LANGUAGES.find(([re]) => re.test(app))?.[1];
}

/**
 * One note per `cdk.json` (`shown`: its display path) whose `app` runs a language kmsfix does not
 * read. A file that cannot be read or parsed says nothing (it is not a CDK app kmsfix can tell).
 */
export function unreadCdkApps(files: { absPath: string; shown: string }[]): string[] {
  const notes: string[] = [];
  for (const f of files) {
    let app: unknown;
    try {
      const text = readFileSync(f.absPath, 'utf8');
      if (text.length > MAX_BYTES) continue;
      app = (JSON.parse(text) as { app?: unknown } | null)?.app;
    } catch {
      continue;
    }
    const language = typeof app === 'string' ? unreadLanguage(app) : undefined;
    if (!language) continue;
    notes.push(
      `${f.shown}: a CDK app in ${language} (app: ${JSON.stringify(app)}), which kmsfix does not read (it reads CDK apps in ` +
        'TypeScript and JavaScript): its tables are not reported; to check them, run cdk synth and scan the templates in cdk.out',
    );
  }
  return notes;
}
