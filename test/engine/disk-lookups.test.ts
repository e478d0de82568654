/**
 * The run's lookups beside its inputs (src/engine/disk.ts, src/io/project.ts), kept per folder for
 * the run: the project files named `name` from a folder up to the root (each Terraform file asks for
 * terragrunt.hcl and atmos.yaml, each CDK stack for cdk.json and package.json), and a module's
 * var-file folders, answered from one listing of the module's folder.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contextFor, runDisk } from '../../src/engine/disk.js';
import { FORMATS, loadFormat } from '../../src/formats/index.js';
import { callsOf } from '../../src/formats/terraform/callers.js';
import { nearestProjectFile } from '../../src/io/project.js';
import { discover } from '../../src/io/discover.js';
import { tempDir, writeTree } from '../helpers/cli-helper.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = tempDir('lookups');
  dirs.push(dir);
  return writeTree(dir, files);
}

const fileAt = (dir: string, rel: string) => ({ path: rel, absPath: path.join(dir, rel), text: '' });

describe('project files from a folder up', () => {
  it('offers every file found to `accept`, nearest first, and returns the first it takes', () => {
    const dir = tree({ 'package.json': 'root', 'a/b/package.json': 'b', 'a/b/c/stack.ts': '' });
    const disk = runDisk();
    const from = fileAt(dir, 'a/b/c/stack.ts');
    const seen: string[] = [];
    const found = nearestProjectFile(disk.projectFiles, from, 'package.json', (f) => {
      seen.push(f.text);
      return f.text === 'root';
    });
    expect(seen.slice(0, 2)).toEqual(['b', 'root']);
    expect(found?.path).toBe('package.json');
    expect(found?.text).toBe('root');
    expect(nearestProjectFile(disk.projectFiles, from, 'package.json')?.path).toBe('a/b/package.json');
    expect(nearestProjectFile(disk.projectFiles, from, 'no-such-file.json')).toBeUndefined();
  });

  it('reads each folder once per run: a later ask from below or beside gets the same files', () => {
    const dir = tree({ 'cdk.json': '{"app":"x"}', 'lib/a.ts': '', 'lib/b/c.ts': '' });
    const disk = runDisk();
    const first = nearestProjectFile(disk.projectFiles, fileAt(dir, 'lib/a.ts'), 'cdk.json');
    // Gone from disk after the first read: the run keeps what it read (one reading per run).
    rmSync(path.join(dir, 'cdk.json'));
    expect(nearestProjectFile(disk.projectFiles, fileAt(dir, 'lib/a.ts'), 'cdk.json')).toBe(first);
    expect(nearestProjectFile(disk.projectFiles, fileAt(dir, 'lib/b/c.ts'), 'cdk.json')).toBe(first);
    // A new run reads the disk again.
    expect(nearestProjectFile(runDisk().projectFiles, fileAt(dir, 'lib/a.ts'), 'cdk.json')).toBeUndefined();
  });
});

describe("a module's var-file folders", () => {
  it('reads a folder that is there, and answers one that is not from the listing of the asking folder', async () => {
    const dir = tree({
      'mod/main.tf': '',
      'mod/env/prod.tfvars': 'a = 1\n',
      'mod/environments': 'a file, not a folder',
    });
    const format = await loadFormat(FORMATS.find((e) => e.name === 'terraform')!);
    const disk = runDisk();
    const from = fileAt(dir, 'mod/main.tf');
    const ctx = contextFor(disk, [from], format);
    expect((await ctx.folder!(from, 'env'))?.map((f) => f.path)).toEqual(['mod/env/prod.tfvars']);
    expect(await ctx.folder!(from, 'envs')).toBeUndefined();
    expect(await ctx.folder!(from, 'environments')).toBeUndefined();
    // Paths, not names, are looked up as before.
    expect((await ctx.folder!(from, '../mod/env'))?.map((f) => f.path)).toEqual(['mod/env/prod.tfvars']);
    // The module's folder was listed once for the run.
    expect([...(disk.listings?.keys() ?? [])]).toEqual([path.join(dir, 'mod')]);
  });
});

describe("another folder's files (a module's callers), in a run that writes nothing", () => {
  it('lists the folder once per run, and still reads a changed file again; a fix lists it at each ask', async () => {
    const dir = tree({ 'mod/main.tf': '', 'root/main.tf': 'module "m" { source = "../mod" }\n' });
    const format = await loadFormat(FORMATS.find((e) => e.name === 'terraform')!);
    const from = fileAt(dir, 'mod/main.tf');
    const scan = runDisk(undefined, undefined, [], false);
    const fix = runDisk();
    const names = async (disk: ReturnType<typeof runDisk>) =>
      ((await contextFor(disk, [from], format).folder!(from, '../root')) ?? []).map((f) => `${f.path}: ${f.text.trim()}`);
    expect(await names(scan)).toEqual(['root/main.tf: module "m" { source = "../mod" }']);
    expect(await names(fix)).toEqual(['root/main.tf: module "m" { source = "../mod" }']);
    // A run that writes nothing creates no file: the scan's listing is kept; its files are still re-checked.
    writeFileSync(path.join(dir, 'root/extra.tf'), 'locals {}\n');
    writeFileSync(path.join(dir, 'root/main.tf'), 'module "n" { source = "../mod" }\n');
    expect(await names(scan)).toEqual(['root/main.tf: module "n" { source = "../mod" }']);
    // A fix's own writes may change a folder: listed again.
    expect(await names(fix)).toEqual(['root/extra.tf: locals {}', 'root/main.tf: module "n" { source = "../mod" }']);
    expect([...(scan.folderListings?.keys() ?? [])]).toEqual([path.join(dir, 'root')]);
  });
});

describe("a module folder's answers (its callers), asked by each file of the folder", () => {
  it('are read once per folder in a run that writes nothing, once per file (its context) in a fix', async () => {
    const dir = tree({
      'mod/a.tf': 'resource "aws_dynamodb_table" "a" {}\n',
      'mod/b.tf': 'resource "aws_dynamodb_table" "b" {}\n',
      'main.tf': 'module "m" { source = "./mod" }\n',
    });
    const format = await loadFormat(FORMATS.find((e) => e.name === 'terraform')!);
    const a = fileAt(dir, 'mod/a.tf');
    const b = fileAt(dir, 'mod/b.tf');
    const labels = async (calls: Promise<{ label: string }[]>) => (await calls).map((c) => c.label);
    const scan = runDisk(undefined, undefined, [], false);
    const first = callsOf(a, contextFor(scan, [a], format));
    expect(await labels(first)).toEqual(['m']);
    // Detection's contexts are one file's each: the scan's share the folder's answer.
    expect(callsOf(b, contextFor(scan, [b], format))).toBe(first);
    const fix = runDisk();
    const inFix = callsOf(a, contextFor(fix, [a], format));
    expect(await labels(inFix)).toEqual(['m']);
    // A fix's own writes may change a caller: each context reads it again.
    writeFileSync(path.join(dir, 'main.tf'), 'module "n" { source = "./mod" }\n');
    const again = callsOf(b, contextFor(fix, [b], format));
    expect(again).not.toBe(inFix);
    expect(await labels(again)).toEqual(['n']);
  });
});

describe("a folder's entries (Disk.entries) in a run that writes nothing", () => {
  it("are the walk's listing of the folder (WalkScope.list), not read again; a fix lists the folder itself", async () => {
    const dir = tree({ 'prog/Pulumi.yaml': 'name: p\nruntime: yaml\n', 'prog/sub/x.txt': '' });
    const prog = path.join(dir, 'prog');
    const found = await discover([dir], dir, (p) => p.endsWith('.yaml'), [], { list: true });
    expect([...(found.listed?.keys() ?? [])]).toEqual([dir, prog, path.join(prog, 'sub')]);
    expect((await discover([dir], dir, (p) => p.endsWith('.yaml'))).listed).toBeUndefined();
    // Made after the walk: a scan's entries are the walk's, a fix's the folder's as it is now.
    writeFileSync(path.join(prog, 'Pulumi.dev.yaml'), 'config: {}\n');
    const scan = runDisk(undefined, undefined, [], false, found.listed);
    expect(scan.entries?.(prog)).toEqual([
      { name: 'Pulumi.yaml', folder: false },
      { name: 'sub', folder: true },
    ]);
    const fix = runDisk(undefined, undefined, [], true, found.listed);
    expect(fix.entries?.(prog).map((e) => e.name)).toEqual(['Pulumi.dev.yaml', 'Pulumi.yaml', 'sub']);
  });
});
