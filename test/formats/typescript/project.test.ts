/**
 * What the project around a file declares: the Pulumi fix reads the Region as `.region` with
 * @pulumi/aws 7 and later (`.name` is deprecated there) and as `.name` before 7 or when no
 * package.json says (the nearest package.json that lists @pulumi/aws, from the file's folder up).
 * The engine finds the package.json (DiskContext.projectFile): here through the real CLI on a
 * project on disk, and in memory (the fixture walker runs fixtures/typescript/pulumi-component-v7/).
 *
 * fixtures/typescript/pulumi-component/: input.ts; expected.ts (no version known, and @pulumi/aws 6);
 * fixtures/typescript/pulumi-component-v7/: the same program next to a package.json with
 * @pulumi/aws ^7, and its fix.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lowestVersion, majorOf } from '../../../src/formats/typescript/project.js';
import { projenConfig } from '../../../src/formats/typescript/projen.js';
import { processMemory } from '../../../src/engine/memory.js';
import { runCli } from '../../helpers/cli-helper.js';
import { FIXTURES } from '../../helpers/fixture-cases.js';
import { EXPECTED, verdicts } from '../../helpers/kms-policy-eval.js';
import { runTsKeyPolicies } from '../../helpers/kms-policy-extract.js';

const CASE = path.join(FIXTURES, 'typescript', 'pulumi-component');
const V7 = path.join(FIXTURES, 'typescript', 'pulumi-component-v7');
const read = (f: string) => readFileSync(path.join(CASE, f), 'utf8');
const readV7 = (f: string) => readFileSync(path.join(V7, f), 'utf8');

/** A project folder: package.json files by relative folder, and the program at `program`. */
function project(packages: Record<string, object>, program = 'index.ts'): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-pulumi-'));
  for (const [folder, pkg] of Object.entries(packages)) {
    mkdirSync(path.join(dir, folder), { recursive: true });
    writeFileSync(path.join(dir, folder, 'package.json'), JSON.stringify(pkg, null, 2));
  }
  const file = path.join(dir, program);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, read('input.ts'));
  return { dir, file };
}

async function fix(dir: string): Promise<void> {
  const r = await runCli(['fix', '--yes', '--format', 'json', '.'], dir);
  expect(r.code, r.stdout + r.stderr).toBe(0);
}

describe('Pulumi: the Region attribute follows the @pulumi/aws version the project declares', () => {
  it('@pulumi/aws ^7 (the fixture project): `.region`, byte for byte pulumi-component-v7/expected/index.ts', async () => {
    const { dir, file } = project({ '.': JSON.parse(readV7('input/package.json')) });
    await fix(dir);
    const out = readFileSync(file, 'utf8');
    expect(out).toBe(readV7('expected/index.ts'));
    expect(out).toContain('region.region');
    expect(out).not.toContain('region.name}');
  });

  it('@pulumi/aws ^6: `.name` (no `.region` before 7), byte for byte expected.ts', async () => {
    const { dir, file } = project({ '.': { dependencies: { '@pulumi/aws': '^6.66.0' } } });
    await fix(dir);
    expect(readFileSync(file, 'utf8')).toBe(read('expected.ts'));
  });

  it('no package.json lists @pulumi/aws: `.name`, which every version has', async () => {
    const { dir, file } = project({ '.': { dependencies: { typescript: '^5' } } });
    await fix(dir);
    expect(readFileSync(file, 'utf8')).toBe(read('expected.ts'));
  });

  it('a workspace: the nearest package.json that lists @pulumi/aws, from the file up', async () => {
    const { dir, file } = project(
      { '.': { devDependencies: { '@pulumi/aws': '7.3.0' } }, 'infra/shop': { name: 'shop' } },
      'infra/shop/index.ts',
    );
    await fix(dir);
    expect(readFileSync(file, 'utf8')).toBe(readV7('expected/index.ts'));
  });

  it('in memory too: the in-memory package.json nearest above the program, as on disk', async () => {
    const program = { path: 'infra/shop/index.ts', text: read('input.ts') };
    const v7 = { dependencies: { '@pulumi/aws': '^7.0.0' } };
    const run = async (packages: Record<string, object>) =>
      (
        await processMemory([program, ...Object.entries(packages).map(([p, pkg]) => ({ path: p, text: JSON.stringify(pkg) }))], 'fix')
      ).output.get(program.path);
    expect(await run({ 'package.json': v7 })).toBe(readV7('expected/index.ts'));
    expect(await run({ 'package.json': v7, 'infra/package.json': { name: 'infra' } })).toBe(readV7('expected/index.ts'));
    // The nearest that lists @pulumi/aws wins; none: `.name`.
    expect(await run({ 'package.json': v7, 'infra/shop/package.json': { devDependencies: { '@pulumi/aws': '6.1.0' } } })).toBe(
      read('expected.ts'),
    );
    expect(await run({})).toBe(read('expected.ts'));
  });

  it('pulumi-component-v7/expected/index.ts: every key policy answers each caller as drop-in (read back by running the program)', () => {
    const found = runTsKeyPolicies(readV7('expected/index.ts'));
    expect(found.map((k) => k.key).sort()).toEqual(['sessions-key', 'shop-carts-key', 'shop-orders-key']);
    for (const k of found)
      expect({ key: k.key, verdicts: k.policy ? verdicts(k.policy, k.region) : k.problem }).toEqual({
        key: k.key,
        verdicts: EXPECTED['drop-in'],
      });
  });
});

describe('project.ts', () => {
  it('reads the lowest major a range allows', () => {
    const cases: [string | undefined, number | undefined][] = [
      ['^7.2.0', 7],
      ['~6.1', 6],
      ['7', 7],
      ['7.x', 7],
      ['>=7.0.0 <8', 7],
      ['v6.0.0', 6],
      ['npm:@pulumi/aws@^7.1.0', 7],
      ['latest', undefined],
      ['*', undefined],
      ['workspace:*', undefined],
      [undefined, undefined],
    ];
    for (const [range, major] of cases) expect(majorOf(range), String(range)).toBe(major);
  });

  it('reads the lowest version a range allows (CDK v1: the @aws-cdk/aws-dynamodb a fix can be written for)', () => {
    const cases: [string | undefined, string | undefined][] = [
      ['1.22.0', '1.22.0'],
      ['^1.22.0', '1.22.0'],
      ['~1.38', '1.38.0'],
      ['1.x', '1.0.0'],
      ['1.39.x', '1.39.0'],
      ['=1.39.0', '1.39.0'],
      ['>=1.30.0 <2.0.0', '1.30.0'],
      ['>= 1.30.0', '1.30.0'],
      ['>1.38.0', '1.38.1'],
      ['>1.38', '1.39.0'],
      ['>=1.20.0 >=1.30.0', '1.30.0'],
      ['1.22.0 - 1.40.0', '1.22.0'],
      ['^1.40.0 || ^1.30.0', '1.30.0'],
      ['1.39.0-rc.1', '1.39.0'],
      ['npm:@aws-cdk/aws-dynamodb@^1.22.0', '1.22.0'],
      ['<2', undefined],
      ['^1.40.0 || <1.0.0', undefined],
      ['*', undefined],
      ['', undefined],
      ['latest', undefined],
      ['workspace:*', undefined],
      ['file:../dynamodb', undefined],
      ['github:aws/aws-cdk', undefined],
      [undefined, undefined],
    ];
    for (const [range, lowest] of cases) expect(lowestVersion(range)?.join('.'), String(range)).toBe(lowest);
  });
});

describe('projen.ts: a package.json projen generates', () => {
  const pkg = (p: string, obj: object) => ({ path: p, absPath: `/r/${p}`, text: JSON.stringify(obj, null, 2) });
  const marker = (rc: string) => `~~ Generated by projen. To modify, edit ${rc} and run "npx projen".`;

  it('its marker names the configuration, beside it', () => {
    expect(projenConfig(pkg('package.json', { name: 'a', '//': marker('.projenrc.js') }))).toBe('.projenrc.js');
    expect(projenConfig(pkg('packages/lib/package.json', { '//': marker('.projenrc.ts') }))).toBe('packages/lib/.projenrc.ts');
    expect(projenConfig(pkg('package.json', { '//': marker('.projenrc.json') }))).toBe('.projenrc.json');
    // A marker that names no file: the configuration, unnamed.
    expect(projenConfig(pkg('package.json', { '//': '~~ Generated by projen.' }))).toBe('.projenrc');
  });

  it('no marker, or the words elsewhere than projen\'s "//" field: not projen', () => {
    expect(projenConfig(pkg('package.json', { name: 'a', dependencies: { projen: '^0.70.0' } }))).toBeUndefined();
    expect(projenConfig(pkg('package.json', { description: marker('.projenrc.js') }))).toBeUndefined();
  });

  it("TableFacts.projen: from the table file's folder", async () => {
    const program = readFileSync(path.join(FIXTURES, 'typescript', 'cdk-v1-named', 'input.ts'), 'utf8');
    const deps = { '@aws-cdk/aws-dynamodb': '^1.138.0', '@aws-cdk/core': '^1.138.0' };
    const scan = async (packageJson: object) => {
      const files = [
        { path: 'lib/src/stack.ts', text: program },
        { path: 'lib/package.json', text: JSON.stringify(packageJson) },
      ];
      return (await processMemory(files, 'scan')).outcomes.flatMap((o) => o.tables.map((t) => t.projen));
    };
    expect(await scan({ peerDependencies: deps, '//': marker('.projenrc.js') })).toEqual(['../.projenrc.js']);
    expect(await scan({ peerDependencies: deps })).toEqual([undefined]);
    // The marked package.json must be the one that declares @aws-cdk/aws-dynamodb.
    expect(await scan({ name: 'lib', '//': marker('.projenrc.js') })).toEqual([undefined]);
  });
});
