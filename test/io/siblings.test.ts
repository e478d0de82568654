/**
 * The engine's reader of a group's other files (src/io/siblings.ts), which formats get
 * through DiskContext instead of reading the disk: the names the transform's entry takes, through
 * the one reader's checks, never kmsfix's temp files, never a FIFO opened.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderReads, diskSiblings } from '../../src/io/siblings.js';
import { readBytes, readCandidate, stampOf } from '../../src/io/read.js';
import { writeGroups } from '../../src/io/write.js';
import { detectFile } from '../../src/engine/pipeline.js';
import { runDisk } from '../../src/engine/disk.js';
import type { Detection, DiskContext, SourceFile, Format } from '../../src/core/types.js';

const terraform = { name: 'terraform' } as Format;

function module(): { dir: string; main: SourceFile } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-siblings-'));
  writeFileSync(path.join(dir, 'main.tf'), 'resource "aws_dynamodb_table" "t" {}\n');
  writeFileSync(path.join(dir, 'versions.tf'), '\uFEFFterraform {}\n');
  writeFileSync(path.join(dir, 'vars.tf.json'), '{"variable": {"x": {}}}\n');
  writeFileSync(path.join(dir, 'README.md'), '# not a module file\n');
  writeFileSync(path.join(dir, '.kmsfix-tmp-123.0a1b2c3d-main.tf'), 'data "aws_partition" "current" {}\n');
  writeFileSync(path.join(dir, '.kmsfix-tmp-main.tf'), 'data "aws_partition" "current" {}\n');
  mkdirSync(path.join(dir, 'modules.tf')); // a folder with a module file's name
  return { dir, main: { path: 'infra/main.tf', absPath: path.join(dir, 'main.tf'), text: '' } };
}

describe("a group's other files, read by the engine", () => {
  it('are the names the transform takes, read with the BOM removed, never temp files, with display paths beside the file', () => {
    const { main } = module();
    const read = diskSiblings()([main], terraform);
    expect(read.files.map((f) => [f.path, f.text])).toEqual([
      ['infra/vars.tf.json', '{"variable": {"x": {}}}\n'],
      ['infra/versions.tf', 'terraform {}\n'],
    ]);
    expect(read.watched.map((w) => w.path)).toEqual(['infra/vars.tf.json', 'infra/versions.tf']);
  });

  it('a file read whole that is not text (binary: git-crypt; UTF-16) is handed on as unreadable, with no text', () => {
    for (const [name, bytes, message] of [
      ['bin.tf', Buffer.from([0x61, 0, 0x62]), 'binary file'],
      ['wide.tfvars', Buffer.from('\ufeffa = 1\n', 'utf16le'), 'UTF-16'],
    ] as const) {
      const { dir, main } = module();
      writeFileSync(path.join(dir, name), bytes);
      const read = diskSiblings(1024)([main], terraform);
      const f = read.files.find((x) => x.path === `infra/${name}`)!;
      expect([f.text, f.unreadable?.includes(message)], name).toEqual(['', true]);
      expect(
        read.watched.some((w) => w.path === `infra/${name}` && w.stamp !== ''),
        name,
      ).toBe(true);
    }
  });

  it('refuse the whole read when one cannot be read at all: too large, a FIFO (never opened blocking)', () => {
    for (const [name, make, message] of [
      ['big.tf', (p: string) => writeFileSync(p, 'x'.repeat(2048)), 'larger than'],
      ['pipe.tf', (p: string) => execFileSync('mkfifo', [p]), 'not a regular file (a FIFO)'],
    ] as const) {
      const { dir, main } = module();
      make(path.join(dir, name));
      expect(() => diskSiblings(1024)([main], terraform), name).toThrow(
        new RegExp(`cannot read infra/${name.replace('.', '\\.')}, a file of the same group: .*${message.replace(/[()]/g, '\\$&')}`),
      );
    }
  });

  it('a file of the folder the run is in is read once; changed after that read, its kept stamp stops the write', async () => {
    const { dir, main } = module();
    const source = diskSiblings();
    const first = source([main], terraform);
    const versions = path.join(dir, 'versions.tf');
    writeFileSync(versions, 'terraform { required_version = ">= 1.5" }\n');
    const again = source([main], terraform);
    // The same read, with the stamp of that read: no re-listing and no re-stat per file of the module.
    expect(again.files).toEqual(first.files);
    expect(again.files.find((f) => f.path === 'infra/versions.tf')!.text).toBe('terraform {}\n');
    // ...and the write, which checks the watched stamps, refuses the group.
    const target = path.join(dir, 'main.tf');
    const before = readFileSync(target, 'utf8');
    const stamp = stampOf(statSync(target, { bigint: true }));
    const result = await writeGroups([{ files: [{ absPath: target, path: 'infra/main.tf', content: 'x', stamp }], watch: again.watched }]);
    expect([...result.values()][0]?.message).toMatch(/infra\/versions\.tf changed on disk during the run/);
    expect(readFileSync(target, 'utf8')).toBe(before);
  });

  it('another folder (a called module) is re-checked at each read: a changed file is read again', () => {
    const { dir, main } = module();
    const source = diskSiblings(undefined, true);
    expect(source([main], terraform).files.find((f) => f.path === 'infra/versions.tf')!.text).toBe('terraform {}\n');
    writeFileSync(path.join(dir, 'versions.tf'), 'terraform { required_version = ">= 1.5" }\n');
    expect(source([main], terraform).files.find((f) => f.path === 'infra/versions.tf')!.text).toContain('required_version');
  });

  it('leaving the folder drops it: coming back reads the files again', () => {
    const { dir, main } = module();
    const other = module();
    const source = diskSiblings();
    source([main], terraform);
    writeFileSync(path.join(dir, 'versions.tf'), 'terraform { required_version = ">= 1.5" }\n');
    source([other.main], terraform);
    expect(source([main], terraform).files.find((f) => f.path === 'infra/versions.tf')!.text).toContain('required_version');
  });

  it("reach a transform's detect through its DiskContext", async () => {
    const { main } = module();
    let seen: string[] = [];
    const probe: Format = {
      name: 'terraform',
      detect: async (_file: SourceFile, context?: DiskContext): Promise<Detection> => {
        seen = (await context!.siblings()).map((f) => f.path);
        return { tables: [] };
      },
      fix: () => new Map(),
    };
    await detectFile(main, false, probe, {}, runDisk());
    expect(seen).toEqual(['infra/vars.tf.json', 'infra/versions.tf']);
  });
});

describe("the folder's bytes, read once for both readers (FolderReads)", () => {
  it("the group's reader takes what the candidates' reader read, with its stamp, and the reverse", async () => {
    const { dir, main } = module();
    const reads = new FolderReads();
    // The candidates' reader read versions.tf (skipped by its prefilter): kept for the group's reader.
    const versions = path.join(dir, 'versions.tf');
    expect((await readCandidate(versions, 'infra/versions.tf', false, () => false, undefined, reads)).kind).toBe('skip');
    const stamp = stampOf(statSync(versions, { bigint: true }));
    writeFileSync(versions, 'terraform { required_version = ">= 1.5" }\n'); // after that read: the group's reader gets the read, not the disk
    const got = diskSiblings(undefined, false, reads)([main], terraform);
    expect(got.files.find((f) => f.path === 'infra/versions.tf')!.text).toBe('terraform {}\n');
    expect(got.watched.find((w) => w.path === 'infra/versions.tf')!.stamp).toBe(stamp);
    // ...and vars.tf.json, read by the group's reader, is the candidates' reader's (once).
    const vars = path.join(dir, 'vars.tf.json');
    expect(reads.take(vars, 1024)?.buf.toString()).toBe('{"variable": {"x": {}}}\n');
    expect(reads.take(vars, 1024)).toBeUndefined();
  });

  it('keeps one folder, only the names a format reads as group files, and never a read above the size limit', () => {
    const a = module();
    const b = module();
    const reads = new FolderReads();
    const read = (abs: string) => {
      const r = readBytes(abs, abs);
      if ('error' in r) throw new Error(r.error.message);
      return r;
    };
    reads.keep(path.join(a.dir, 'README.md'), read(path.join(a.dir, 'README.md')));
    expect(reads.take(path.join(a.dir, 'README.md'), 1024)).toBeUndefined();
    reads.keep(path.join(a.dir, 'versions.tf'), read(path.join(a.dir, 'versions.tf')));
    expect(reads.take(path.join(a.dir, 'versions.tf'), 4)).toBeUndefined();
    reads.keep(path.join(a.dir, 'versions.tf'), read(path.join(a.dir, 'versions.tf')));
    reads.keep(path.join(b.dir, 'versions.tf'), read(path.join(b.dir, 'versions.tf')));
    expect(reads.take(path.join(a.dir, 'versions.tf'), 1024)).toBeUndefined();
    expect(reads.take(path.join(b.dir, 'versions.tf'), 1024)).toBeDefined();
  });
});
