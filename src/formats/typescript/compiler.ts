/**
 * The TypeScript compiler's parser, loaded on first use with a V8 code cache.
 *
 * `typescript.js` is 9 MB of JavaScript (the parser, the checker, the emitter, the language service):
 * compiling it costs about 250 ms in every process (and every worker thread) that meets a `.ts` file,
 * more than the parse of a whole CDK app. So `npm run build` derives a parser-only build of it
 * (scripts/ts-parser.mjs: the same code, less the top-level declarations the parser and the names
 * kmsfix uses cannot reach, 1 MB) into dist/ts-parser/, and this loads that when it is there for
 * the installed TypeScript version, the whole package otherwise (`KMSFIX_TS_PARSER=full` forces it).
 *
 * V8 can save the compiled code and load it back (src/io/codeCache.ts; Node 22's
 * `module.enableCompileCache` does the same for every module, Node 20 has no such switch). The cache lives
 * in kmsfix's cache folder (src/io/cache.ts), one file per compiler file, Node version and architecture.
 * Rejected cached code is rebuilt; any failure to read or write the cache only means a slower start.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TS from 'typescript';
import { cachePath } from '../../io/cache.js';
import { codeCacheName, runCached } from '../../io/codeCache.js';
import { packageVersion } from '../../io/packages.js';

const require = createRequire(import.meta.url);

let pendingCache: (() => void) | undefined;

const full = require.resolve('typescript');
// An unknown version only shares the cache file between versions; V8 still checks the source.
const version = packageVersion(full);

/**
 * The parser-only build for TypeScript `version`: dist/ts-parser/typescript-<version>-<hash>.cjs in
 * kmsfix's folder (this module runs from src/, dist/src/ or dist/bundle/), or undefined.
 */
function parserBuild(version: string): string | undefined {
  const prefix = `typescript-${version}-`;
  for (let dir = path.dirname(fileURLToPath(import.meta.url)), i = 0; i < 4; i++, dir = path.dirname(dir)) {
    const folder = path.join(dir, 'dist', 'ts-parser');
    try {
      const name = readdirSync(folder).find((n) => n.startsWith(prefix) && n.endsWith('.cjs'));
      if (name) return path.join(folder, name);
    } catch {
      // Not here: climb.
    }
  }
  return undefined;
}

/** Require a CommonJS file with V8's cached code for it (src/io/codeCache.ts), when caching is on. */
function loadCached(file: string, cacheName: string): unknown {
  const cacheFile = cachePath(cacheName);
  if (!cacheFile) return require(file);
  const { exports, save } = runCached(file, cacheFile);
  // Saved after the first parse, so that the functions a parse compiles lazily are in it too.
  pendingCache = save;
  return exports;
}

/**
 * The parser-only build `parser` (by default the one for the installed version, if built), else the
 * whole compiler: a build that fails to load, or is not of the installed version, is not used.
 */
export function loadTypeScript(parser: string | undefined = defaultParser()): typeof TS {
  if (parser) {
    try {
      const ts = loadCached(parser, codeCacheName(path.basename(parser, '.cjs'))) as typeof TS;
      if (typeof ts.createSourceFile === 'function' && ts.version === version) return ts;
    } catch {
      // A broken build: the whole compiler below.
    }
    pendingCache = undefined;
  }
  return loadCached(full, codeCacheName(`typescript-${version}`)) as typeof TS;
}

function defaultParser(): string | undefined {
  return process.env.KMSFIX_TS_PARSER === 'full' ? undefined : parserBuild(version);
}

export const ts: typeof TS = loadTypeScript();

/** Write the code cache once, after the first file was parsed (no-op when it was used). */
export function saveCompilerCache(): void {
  const save = pendingCache;
  pendingCache = undefined;
  save?.();
}

// The types of the compiler's namespace that kmsfix names, under the same `ts.` prefix as its values.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace ts {
  type ArrayLiteralExpression = TS.ArrayLiteralExpression;
  type BinaryExpression = TS.BinaryExpression;
  type BindingElement = TS.BindingElement;
  type BindingName = TS.BindingName;
  type Block = TS.Block;
  type CallExpression = TS.CallExpression;
  type CaseClause = TS.CaseClause;
  type ClassDeclaration = TS.ClassDeclaration;
  type ClassExpression = TS.ClassExpression;
  type ConditionalExpression = TS.ConditionalExpression;
  type DefaultClause = TS.DefaultClause;
  type FunctionDeclaration = TS.FunctionDeclaration;
  type FunctionExpression = TS.FunctionExpression;
  type ArrowFunction = TS.ArrowFunction;
  type Diagnostic = TS.Diagnostic;
  type Expression = TS.Expression;
  type ExpressionWithTypeArguments = TS.ExpressionWithTypeArguments;
  type Identifier = TS.Identifier;
  type ImportDeclaration = TS.ImportDeclaration;
  type ImportEqualsDeclaration = TS.ImportEqualsDeclaration;
  type ImportSpecifier = TS.ImportSpecifier;
  type ExportSpecifier = TS.ExportSpecifier;
  type NamedDeclaration = TS.NamedDeclaration;
  type ModuleBlock = TS.ModuleBlock;
  type NamedImports = TS.NamedImports;
  type NewExpression = TS.NewExpression;
  type Node = TS.Node;
  type NodeArray<T extends TS.Node> = TS.NodeArray<T>;
  type ObjectLiteralElementLike = TS.ObjectLiteralElementLike;
  type ObjectLiteralExpression = TS.ObjectLiteralExpression;
  type PropertyAccessExpression = TS.PropertyAccessExpression;
  type PropertyAssignment = TS.PropertyAssignment;
  type PropertyName = TS.PropertyName;
  type ShorthandPropertyAssignment = TS.ShorthandPropertyAssignment;
  type SignatureDeclaration = TS.SignatureDeclaration;
  type SpreadElement = TS.SpreadElement;
  type ScriptKind = TS.ScriptKind;
  type ScriptTarget = TS.ScriptTarget;
  type SourceFile = TS.SourceFile;
  type Statement = TS.Statement;
  type StringLiteral = TS.StringLiteral;
  type SyntaxKind = TS.SyntaxKind;
  type TaggedTemplateExpression = TS.TaggedTemplateExpression;
  type TemplateExpression = TS.TemplateExpression;
  type AwaitExpression = TS.AwaitExpression;
  type PrefixUnaryExpression = TS.PrefixUnaryExpression;
  type ElementAccessExpression = TS.ElementAccessExpression;
  type ParameterDeclaration = TS.ParameterDeclaration;
  type InterfaceDeclaration = TS.InterfaceDeclaration;
  type IntersectionTypeNode = TS.IntersectionTypeNode;
  type TryStatement = TS.TryStatement;
  type TypeAliasDeclaration = TS.TypeAliasDeclaration;
  type TypeElement = TS.TypeElement;
  type TypeLiteralNode = TS.TypeLiteralNode;
  type TypeNode = TS.TypeNode;
  type UnionTypeNode = TS.UnionTypeNode;
  type VariableDeclaration = TS.VariableDeclaration;
  type VariableStatement = TS.VariableStatement;
}
