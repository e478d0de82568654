/**
 * File and folder names that are not UTF-8 (src/io/fileNames.ts), through the real CLI: never read
 * by the name Node decodes (which is not the file's: ENOENT, or another file's beside it), never
 * silently left out, said by their bytes (exit 2), the run going on.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { runCli } from '../helpers/cli-helper.js';
import { shownBytes } from '../../src/io/fileNames.js';

const TEMPLATE = readFileSync(path.join(FIXTURES, 'cloudformation', 'yaml-no-sse', 'input.yaml'));
const MODULE = path.join(FIXTURES, 'terraform', 'module-dir', 'input');

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'kmsfix-names-'));
}

/** `dir`/`name` where `name` is bytes (a Latin-1 name is not UTF-8): a Buffer path, as Node takes one. */
const bytesPath = (dir: string, name: Buffer) => Buffer.concat([Buffer.from(dir + path.sep), name]);
const LATIN1 = Buffer.from('caf\xe9.yaml', 'latin1');

describe('names that are not UTF-8', () => {
  it('a Latin-1 file name is said as such, not as a file that has gone (ENOENT)', async () => {
    const d = tmp();
    writeFileSync(bytesPath(d, LATIN1), TEMPLATE);
    writeFileSync(path.join(d, 'ok.yaml'), TEMPLATE);
    const r = await runCli(['scan', '.'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: caf\\xe9.yaml: file name is not UTF-8: not read (rename it)');
    expect(r.stderr).not.toContain('ENOENT');
    expect(r.stdout).toContain('ok.yaml:11');
  });

  it('beside a file really named with U+FFFD (the name Node decodes it to), it is not silently left out, and that file is read once', async () => {
    const d = tmp();
    writeFileSync(bytesPath(d, LATIN1), TEMPLATE);
    writeFileSync(path.join(d, 'caf\uFFFD.yaml'), TEMPLATE);
    const r = await runCli(['scan', '--format', 'json', '.'], d);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.errors).toEqual([{ file: 'caf\\xe9.yaml', message: 'file name is not UTF-8: not read (rename it)' }]);
    expect(report.tables.map((t: { file: string }) => t.file)).toEqual(['caf\uFFFD.yaml']);
  });

  it('a folder whose name is not UTF-8 is said, not walked as a folder that cannot be read', async () => {
    const d = tmp();
    const folder = bytesPath(d, Buffer.from('d\xe9p\xf4t', 'latin1'));
    mkdirSync(folder);
    writeFileSync(Buffer.concat([folder, Buffer.from('/app.yaml')]), TEMPLATE);
    const r = await runCli(['scan', '.'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: d\\xe9p\\xf4t: folder name is not UTF-8: not searched (rename it)');
    expect(r.stderr).not.toContain('cannot read directory');
  });

  it('a Terraform module with a file so named is not fixed (its other files are not the whole module)', async () => {
    const d = tmp();
    cpSync(MODULE, path.join(d, 'mod'), { recursive: true });
    const users = readFileSync(path.join(d, 'mod', 'users.tf'));
    writeFileSync(bytesPath(path.join(d, 'mod'), Buffer.from('us\xe9rs.tf', 'latin1')), users);
    const before = readFileSync(path.join(d, 'mod', 'main.tf'), 'utf8');
    const r = await runCli(['fix', '--yes', '.'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mod/us\\xe9rs.tf: file name is not UTF-8: not read (rename it)');
    expect(r.stderr).toContain('cannot read mod/us\\xe9rs.tf, a file of the same group: file name is not UTF-8 (rename it)');
    expect(readFileSync(path.join(d, 'mod', 'main.tf'), 'utf8')).toBe(before);
  });

  it('shownBytes: UTF-8 as it is (a real U+FFFD too), every other byte as \\xNN', () => {
    expect(shownBytes(LATIN1)).toBe('caf\\xe9.yaml');
    expect(shownBytes(Buffer.from('café-\uFFFD.yaml'))).toBe('café-\uFFFD.yaml');
    // A lone continuation byte, an overlong '/', a surrogate, a truncated sequence at the end.
    expect(shownBytes(Buffer.from([0x61, 0x80, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xe2, 0x82]))).toBe(
      'a\\x80\\xc0\\xaf\\xed\\xa0\\x80\\xe2\\x82',
    );
  });
});
