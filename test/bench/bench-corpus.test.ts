/**
 * The bench's real-shaped corpus (bench/corpus.mjs) has the shapes issue 16 asks for, the same
 * bytes for a seed, and is input kmsfix reads and fixes without an error (a generator bug would
 * otherwise show up as a speed change).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../../bench/dist.mjs';
import { generate, sizeOf } from '../../bench/generate.mjs';

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function kmsfix(args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    return {
      code: 0,
      stdout: execFileSync(process.execPath, [BIN, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      }),
      stderr: '',
    };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, stdout: err.stdout, stderr: err.stderr };
  }
}

// Every count is multiplied by the scale: 4,000 files in the sparse tree.
const CORPUS = { seed: 5, scale: 0.05, sparse: { files: 80_000 } };

describe('the bench corpus (real shape)', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'kmsfix-corpus-test-'));
  const again = mkdtempSync(path.join(tmpdir(), 'kmsfix-corpus-test-'));
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    rmSync(again, { recursive: true, force: true });
  });
  generate(work, CORPUS);
  const dense = path.join(work, 'dense');
  const text = (f: string) => readFileSync(f, 'utf8');

  it('is the same for the same seed', () => {
    generate(again, CORPUS);
    const a = filesBelow(work);
    expect(a.map((f) => path.relative(work, f))).toEqual(filesBelow(again).map((f) => path.relative(again, f)));
    for (const f of a) expect(readFileSync(path.join(again, path.relative(work, f))).equals(readFileSync(f))).toBe(true);
  });

  it('has YAML anchors, aliases and merge keys as templates use them, in yaml/anchors only', () => {
    const anchored = filesBelow(path.join(dense, 'yaml', 'anchors'));
    const plain = filesBelow(path.join(dense, 'yaml', 'plain'));
    expect(anchored.length).toBeGreaterThan(15);
    expect(plain.length).toBeGreaterThan(15);
    for (const f of anchored) expect(text(f)).toMatch(/(^|[\s:])&\w/m);
    for (const f of plain) expect(text(f)).not.toMatch(/(^|[\s:])[&*]\w|<</m);
    const all = anchored.map(text).join('\n');
    expect(all).toMatch(/^ +<<: \*tableDefaults$/m); // defaults merged into a table's Properties
    expect(all).toMatch(/^ +<<: \[\*tableDefaults, \*encrypted\]$/m);
    expect(all).toMatch(/^ +Tags: &tags$/m); // an anchored tag list...
    expect(all).toMatch(/^ +Tags: \*tags$/m); // ...aliased
    expect(all).toMatch(/^ +(KeySchema|AttributeDefinitions|StreamSpecification|Environment): \*\w+$/m); // aliased Properties fragments
    expect(all).toMatch(/^ +Properties: \*pkSkProps$/m);
    expect(anchored.some((f) => path.basename(f) === 'serverless.yml' && /<<: \*fnDefaults/.test(text(f)))).toBe(true);
  });

  it('has Terraform modules of 50 files (a fifth with tables), fewer but larger CDK files, Pulumi YAML', () => {
    const modules = filesBelow(path.join(dense, 'tf')).reduce(
      (m, f) => m.set(path.dirname(f), [...(m.get(path.dirname(f)) ?? []), f]),
      new Map<string, string[]>(),
    );
    const big = [...modules.values()].filter((fs) => fs.length === 50);
    expect(big.length).toBeGreaterThan(0);
    for (const fs of big) {
      expect(fs.filter((f) => /resource "aws_dynamodb_table"|dynamodb-table\/aws/.test(text(f))).length).toBe(10);
      expect(fs.map((f) => path.basename(f))).toEqual(
        expect.arrayContaining(['variables.tf', 'outputs.tf', 'providers.tf', 'versions.tf']),
      );
    }
    const cdk = sizeOf(path.join(dense, 'cdk'));
    expect(cdk.bytes / cdk.files).toBeGreaterThan(10_000);
    expect(filesBelow(path.join(dense, 'pulumi')).every((f) => path.basename(f) === 'Pulumi.yaml')).toBe(true);
  });

  it('has a sparse tree that is mostly not infrastructure, with folders kmsfix skips', () => {
    const files = filesBelow(path.join(work, 'sparse'));
    expect(files.length).toBeGreaterThanOrEqual(4000);
    const infra = files.filter(
      (f) =>
        /AWS::DynamoDB::|aws_dynamodb_table|aws-cdk-lib\/aws-dynamodb|aws:dynamodb:Table/.test(text(f)) &&
        !/[/\\](node_modules|cdk\.out|dist)[/\\]/.test(f),
    );
    expect(infra.length).toBeGreaterThan(20);
    expect(infra.length / files.length).toBeLessThan(0.1);
    for (const dir of ['node_modules', 'cdk.out']) expect(files.some((f) => f.includes(`${path.sep}${dir}${path.sep}`))).toBe(true);
  });

  it('is read and fixed by kmsfix without an error', () => {
    const scan = JSON.parse(kmsfix(['scan', '--format', 'json', '--quiet', work]).stdout);
    expect(scan.errors).toEqual([]);
    expect(scan.summary.fixable).toBeGreaterThan(200);
    const fixed = path.join(work, 'fixed');
    cpSync(dense, fixed, { recursive: true });
    const fix = kmsfix(['fix', '--yes', '--quiet', fixed]);
    expect(fix.stderr).not.toMatch(/^error/m);
    expect(fix.code).toBe(0);
    const after = JSON.parse(kmsfix(['scan', '--format', 'json', '--quiet', fixed]).stdout).summary;
    expect(after.fixable).toBe(0);
    expect(after.errors).toBe(0);
  });
});
