/**
 * Another folder's files (DiskContext.folder: a Terraform module's called module) are read only once
 * the run's writes under way are done (src/engine/disk.ts `settled`, RunOptions.writesSettled): a fix
 * in place renames a chunk's files in the background (src/io/stream.ts), and a caller must read its
 * module whole, as written, never halfway through a group's renames.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contextFor, runDisk } from '../../src/engine/disk.js';
import { FORMATS, loadFormat } from '../../src/formats/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("another folder's files, read after the writes under way", () => {
  it('waits for the writes before it reads the folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-settled-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'root'));
    mkdirSync(path.join(dir, 'modules', 'table'), { recursive: true });
    const moduleFile = path.join(dir, 'modules', 'table', 'main.tf');
    writeFileSync(moduleFile, '# before\n');
    const caller = {
      path: 'root/main.tf',
      absPath: path.join(dir, 'root', 'main.tf'),
      text: 'module "t" {\n  source = "../modules/table"\n}\n',
    };
    writeFileSync(caller.absPath, caller.text);
    const format = await loadFormat(FORMATS.find((e) => e.name === 'terraform')!);
    const order: string[] = [];
    // The writes under way: the module's file replaced, as a chunk's rename would.
    const settled = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      writeFileSync(moduleFile, '# after\n');
      order.push('written');
    };
    const files = await contextFor(runDisk(undefined, settled), [caller], format).folder?.(caller, '../modules/table');
    order.push('read');
    expect(order).toEqual(['written', 'read']);
    expect(files?.map((f) => f.text)).toEqual(['# after\n']);
    // Without writes under way, the folder is read as it is.
    const plain = await contextFor(runDisk(), [caller], format).folder?.(caller, '../modules/table');
    expect(plain?.map((f) => f.text)).toEqual(['# after\n']);
  });
});
