/**
 * Every TypeScript fixture (input and expected output) type-checks: AWS CDK files against the real
 * aws-cdk-lib and constructs from node_modules; CDKTF and Pulumi files against the hand-written
 * declarations in test/formats/typescript/typings/ (the real provider packages are too large to install for tests).
 * The fixtures are outside tsconfig.json, so they get a program of their own.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureCases, FIXTURES, ROOT } from '../../helpers/fixture-cases.js';

const TYPINGS = path.join(ROOT, 'test', 'formats', 'typescript', 'typings');

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  // fixtures/typescript/cdk-stack-tsx: JSX kept as written (typings/jsx.d.ts types its elements).
  jsx: ts.JsxEmit.Preserve,
  types: ['node'],
  typeRoots: [path.join(ROOT, 'node_modules', '@types')],
};

/**
 * `serverSideEncryption` was removed from TableProps in recent aws-cdk-lib releases (older v2 releases
 * have it, and CDK still honours it at run time); the statuses fixture keeps it to show it is detected
 * and replaced. Only inputs may have this one error.
 */
const LEGACY_INPUT = /'serverSideEncryption' does not exist in type 'TableProps'/;

function diagnostics(program: ts.Program, files: string[]): string[] {
  const wanted = new Set(files.map((f) => path.resolve(f)));
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || wanted.has(path.resolve(d.file.fileName)))
    .map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const file = d.file ? path.relative(ROOT, d.file.fileName) : '?';
      return `${file}:${where ? `${where.line + 1}:${where.character + 1}` : ''} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
}

describe('TypeScript fixtures type-check', () => {
  const cases = fixtureCases('typescript');
  // A case with input/ and expected/ folders holds a project (its package.json beside the program).
  const projects = cases.filter((c) => c.expectedPaths.some((p) => p.endsWith('package.json')));
  // An Amplify Gen2 backend imports @aws-amplify/backend (not a dependency here); kmsfix reports its
  // data models and writes nothing there (cdk-amplify-data-models: its expected files are its inputs).
  const expected = cases
    .filter((c) => c.name !== 'cdk-amplify-data-models')
    .flatMap((c) => c.expectedPaths)
    .filter((p) => /\.(?:[cm]?ts|tsx)$/.test(p));
  // In a case's expected/ folder (at any depth: a project's bin/ and lib/), the same path under input/.
  const folder = `${path.sep}expected${path.sep}`;
  const inputs = expected.map((p) =>
    p.includes(folder)
      ? p.replace(folder, `${path.sep}input${path.sep}`)
      : path.join(path.dirname(p), path.basename(p).replace(/^expected/, 'input')),
  );

  it('has CDK, CDKTF and Pulumi outputs to check', () => {
    expect(expected.length).toBeGreaterThan(10);
    expect(projects.length).toBeGreaterThan(0);
    expect(expected.every(existsSync)).toBe(true);
    expect(existsSync(path.join(ROOT, 'node_modules', 'aws-cdk-lib', 'package.json'))).toBe(true);
  });

  const typings = readdirSync(TYPINGS).map((f) => path.join(TYPINGS, f));
  let program: ts.Program;
  beforeAll(() => {
    program = ts.createProgram([...expected, ...inputs, ...typings], OPTIONS);
  }, 120_000);

  it('every expected output type-checks (tsc --noEmit, strict): 0 errors', () => {
    expect(diagnostics(program, [...expected, ...typings])).toEqual([]);
  });

  it('every input type-checks too (the fix is the only change)', () => {
    expect(diagnostics(program, inputs).filter((d) => !LEGACY_INPUT.test(d))).toEqual([]);
  });

  // A fix that replaces a lookup of the AWS managed key removes the `const` it leaves unused, and a named import only
  // it used (fix.ts dropUnusedLookups): these outputs compile under projen's and `cdktf init`'s noUnusedLocals too.
  it('the outputs of the unused-lookup cases pass noUnusedLocals (TS6133), as their inputs do', () => {
    const unused = cases.filter((c) => c.name.includes('unused-lookup')).flatMap((c) => c.expectedPaths.filter((p) => p.endsWith('.ts')));
    expect(unused.length).toBeGreaterThanOrEqual(5);
    const unusedInputs = unused.map((p) => path.join(path.dirname(p), 'input.ts'));
    const strict = ts.createProgram([...unused, ...unusedInputs, ...typings], { ...OPTIONS, noUnusedLocals: true });
    expect(diagnostics(strict, [...unused, ...unusedInputs])).toEqual([]);
  }, 120_000);

  it('a broken output would be caught (the check is real)', () => {
    const bad = path.resolve(FIXTURES, 'typescript', 'cdk-table-namespace', 'expected.ts');
    const host = ts.createCompilerHost(OPTIONS);
    const orig = host.getSourceFile.bind(host);
    host.getSourceFile = (f, lang, onError) => {
      if (path.resolve(f) !== bad) return program.getSourceFile(f) ?? orig(f, lang, onError);
      const text = readFileSync(bad, 'utf8').replace('enableKeyRotation: true', "enableKeyRotation: 'yes'");
      return ts.createSourceFile(f, text, ts.ScriptTarget.ES2022, true);
    };
    const broken = ts.createProgram([bad, ...typings], OPTIONS, host);
    expect(diagnostics(broken, [bad]).join('\n')).toMatch(/enableKeyRotation|not assignable/);
  }, 120_000);
});
