/**
 * The import graph of a source tree, for the architecture test (test/architecture/imports.test.ts):
 * every relative import of every .ts file under a root (static, dynamic, `export ... from`, and
 * `import('...')` types), resolved to the file it names, checked against boundary rules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One import: both paths relative to the root, with `/`, the target as its .ts source. */
export interface Import {
  from: string;
  to: string;
}

/** A boundary: files matched by `files` may import only paths matched by one of `may`. */
export interface Rule {
  name: string;
  files: RegExp;
  may: RegExp[];
}

/** A known violation, allowed until the work named in `why` removes it (then the test asks to drop it). */
export interface Exception {
  from: string;
  to: string;
  why: string;
}

function sources(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...sources(root, rel));
    else if (/\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name)) out.push(rel);
  }
  return out.sort();
}

/** Every relative import of the .ts files under `root/dir`, resolved (`x.js` -> `x.ts`). */
export function importsOf(root: string, dir: string): Import[] {
  const out: Import[] = [];
  for (const from of sources(root, dir)) {
    const text = readFileSync(path.join(root, from), 'utf8');
    for (const f of ts.preProcessFile(text, true, true).importedFiles) {
      if (!f.fileName.startsWith('.')) continue;
      const to = path.posix.normalize(path.posix.join(path.posix.dirname(from), f.fileName)).replace(/\.js$/, '.ts');
      out.push({ from, to });
    }
  }
  return out;
}

/** The imports no rule allows: for each import, the first rule whose `files` match its file decides. */
export function violations(imports: Import[], rules: Rule[]): (Import & { rule: string })[] {
  const out: (Import & { rule: string })[] = [];
  for (const i of imports) {
    const rule = rules.find((r) => r.files.test(i.from));
    if (rule && !rule.may.some((m) => m.test(i.to))) out.push({ ...i, rule: rule.name });
  }
  return out;
}
