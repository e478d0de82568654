/**
 * What a Markdown page says about the code, for test/architecture/docs.test.ts: each `code span`
 * that is a repository path, a KMSFIX_ environment variable or a symbol, checked against the tree.
 *
 * The conventions (docs/architecture.md follows them):
 * - a path (`src/...`, `test/...`, `fixtures/...`, `bench/...`, `scripts/...`, `docs/...`) must exist;
 *   one with a placeholder (`<family>`, `*`) is not checked;
 * - `KMSFIX_NAME` (optionally `=value`) must be named somewhere in src/;
 * - a symbol: a call (`judge()`), a name with a capital or an underscore (`verifyGroup`, `Format`,
 *   `MAX_FILE_BYTES`), or `Owner.member`, must be exported by a file named in backticks in the same
 *   paragraph, list item or table row, or else by some file of src/; `Owner.member` also needs
 *   `member` declared in Owner (an interface, class, type literal or object literal). A lowercase
 *   word without parentheses (`sse`, `planned`) is a value, not a symbol;
 * - a file name (`entry.ts`, `template.yaml`) is prose;
 * - a span naming the walkthrough's hypothetical family (HYPOTHETICAL) is not checked;
 * - anything else (commands, flags, values such as `'aws-owned'`, snippets) is prose.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The example family of "Adding a format": its paths and names do not exist, on purpose. */
export const HYPOTHETICAL = /bicep/i;

const PATH = /^(src|test|fixtures|bench|scripts|docs)\/\S*$/;
const ENV = /^(KMSFIX_[A-Z0-9_]+)(=\S*)?$/;
const SYMBOL = /^([A-Za-z_$][\w$]*)(?:\.([A-Za-z_$][\w$]*))?(\(\))?$/;
const FILE_NAME = /\.(ts|mjs|js|json|ya?ml|txt|md|tf|hcl|bicep)$/;

export type Ref =
  | { kind: 'path'; text: string; line: number }
  | { kind: 'env'; text: string; name: string; line: number }
  | { kind: 'symbol'; text: string; name: string; member?: string; line: number; files: string[] };

/** A paragraph, list item, table row or heading: the lines it spans joined, and where it starts. */
function blocks(markdown: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let current: { lines: string[]; line: number } | undefined;
  let fenced = false;
  const close = () => {
    if (current) out.push({ text: current.lines.join(' '), line: current.line });
    current = undefined;
  };
  markdown.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('```')) {
      close();
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    if (line === '') {
      close();
      return;
    }
    if (/^(#+\s|\||[-*]\s|\d+\.\s)/.test(line)) close();
    current ??= { lines: [], line: i + 1 };
    current.lines.push(line);
  });
  close();
  return out;
}

/** Every checked code span of a page (fenced code blocks are not read). */
export function refsOf(markdown: string): Ref[] {
  const refs: Ref[] = [];
  for (const b of blocks(markdown)) {
    const spans = [...b.text.matchAll(/`([^`]+)`/g)].map((m) => m[1].trim());
    const files = spans.filter((s) => PATH.test(s) && /\.ts$/.test(s));
    for (const s of spans) {
      if (HYPOTHETICAL.test(s)) continue;
      if (PATH.test(s)) {
        if (!/[<>*]/.test(s)) refs.push({ kind: 'path', text: s, line: b.line });
        continue;
      }
      const env = ENV.exec(s);
      if (env) {
        refs.push({ kind: 'env', text: s, name: env[1], line: b.line });
        continue;
      }
      const sym = SYMBOL.exec(s);
      if (!sym || FILE_NAME.test(s)) continue;
      // A lowercase word without parentheses is a value (`sse`, `planned`), not a symbol.
      if (!sym[2] && !sym[3] && !/[A-Z_]/.test(sym[1])) continue;
      refs.push({ kind: 'symbol', text: s, name: sym[1], member: sym[2], line: b.line, files });
    }
  }
  return refs;
}

/** The names a declaration holds as members (interface, class, type literal, object literal, their unions). */
function membersOf(node: ts.Node | undefined): string[] {
  if (!node) return [];
  const names = (ms: ts.NodeArray<ts.Node>) =>
    ms.flatMap((m) => {
      const n = (m as { name?: ts.Node }).name;
      return n && (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isPrivateIdentifier(n)) ? [n.text] : [];
    });
  if (ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) return names(node.members);
  if (ts.isTypeLiteralNode(node)) return names(node.members);
  if (ts.isObjectLiteralExpression(node)) return names(node.properties);
  if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node)) return node.types.flatMap((t) => membersOf(t));
  if (ts.isTypeAliasDeclaration(node)) return membersOf(node.type);
  if (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node)) return membersOf(node.expression);
  if (ts.isVariableDeclaration(node)) return [...membersOf(node.initializer), ...membersOf(node.type)];
  return [];
}

const exported = (s: ts.Statement) =>
  ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The names a file exports, each with its members (re-exports: the name only). */
export function exportsOf(file: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (name: string, members: string[]) => {
    const set = out.get(name) ?? new Set<string>();
    for (const m of members) set.add(m);
    out.set(name, set);
  };
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  for (const s of sf.statements) {
    if (ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause)) {
      for (const e of s.exportClause.elements) add(e.name.text, []);
      continue;
    }
    if (!exported(s)) continue;
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) add(d.name.text, membersOf(d));
    } else if (
      (ts.isFunctionDeclaration(s) ||
        ts.isClassDeclaration(s) ||
        ts.isInterfaceDeclaration(s) ||
        ts.isTypeAliasDeclaration(s) ||
        ts.isEnumDeclaration(s)) &&
      s.name
    ) {
      add(s.name.text, membersOf(s));
    }
  }
  return out;
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourcesUnder(p);
    return /\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Every folder under `dir` (itself excluded), relative to `root`, with `/` separators. */
export function foldersUnder(root: string, dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      const rel = `${dir}/${e.name}`;
      return [rel, ...foldersUnder(root, rel)];
    });
}

/** The problems of a page's references against the tree at `root` (empty: the page matches the code). */
export function checkRefs(root: string, refs: Ref[]): string[] {
  const cache = new Map<string, Map<string, Set<string>>>();
  const exportsIn = (rel: string) => {
    let e = cache.get(rel);
    if (!e) {
      const abs = path.join(root, rel);
      e = existsSync(abs) && statSync(abs).isFile() ? exportsOf(abs) : new Map<string, Set<string>>();
      cache.set(rel, e);
    }
    return e;
  };
  const src = sourcesUnder(path.join(root, 'src')).map((f) => path.relative(root, f).split(path.sep).join('/'));
  const srcText = src.map((f) => readFileSync(path.join(root, f), 'utf8')).join('\n');
  const problems: string[] = [];
  for (const r of refs) {
    const where = `line ${r.line}: \`${r.text}\``;
    if (r.kind === 'path') {
      if (!existsSync(path.join(root, r.text))) problems.push(`${where}: no such file or folder`);
    } else if (r.kind === 'env') {
      if (!srcText.includes(r.name)) problems.push(`${where}: ${r.name} is named nowhere in src/`);
    } else {
      // The files named beside it first, then every file of src/.
      const holders = [...r.files, ...src].filter((f) => exportsIn(f).has(r.name));
      if (holders.length === 0) {
        problems.push(`${where}: ${r.name} is exported by no file of src/${r.files.length ? ` nor by ${r.files.join(', ')}` : ''}`);
      } else if (r.member && !holders.some((f) => exportsIn(f).get(r.name)!.has(r.member!))) {
        problems.push(`${where}: ${r.name} (${[...new Set(holders)].join(', ')}) has no member ${r.member}`);
      }
    }
  }
  return problems;
}
