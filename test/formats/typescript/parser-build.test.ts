/**
 * The parser-only build of TypeScript (scripts/ts-parser.mjs, written by `npm run build` into
 * dist/ts-parser/) against the whole `typescript` package: the same trees, node by node, and the
 * same syntax errors, on every TypeScript file of the fixtures, kmsfix's own sources, the compiler's
 * lib .d.ts files, some of aws-cdk-lib, and mutated fixtures; it exports every value kmsfix uses;
 * it leaves out the compiler's map of identifiers, which kmsfix never reads; and compiler.ts falls
 * back to the whole package when the build is missing or broken.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as TS from 'typescript';
import { describe, expect, it } from 'vitest';
import { loadTypeScript, ts as used } from '../../../src/formats/typescript/compiler.js';
import { callExpressions, newExpressions, parseTypeScript } from '../../../src/formats/typescript/parse.js';
import { classWrites } from '../../../src/formats/typescript/singleValue.js';
import { cdk, prng } from '../../../bench/generate.mjs';
import { CONSTRUCTOR_REWRITES, FLAGS_GATE, INNER_REWRITES, PARSER_API, UNREAD_FIELDS } from '../../../scripts/ts-parser.mjs';
import { ROOT } from '../../helpers/fixture-cases.js';

const require = createRequire(import.meta.url);
const full = require('typescript') as typeof TS;

const buildDir = path.join(ROOT, 'dist', 'ts-parser');
const built = readdirSync(buildDir).find((n) => n.startsWith(`typescript-${full.version}-`) && n.endsWith('.cjs'));
const parser = require(path.join(buildDir, built ?? 'missing: run npm run build')) as typeof TS;

function files(dir: string, test: (name: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) files(p, test, out);
    else if (test(name)) out.push(p);
  }
  return out;
}

/** A TypeScript file kmsfix reads (`.ts`, `.mts`, `.cts`, `.tsx`: parse.ts scriptKindOf), not a declaration. */
const isSource = (name: string) => /\.(?:[cm]?ts|tsx)$/.test(name);

/**
 * A tree as text: each node's kind, range, flags, own text and parent, in forEachChild order, and its transform
 * flags when the text may hold `await` (the parser build computes them only then: scripts/ts-parser.mjs
 * FLAGS_GATE); then the syntax errors.
 */
function dump(t: typeof TS, file: string, text: string): string {
  const options = { languageVersion: t.ScriptTarget.Latest, jsDocParsingMode: t.JSDocParsingMode.ParseNone };
  let sf: TS.SourceFile;
  try {
    // A `.tsx` (a mutated one's name ends `#k`) with JSX, as kmsfix parses it.
    sf = t.createSourceFile(file, text, options, true, /\.tsx(#\d+)?$/.test(file) ? t.ScriptKind.TSX : t.ScriptKind.TS);
  } catch (e) {
    // fixtures/typescript/bad/deep-nesting: too deep for the stack, in both.
    return `thrown: ${(e as Error).name}`;
  }
  return dumpTree(t, sf);
}

function dumpTree(t: typeof TS, sf: TS.SourceFile): string {
  const out: string[] = [];
  const flagsOn = mayHoldAwait(sf.text);
  const walk = (n: TS.Node, depth: number, parent: TS.Node | undefined) => {
    const own = n as unknown as { escapedText?: string; text?: string; transformFlags: number };
    const value = t.isIdentifier(n) || t.isPrivateIdentifier(n) ? own.escapedText : t.isSourceFile(n) ? '' : own.text;
    const flags = flagsOn ? ` ${own.transformFlags}` : '';
    out.push(`${depth} ${t.SyntaxKind[n.kind]} ${n.pos}-${n.end} ${n.flags}${flags} ${n.parent === parent} ${value ?? ''}`);
    t.forEachChild(n, (c) => walk(c, depth + 1, n));
  };
  walk(sf, 0, undefined);
  const diags = (sf as unknown as { parseDiagnostics: TS.Diagnostic[] }).parseDiagnostics;
  for (const d of diags) out.push(`! ${d.start} ${d.length} ${d.code} ${t.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  return out.join('\n');
}

/** A text whose nodes the parser build gives transform flags: one that holds `await` or a backslash (`\\u0061wait`). */
const mayHoldAwait = (text: string) => text.includes('await') || text.includes('\\');

function same(file: string, text: string): void {
  const expected = dump(full, file, text);
  const actual = dump(parser, file, text);
  if (actual !== expected) expect(actual, file).toBe(expected);
}

/** A small seeded generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the parser-only build of TypeScript', () => {
  it('is built, for the installed version', () => {
    expect(built, 'npm run build writes it').toBeDefined();
    expect(parser.version).toBe(full.version);
    // Far smaller than the compiler: no checker, emitter or language service.
    expect(statSync(path.join(buildDir, built!)).size).toBeLessThan(statSync(require.resolve('typescript')).size / 3);
    expect((parser as unknown as Record<string, unknown>).createProgram).toBeUndefined();
  });

  it('exports every value of the compiler that kmsfix uses', () => {
    const src = path.join(ROOT, 'src', 'formats', 'typescript');
    const names = new Set<string>();
    for (const f of files(src, (n) => n.endsWith('.ts'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bts\.([A-Za-z_$][\w$]*)/g)) if (m[1] in full) names.add(m[1]);
    }
    expect(names.size).toBeGreaterThan(30);
    const missing = [...names].filter((n) => !PARSER_API.includes(n) || !(n in parser));
    expect(missing).toEqual([]);
  });

  it('kmsfix runs on it (tests from the sources too)', () => {
    expect(used.version).toBe(full.version);
    expect((used as unknown as Record<string, unknown>).createProgram).toBeUndefined();
  });

  it("writes the enums as object literals, each the same object as the compiler's, keys in the same order", () => {
    const text = readFileSync(path.join(buildDir, built!), 'latin1');
    // SyntaxKind's 756 keyed stores, run on every load, are gone (scripts/ts-parser.mjs enumLiteral).
    expect(text).toMatch(/var SyntaxKind ?= ?\{"0": ?"FirstToken",/);
    expect(text).not.toMatch(/SyntaxKind\d*\[SyntaxKind\d*\["Unknown"\]/);
    const enums = PARSER_API.filter((n) => /^[A-Z]/.test(n) && typeof (full as unknown as Record<string, unknown>)[n] === 'object');
    expect(enums).toEqual(expect.arrayContaining(['SyntaxKind', 'NodeFlags', 'ScriptKind', 'ScriptTarget', 'JSDocParsingMode']));
    for (const n of enums) {
      const entries = (t: typeof TS) => Object.entries((t as unknown as Record<string, object>)[n]);
      expect(entries(parser), n).toEqual(entries(full));
    }
    // Enums the parser reads inside its functions, not exported: through the values it writes on nodes.
    const sf = parser.createSourceFile('x.ts', 'export const a = 1 as const;', parser.ScriptTarget.Latest);
    expect(sf.statements[0].kind).toBe(parser.SyntaxKind.VariableStatement);
    expect(parser.SyntaxKind[sf.statements[0].kind]).toBe(full.SyntaxKind[full.SyntaxKind.VariableStatement]);
    const list = (sf.statements[0] as TS.VariableStatement).declarationList;
    expect(list.flags & parser.NodeFlags.Const).toBe(parser.NodeFlags.Const);
  });

  it("gives the same trees as the whole compiler: fixtures, kmsfix sources, the compiler's .d.ts, aws-cdk-lib", () => {
    const inputs = [
      ...files(path.join(ROOT, 'fixtures'), isSource),
      ...files(path.join(ROOT, 'src'), (n) => n.endsWith('.ts')),
      ...files(path.join(ROOT, 'test', 'formats', 'typescript'), (n) => n.endsWith('.ts')),
      // The compiler's own declarations (lib.dom and lib.webworker aside: 3 MB of the same shapes).
      ...files(path.dirname(require.resolve('typescript')), (n) => /^(lib\.(?!dom|webworker).*|typescript)\.d\.ts$/.test(n)),
      ...files(path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'aws-dynamodb'), (n) => /\.(d\.ts|js)$/.test(n)),
    ];
    expect(inputs.length).toBeGreaterThan(250);
    for (const f of inputs) same(f, readFileSync(f, 'utf8'));
    const r = prng(16);
    for (let k = 0; k < 20; k++) same(`generated-${k}.ts`, cdk(r));
  });

  it('gives the same trees and syntax errors on broken TypeScript (mutated fixtures)', () => {
    const next = random(16);
    const tokens = ['{', '}', '(', ')', ',', ';', '`', "'", '"', '/*', '//', 'new ', '=>', '<', '>', '?.', '...', '@', '#', '\\', '\n'];
    let errors = 0;
    for (const f of files(path.join(ROOT, 'fixtures'), isSource)) {
      const text = readFileSync(f, 'utf8');
      for (let k = 0; k < 6; k++) {
        const at = Math.floor(next() * text.length);
        const cut = Math.floor(next() * 8);
        const mutated =
          k === 0
            ? text.slice(0, at)
            : text.slice(0, at) + (k % 2 ? tokens[Math.floor(next() * tokens.length)] : '') + text.slice(at + cut);
        same(`${f}#${k}`, mutated);
        if (dump(parser, f, mutated).includes('\n! ')) errors++;
      }
    }
    expect(errors).toBeGreaterThan(100);
  });

  it("parseTypeScript links every node to its parent as the compiler's setParentNodes does, and lists the `new` expressions and the calls with arguments in order", () => {
    const r = prng(7);
    const inputs = [
      ...files(path.join(ROOT, 'fixtures', 'typescript'), (n) => isSource(n) && !n.includes('bad')).map((f) => ({
        ext: path.extname(f),
        text: readFileSync(f, 'utf8'),
      })),
      ...Array.from({ length: 10 }, () => ({ ext: '.ts', text: cdk(r) })),
    ];
    for (const [k, { ext, text }] of inputs.entries()) {
      let sf: TS.SourceFile;
      try {
        sf = parseTypeScript(`f${k}${ext}`, text);
      } catch {
        continue; // a bad-input fixture
      }
      expect(dumpTree(used, sf)).toBe(dump(full, `f${k}${ext}`, text));
      expect(dumpTree(used, sf)).not.toContain(' false ');
      const news: TS.Node[] = [];
      const calls: TS.Node[] = [];
      const visit = (n: TS.Node): void => {
        if (used.isNewExpression(n)) news.push(n);
        if (used.isCallExpression(n) && n.arguments.length > 0) calls.push(n);
        used.forEachChild(n, visit);
      };
      visit(sf);
      expect(newExpressions(sf)).toEqual(news);
      expect(callExpressions(sf)).toEqual(calls);
    }
  });

  it("gives a class's `this.x <op> ...` writes (classWrites, from the writes collected with the parents) as a walk of the class does", () => {
    // The walk classWrites made before: the class's subtree in source order, each write marked by whether it lies in a member.
    const walked = (cls: TS.ClassLikeDeclaration) => {
      const out: string[] = [];
      let member = false;
      const visit = (n: TS.Node): void => {
        if (
          used.isBinaryExpression(n) &&
          n.operatorToken.kind >= used.SyntaxKind.FirstAssignment &&
          n.operatorToken.kind <= used.SyntaxKind.LastAssignment &&
          used.isPropertyAccessExpression(n.left) &&
          n.left.expression.kind === used.SyntaxKind.ThisKeyword
        )
          out.push(`${n.left.name.text} ${n.operatorToken.kind} ${n.right.pos} ${member}`);
        used.forEachChild(n, visit);
      };
      used.forEachChild(
        cls,
        (c) => {
          member = false;
          visit(c);
        },
        (nodes) => {
          member = nodes === cls.members;
          for (const c of nodes) visit(c);
          member = false;
          return undefined;
        },
      );
      return out.sort();
    };
    const indexed = (cls: TS.ClassLikeDeclaration) =>
      [...classWrites(cls as TS.ClassDeclaration)]
        .flatMap(([name, ws]) => ws.map((w) => `${name} ${w.op} ${w.right.pos} ${w.member}`))
        .sort();
    const own =
      'const base = (x: unknown) => class { v = x };\n' +
      '@dec((this.d = 1))\nclass A extends base((this.h = 2)) {\n  key;\n  other = (this.f ??= 3);\n' +
      '  constructor() { super(); this.key = new Key(this, "K"); this.n += 1;\n' +
      '    const Inner = class { constructor() { this.key = 4; } };\n    const f = function () { this.g = 5; }; }\n' +
      '  m() { this.key ||= other; [this.a] = [1]; }\n}\nthis.top = 6;\n';
    const r = prng(11);
    const texts = [
      own,
      ...files(path.join(ROOT, 'fixtures', 'typescript'), (n) => isSource(n) && !n.includes('bad')).map((f) => readFileSync(f, 'utf8')),
      ...Array.from({ length: 5 }, () => cdk(r)),
    ];
    let classes = 0;
    let writes = 0;
    for (const [k, text] of texts.entries()) {
      let sf: TS.SourceFile;
      try {
        sf = parseTypeScript(`w${k}.ts`, text);
      } catch {
        continue;
      }
      const visit = (n: TS.Node): void => {
        if (used.isClassDeclaration(n) || used.isClassExpression(n)) {
          classes++;
          writes += walked(n).length;
          expect(indexed(n), `w${k}.ts ${n.pos}`).toEqual(walked(n));
        }
        used.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(classes).toBeGreaterThan(100);
    expect(writes).toBeGreaterThan(20);
    // The class of `own`: the writes in its decorator and heritage are not its members'; the inner class's are its too.
    const a = parseTypeScript('own.ts', own).statements[1] as TS.ClassDeclaration;
    expect(indexed(a).map((w) => w.replace(/ \d+ \d+ /, ' '))).toEqual(
      ['d false', 'f true', 'g true', 'h false', 'key true', 'key true', 'key true', 'n true'].sort(),
    );
  });

  it("does not intern identifiers (INNER_REWRITES), and kmsfix never reads the compiler's map of them", () => {
    const text = "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nnew dynamodb.Table(this, 'T', { tableName: 'T' });\n";
    const identifiers = (t: typeof TS) =>
      (t.createSourceFile('a.ts', text, t.ScriptTarget.Latest, false, t.ScriptKind.TS) as unknown as { identifiers: Map<string, string> })
        .identifiers;
    expect([...identifiers(full).keys()]).toEqual(expect.arrayContaining(['dynamodb', 'Table', 'tableName']));
    expect(identifiers(parser).size).toBe(0);
    // The two changes inside statements (each applied exactly once, or the build stops).
    expect(INNER_REWRITES).toHaveLength(2);
    expect(INNER_REWRITES[0].to).toBe('function internIdentifier(text) {\n    return text;\n  }');
    expect(INNER_REWRITES[1].to).toContain('parseDiagnostics.length !== saveParseDiagnosticsLength');
    // The written file's whitespace is minified (scripts/ts-parser.mjs minified): compared without
    // comments, whitespace, and the semicolon a block's last statement may drop.
    const squeeze = (t: string) =>
      t
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\s+/g, '')
        .replace(/;}/g, '}');
    const derived = squeeze(readFileSync(path.join(buildDir, built!), 'utf8'));
    for (const r of INNER_REWRITES) {
      expect(derived).toContain(squeeze(r.to));
      expect(derived).not.toContain(squeeze(r.from));
    }
    for (const f of files(path.join(ROOT, 'src'), (n) => n.endsWith('.ts')))
      expect(readFileSync(f, 'utf8'), f).not.toMatch(/\.identifiers\b/);
  });

  it("leaves the binder's, checker's and emitter's fields out of its nodes (CONSTRUCTOR_REWRITES, UNREAD_FIELDS)", () => {
    const text =
      "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nfunction f(x: number) { return new dynamodb.Table(this, 'T', { a: x }); }\n";
    const nodes = (t: typeof TS) => {
      const out: Record<string, unknown>[] = [];
      const sf = t.createSourceFile('a.ts', text, t.ScriptTarget.Latest, false, t.ScriptKind.TS);
      const walk = (n: TS.Node) => {
        out.push(n as unknown as Record<string, unknown>);
        t.forEachChild(n, walk);
      };
      walk(sf);
      return out;
    };
    const unread = ['id', 'modifierFlagsCache', 'original', 'emitNode', ...UNREAD_FIELDS];
    // The whole compiler gives its nodes these fields (undefined or 0); the parser build none of them.
    const held = (list: Record<string, unknown>[]) => new Set(list.flatMap((n) => unread.filter((f) => Object.hasOwn(n, f))));
    expect([...held(nodes(full))].sort()).toEqual([...unread].sort());
    expect([...held(nodes(parser))]).toEqual([]);
    expect(nodes(parser).map((n) => n.kind)).toEqual(nodes(full).map((n) => n.kind));
    // In the written file (minified: compared as in the test above).
    const squeeze = (t: string) =>
      t
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\s+/g, '')
        .replace(/;}/g, '}');
    const derived = squeeze(readFileSync(path.join(buildDir, built!), 'utf8'));
    for (const r of CONSTRUCTOR_REWRITES) {
      expect(derived).toContain(squeeze(r.to));
      expect(derived).not.toContain(squeeze(r.from));
    }
    for (const f of UNREAD_FIELDS) expect(derived).not.toContain(`node.${f}=void0`);
  });

  it('computes transform flags only for a text that may hold `await` (FLAGS_GATE), and parses top-level `await` again as the compiler does', () => {
    const parse = (t: typeof TS, text: string, name = 'a.ts') =>
      t.createSourceFile(
        name,
        text,
        { languageVersion: t.ScriptTarget.Latest, jsDocParsingMode: t.JSDocParsingMode.ParseNone },
        true,
        t.ScriptKind.TS,
      );
    const flagsOf = (t: typeof TS, text: string) => {
      const out: number[] = [];
      const walk = (n: TS.Node) => {
        out.push((n as unknown as { transformFlags: number }).transformFlags);
        t.forEachChild(n, walk);
      };
      walk(parse(t, text));
      return out;
    };
    const awaitKinds = (t: typeof TS, text: string) => {
      const out: string[] = [];
      const walk = (n: TS.Node) => {
        if (n.kind === t.SyntaxKind.AwaitExpression || (t.isIdentifier(n) && n.text === 'await')) out.push(t.SyntaxKind[n.kind]);
        t.forEachChild(n, walk);
      };
      walk(parse(t, text));
      return out;
    };
    // A module's top-level `await` (written, escaped, in `for await`): an identifier on the first pass, an
    // await expression after the compiler's reparse, in both builds, with the same transform flags.
    const modules = [
      "import { x } from './x';\nconst a = await x();\nfor await (const y of a) {}\nfunction f() { return 1; }\n",
      // The escaped one alone (`const b = \u0061wait;`) is parsed again only when the backslash turns the flags on.
      "import { x } from './x';\nconst a = \\u0061wait x;\nconst b = \\u0061wait;\n",
      'export const a = 1;\nawait new Promise((r) => r(a));\n',
    ];
    for (const text of modules) {
      expect(awaitKinds(full, text)).toContain('AwaitExpression');
      expect(awaitKinds(parser, text)).toEqual(awaitKinds(full, text));
      expect(flagsOf(parser, text)).toEqual(flagsOf(full, text));
      same('tla.ts', text);
    }
    // A script (no import or export): `await` stays an identifier in both.
    expect(awaitKinds(parser, 'const a = await;\n')).toEqual(awaitKinds(full, 'const a = await;\n'));
    // Without `await`: the same tree, every transform flag left 0 (the compiler's are not all 0).
    const plain =
      "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nclass S { f = async () => new dynamodb.Table(this, 'T', { ...p }); }\n";
    expect(flagsOf(full, plain).some((f) => f !== 0)).toBe(true);
    expect(flagsOf(parser, plain).every((f) => f === 0)).toBe(true);
    same('plain.ts', plain);
    // The flags are on again after such a parse: for the next text with `await`, and for the factory.
    expect(flagsOf(parser, modules[0])).toEqual(flagsOf(full, modules[0]));
    const id = (t: typeof TS) => (t.factory.createIdentifier('await') as unknown as { transformFlags: number }).transformFlags;
    expect(id(parser)).toBe(id(full));
    expect(id(parser)).not.toBe(0);
    // In the written file (minified): the gate at createSourceFile, and the factory's stores behind it.
    const derived = readFileSync(path.join(buildDir, built!), 'latin1');
    expect(derived).toContain('transformFlagsOff=!sourceText.includes("await")&&!sourceText.includes("\\\\")');
    expect(derived.match(/transformFlagsOff\|\|\(node\.transformFlags/g)?.length ?? 0).toBeGreaterThan(100);
    expect(FLAGS_GATE.entry).toContain('function createSourceFile(');
  });

  it('gives the same error messages through kmsfix (parseTypeScript)', () => {
    const text = "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nnew dynamodb.Table(this, 'T', { partitionKey: ;\n";
    expect(() => parseTypeScript('a.ts', text)).toThrow(/TypeScript: Expression expected\./);
  });
});

describe('loading the compiler', () => {
  it('falls back to the whole package when the parser-only build is broken or missing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-ts-parser-'));
    const broken = path.join(dir, `typescript-${full.version}-000000000000.cjs`);
    writeFileSync(broken, 'module.exports = {}; throw new Error("broken");\n');
    for (const file of [broken, path.join(dir, 'missing.cjs')]) {
      const t = loadTypeScript(file);
      expect(t.version).toBe(full.version);
      expect(typeof (t as unknown as Record<string, unknown>).createProgram).toBe('function');
      expect(t.createSourceFile('a.ts', 'const a = 1;', t.ScriptTarget.Latest).statements).toHaveLength(1);
    }
  });

  it('does not take a build of another TypeScript version', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-ts-parser-'));
    const other = path.join(dir, 'typescript-0.0.1-000000000000.cjs');
    writeFileSync(other, `module.exports = { ...require(${JSON.stringify(path.join(buildDir, built!))}), version: '0.0.1' };\n`);
    expect(typeof (loadTypeScript(other) as unknown as Record<string, unknown>).createProgram).toBe('function');
  });
});
