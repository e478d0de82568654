/**
 * CDK and CDKTF apps, and Pulumi programs, written in a language kmsfix does not read (Python, Java,
 * Go, C#): their tables would otherwise go unsaid, a scan of such an app reporting "0 tables". Told by
 * the `app` command of each `cdk.json` and `cdktf.json` discovery found (a cdktf.json's `language`
 * when its command says none) and by the `runtime` of each Pulumi project file (`Pulumi.yaml`): no source file of
 * the app is opened, only a Pulumi program's dependency files (requirements.txt, go.mod, a .csproj, pom.xml...), so a
 * program that lists only other clouds' providers (a GCP, Azure or Kubernetes program) gets no note.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readCdkJson } from '../core/cdkJson.js';

/** The languages an app's `app` command runs, kmsfix reads none of them; with the name cdktf.json's `language` gives each. */
const LANGUAGES: [RegExp, string, string][] = [
  [/\bpython[\d.]*\b|\.py\b|\bpipenv\b|\bpoetry\b/, 'Python', 'python'],
  [/\bmvn\b|\bgradlew?\b|\bjava\b|\.jar\b/, 'Java', 'java'],
  [/(?:^|[\s;&|])go\s+(?:run|build)\b/, 'Go', 'go'],
  [/\bdotnet\b/, 'C#', 'csharp'],
];

/** A command that runs a TypeScript or JavaScript file (`bin/app.ts`, `index.mjs`). */
const JS_ENTRY = /(?:^|[\s'"=/])[\w.@-]+\.(?:[cm]?[jt]s|tsx|jsx)(?=$|[\s'";&|)])/;

/** The files that name an app, and what each app is and synthesizes into. */
const APPS: Record<string, { app: string; synth: string; out: string; language?: true }> = {
  'cdk.json': { app: 'CDK app', synth: 'cdk synth', out: 'the templates in cdk.out' },
  'cdktf.json': { app: 'CDKTF app', synth: 'cdktf synth', out: 'the stacks in cdktf.out (kmsfix scan cdktf.out)', language: true },
};

/** A Pulumi project file (Pulumi.yaml, .yml or .json), whose `runtime` names the program's language. */
const PULUMI_FILES = new Set(['Pulumi.yaml', 'Pulumi.yml', 'Pulumi.json']);

/** The Pulumi runtimes kmsfix does not read (it reads `yaml`, and `nodejs` programs' TypeScript and JavaScript). */
const PULUMI_RUNTIMES: Record<string, string> = { python: 'Python', go: 'Go', dotnet: 'C#', java: 'Java' };

/** The files that list a Pulumi program's packages, per language, by name or by extension. */
const DEPENDENCY_FILES = [
  'requirements.txt',
  'pyproject.toml',
  'Pipfile',
  'setup.py',
  'setup.cfg',
  'go.mod',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
];
const DEPENDENCY_EXTENSIONS = ['.csproj', '.fsproj', '.vbproj'];

/** A package that is or brings Pulumi's AWS provider (pulumi-aws, pulumi_aws, Pulumi.Aws, awsx, aws-native, eks; Java's com.pulumi:aws). */
const AWS_PROVIDER =
  /pulumi[-_.](?:aws|awsx|aws-native|awsnative|eks)\b|pulumi\/pulumi-(?:aws|awsx|eks)|com\.pulumi:(?:aws|awsx|aws-native|eks)\b|<artifactId>\s*(?:aws|awsx|aws-native|eks)\s*<\/artifactId>/i;

/** Pulumi's providers of other clouds (GCP, Azure, Kubernetes...), in each language's spelling. */
const OTHER_CLOUD =
  /pulumi[-_./](?:gcp|google-?native|azure|azure-?native|azuread|kubernetes|oci|digitalocean|linode|hcloud|alicloud|openstack|vsphere|equinix-metal|scaleway|exoscale)\b|com\.pulumi:(?:gcp|google-native|azure|azure-native|azuread|kubernetes|oci|digitalocean)\b|<artifactId>\s*(?:gcp|google-native|azure|azure-native|azuread|kubernetes|oci|digitalocean)\s*<\/artifactId>/i;

/** A line that takes packages from elsewhere: pip's `-r other.txt` / `-e ../lib`, a .NET ProjectReference. */
const INCLUDES = /^\s*(?:-r|-c|-e|--requirement|--constraint|--editable)\b|<ProjectReference\b/im;

/**
 * Whether a Pulumi program's dependency files list a provider of another cloud and nothing that may bring AWS's (its
 * provider, awsx, eks; a file they include, `-r ../requirements.txt`, a ProjectReference): such a program (GCP, Azure,
 * Kubernetes) creates no DynamoDB table of its own. A program listing only `pulumi` (its harness may add awsx), no
 * dependency file, or one kmsfix cannot read: false (the note stays; the second adversarial pass of session 63 found
 * AWS programs whose notes a rule of "no AWS provider listed" dropped).
 */
export function listsOnlyOtherClouds(dir: string): boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  const files = names.filter((n) => DEPENDENCY_FILES.includes(n) || DEPENDENCY_EXTENSIONS.some((e) => n.endsWith(e)));
  let other = false;
  for (const n of files) {
    try {
      const text = readFileSync(path.join(dir, n), 'utf8');
      if (text.length > MAX_BYTES || AWS_PROVIDER.test(text) || INCLUDES.test(text)) return false;
      other ||= OTHER_CLOUD.test(text);
    } catch {
      return false;
    }
  }
  return other;
}

/** The names of the files discovery lists for unreadCdkApps. */
export const APP_FILES: ReadonlySet<string> = new Set([...Object.keys(APPS), ...PULUMI_FILES]);

/**
 * A Pulumi project's runtime name (`runtime: go`, `runtime: { name: go }`, or `name: go` indented under
 * `runtime:`; `"runtime": "go"` in JSON); none: undefined. Read from the text: a Pulumi YAML program is
 * its Pulumi.yaml, and parsing every one with the YAML package cost the scan of such programs four
 * fifths of its speed (bench run 40).
 */
export function pulumiRuntime(text: string): string | undefined {
  // The JSON form's pattern only where its first word is: a YAML project's whole text is otherwise searched for it.
  const json = text.includes('"runtime"') ? /"runtime"\s*:\s*(?:"([\w.-]+)"|\{[^}]*?"name"\s*:\s*"([\w.-]+)")/.exec(text) : null;
  if (json) return json[1] ?? json[2];
  const line = /^runtime:[ \t]*([^\n#]*)/m.exec(text);
  if (!line) return undefined;
  const value = line[1].trim();
  const plain = /^(['"]?)([\w.-]+)\1$/.exec(value);
  if (plain) return plain[2];
  if (value.startsWith('{')) return /^\{[^}]*?\bname:[ \t]*(['"]?)([\w.-]+)\1[ \t]*[,}]/.exec(value)?.[2];
  if (value !== '') return undefined;
  // The block under `runtime:`: its indented lines, until the next top-level key.
  const block = /^(?:[ \t]*(?:#[^\n]*)?\n|[ \t]+[^\n]*\n?)*/.exec(text.slice(line.index + line[0].length + 1))?.[0] ?? '';
  return /^[ \t]+name:[ \t]*(['"]?)([\w.-]+)\1[ \t]*(?:#[^\n]*)?$/m.exec(block)?.[2];
}

/** A cdk.json or cdktf.json larger than this is not an app's (it is read whole). */
const MAX_BYTES = 1 << 20;

/** The language of an app's `app` command (or a cdktf.json's `language`), when kmsfix does not read it. */
export function unreadLanguage(app: string, language?: string): string | undefined {
  // An entry kmsfix reads (`npx ts-node bin/python.ts`: a TypeScript app named after its handlers' language).
  if (JS_ENTRY.test(app)) return undefined;
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
 * kmsfix does not read, and per Pulumi project file whose `runtime` is one (unless its dependency files list only other
 * clouds' providers). A file that cannot be read or parsed says nothing (it is not an app kmsfix can tell).
 * `textOf`: a file's text when the run read it already as a candidate (`readFileSync(absPath, 'utf8')`'s string,
 * src/io/read.ts readCandidate's `utf8`); a file it gives none for is read here.
 */
export function unreadCdkApps(files: { absPath: string; shown: string }[], textOf?: (absPath: string) => string | undefined): string[] {
  const notes: string[] = [];
  for (const f of files) {
    const kind = APPS[path.basename(f.absPath)];
    const pulumi = PULUMI_FILES.has(path.basename(f.absPath));
    if (!kind && !pulumi) continue;
    let text = textOf?.(f.absPath);
    if (text === undefined)
      try {
        text = readFileSync(f.absPath, 'utf8');
      } catch {
        continue;
      }
    if (text.length > MAX_BYTES) continue;
    if (!kind) {
      const runtime = pulumiRuntime(text);
      const language = runtime === undefined ? undefined : PULUMI_RUNTIMES[runtime];
      if (language && !listsOnlyOtherClouds(path.dirname(f.absPath)))
        notes.push(
          `${f.shown}: a Pulumi program in ${language} (runtime: ${runtime}), which kmsfix does not read (it reads Pulumi programs in ` +
            'YAML, TypeScript and JavaScript): its tables are not reported; check their serverSideEncryption (a kmsKeyArn of a ' +
            'customer-managed key) by hand',
        );
      continue;
    }
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
