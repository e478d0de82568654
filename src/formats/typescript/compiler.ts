/**
 * The TypeScript compiler (the `typescript` package), loaded on first use with a V8 code cache.
 *
 * `typescript.js` is 9 MB of JavaScript: compiling it costs about 250 ms in every process (and
 * every worker thread) that meets a `.ts` file, more than the parse of a whole CDK app. V8 can
 * save the compiled code and load it back (Node 22's `module.enableCompileCache` does the same
 * for every module; Node 20 has no such switch), which brings the load to about 60 ms here.
 *
 * The cache lives in kmsfix's cache folder (src/io/cache.ts), one file per TypeScript version, Node
 * version and architecture. V8 rejects cached code that does not match the source or the engine
 * (it is then rebuilt); any failure to read or write the cache only means a slower start.
 */
import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type * as TS from 'typescript';
import { cachePath, readCache, writeCache } from '../../io/cache.js';
import { packageVersion } from '../../io/packages.js';

const require = createRequire(import.meta.url);

let pendingCache: (() => void) | undefined;

function load(): typeof TS {
  const file = require.resolve('typescript');
  // An unknown version only shares the cache file between versions; V8 still checks the source.
  const cacheFile = cachePath(`typescript-${packageVersion(file)}-node${process.version}-${process.arch}.v8cache`);
  if (!cacheFile) return require(file) as typeof TS;
  const cachedData = readCache(cacheFile);
  // typescript.js is ASCII: decoded as latin1 when it is (13 ms instead of 36 for its 9 MB).
  const bytes = readFileSync(file);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const mod = { exports: {} as unknown, filename: file, id: file, loaded: false };
  wrapper.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  if (!cachedData || script.cachedDataRejected) {
    // Saved after the first parse, so that the functions a parse compiles lazily are in it too.
    pendingCache = () => writeCache(cacheFile, script.createCachedData());
  }
  return mod.exports as typeof TS;
}

export const ts: typeof TS = load();

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
  type BindingName = TS.BindingName;
  type Block = TS.Block;
  type CallExpression = TS.CallExpression;
  type CaseClause = TS.CaseClause;
  type ClassDeclaration = TS.ClassDeclaration;
  type DefaultClause = TS.DefaultClause;
  type FunctionDeclaration = TS.FunctionDeclaration;
  type Diagnostic = TS.Diagnostic;
  type Expression = TS.Expression;
  type Identifier = TS.Identifier;
  type ImportDeclaration = TS.ImportDeclaration;
  type ImportEqualsDeclaration = TS.ImportEqualsDeclaration;
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
  type ScriptKind = TS.ScriptKind;
  type ScriptTarget = TS.ScriptTarget;
  type SourceFile = TS.SourceFile;
  type Statement = TS.Statement;
  type StringLiteral = TS.StringLiteral;
  type SyntaxKind = TS.SyntaxKind;
  type VariableDeclaration = TS.VariableDeclaration;
  type VariableStatement = TS.VariableStatement;
}
