/**
 * --output FILE is written as the run goes, beside FILE, and put in place at the end
 * (src/io/write.ts SpooledOutput): FILE is the whole report or left as it was, and no temp file
 * stays behind either way.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SpooledOutput, WriteError } from '../../src/io/write.js';
import { runCli } from '../helpers/cli-helper.js';

const dirs: string[] = [];
function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-spool-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) {
    chmodSync(d, 0o755);
    rmSync(d, { recursive: true, force: true });
  }
});

describe('SpooledOutput', () => {
  // Session 61: `-o /dev/null` as root replaced /dev/null with a regular file (the temp renamed over it). A device, a
  // FIFO or a socket is written to directly, as a shell's `>` does; a FIFO stands for them here (no root needed).
  it('a FIFO (or a device) is written to directly, not replaced by a regular file', async () => {
    const dir = folder();
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('timeout', ['20', 'cat', fifo]);
    const chunks: Buffer[] = [];
    reader.stdout.on('data', (d: Buffer) => chunks.push(d));
    const closed = new Promise<number | null>((resolve) => reader.on('close', resolve));
    const out = new SpooledOutput(fifo, 'pipe');
    out.write('{"tables": []}\n');
    out.commit();
    expect(await closed).toBe(0);
    expect(Buffer.concat(chunks).toString()).toBe('{"tables": []}\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  it('leaves FILE as it was until commit, then holds all that was written', () => {
    const dir = folder();
    const file = path.join(dir, 'report.json');
    writeFileSync(file, 'old\n');
    const out = new SpooledOutput(file, 'report.json');
    out.write('{\n');
    // More than is gathered for one write: the temp file beside FILE is made, FILE stays.
    out.write(`"a": "${'é€😀'.repeat(20_000)}"\n}\n`);
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toHaveLength(2);
    out.commit();
    expect(readFileSync(file, 'utf8')).toBe(`{\n"a": "${'é€😀'.repeat(20_000)}"\n}\n`);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('commits an empty file when nothing was written', () => {
    const file = path.join(folder(), 'empty.txt');
    new SpooledOutput(file, 'empty.txt').commit();
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('discard leaves FILE as it was and nothing beside it', () => {
    const dir = folder();
    const file = path.join(dir, 'report.txt');
    writeFileSync(file, 'old\n');
    const out = new SpooledOutput(file, 'report.txt');
    out.write('new\n');
    out.discard();
    out.discard();
    expect(readdirSync(dir)).toEqual(['report.txt']);
    expect(readFileSync(file, 'utf8')).toBe('old\n');
  });

  it('a write that fails is reported by commit, naming the file, and FILE is left as it was', () => {
    if (process.getuid?.() === 0) {
      // root writes in a read-only folder: the folder is removed instead.
      const dir = folder();
      const sub = path.join(dir, 'gone');
      mkdirSync(sub);
      const out = new SpooledOutput(path.join(sub, 'r.json'), 'gone/r.json');
      rmSync(sub, { recursive: true });
      out.write('x');
      let thrown: unknown;
      try {
        out.commit();
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(WriteError);
      expect((thrown as Error).message).toMatch(/^cannot write gone\/r\.json: /);
      expect(existsSync(sub)).toBe(false);
      return;
    }
    const dir = folder();
    writeFileSync(path.join(dir, 'r.json'), 'old');
    chmodSync(dir, 0o555);
    const out = new SpooledOutput(path.join(dir, 'r.json'), 'r.json');
    out.write('x');
    expect(() => out.commit()).toThrow(/cannot write r\.json: /);
    expect(readFileSync(path.join(dir, 'r.json'), 'utf8')).toBe('old');
  });
});

describe('kmsfix --output', () => {
  it('writes the same report as stdout, and leaves no temp file in the folder', async () => {
    const dir = folder();
    mkdirSync(path.join(dir, 'src'));
    mkdirSync(path.join(dir, 'out'));
    writeFileSync(
      path.join(dir, 'src', 'template.yaml'),
      'Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n',
    );
    const dry = await runCli(['fix', '--dry-run', '--format', 'json', 'src'], dir);
    const r = await runCli(['fix', '--dry-run', '--format', 'json', '--output', 'out/r.json', 'src'], dir);
    expect(r.code).toBe(dry.code);
    expect(r.stdout).toBe('');
    expect(readFileSync(path.join(dir, 'out', 'r.json'), 'utf8')).toBe(dry.stdout);
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['r.json']);
  });
});
