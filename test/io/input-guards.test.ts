/**
 * What kmsfix reads, and what it refuses to read, through the real CLI: FIFOs and other
 * non-regular files (never opened blocking), the input size limit (a fixed file must stay
 * readable), UTF-16, UTF-32 and late NUL bytes in folder scans (see also fixtures/<family>/bad/).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { BIN, runCli } from '../helpers/cli-helper.js';

const CF = path.join(FIXTURES, 'cloudformation');

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'kmsfix-input-'));
}

/** The CLI, killed after `ms` (a run that blocks shows as code null, signal SIGKILL). */
function runWithin(args: string[], cwd: string, ms: number): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', (code, signal) => {
      clearTimeout(t);
      resolve({ code, signal, stderr });
    });
  });
}

describe('non-regular files', () => {
  it('a FIFO named *.yaml, given directly or found in a folder, is skipped with a message, never opened blocking', async () => {
    const d = tmp();
    execFileSync('mkfifo', [path.join(d, 'pipe.yaml')]);
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(d, 'app.yaml'));
    const named = await runWithin(['scan', 'pipe.yaml', 'app.yaml'], d, 10_000);
    expect(named.signal).toBeNull();
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('pipe.yaml: not a regular file (a FIFO): skipped');
    const walked = await runWithin(['fix', '--yes', '.'], d, 10_000);
    expect(walked.signal).toBeNull();
    expect(walked.code).toBe(2);
    expect(walked.stderr).toContain('pipe.yaml: not a regular file (a FIFO): skipped');
    // The run went on: the template beside it is fixed.
    expect(readFileSync(path.join(d, 'app.yaml'), 'utf8')).toContain('KMSMasterKeyId');
  });
});

describe('the input size limit', () => {
  /** A template just under 5 MB that a fix grows past it. */
  function nearLimit(dir: string): { file: string; text: string } {
    const base = readFileSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), 'utf8');
    const pad = 5 * 1024 * 1024 - Buffer.byteLength(base) - 600;
    const text = base + '#' + 'x'.repeat(pad - 2) + '\n';
    const file = path.join(dir, 'big.yaml');
    writeFileSync(file, text);
    return { file, text };
  }

  it('fix never writes a file that later runs could not read; --max-file-size raises the limit for both', async () => {
    const d = tmp();
    const { file, text } = nearLimit(d);
    const r = await runCli(['fix', '--yes', 'big.yaml'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /big\.yaml: fix not written: the fixed file would be 5(\.0)? MB, above the 5 MB input limit, so later runs could not read it \(raise the limit with --max-file-size/,
    );
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect((await runCli(['scan', 'big.yaml'], d)).code).toBe(1); // still readable, still not compliant

    const raised = await runCli(['fix', '--yes', '--max-file-size', '6', 'big.yaml'], d);
    expect(raised.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('KMSMasterKeyId');
    expect((await runCli(['scan', '--max-file-size', '6', 'big.yaml'], d)).code).toBe(0);
    const small = await runCli(['scan', 'big.yaml'], d);
    expect(small.code).toBe(2);
    expect(small.stderr).toContain('big.yaml: skipped: larger than 5 MB');
    expect(small.stderr).toContain('--max-file-size');
  });

  it('rejects a bad --max-file-size', async () => {
    const d = tmp();
    for (const v of ['0', '-1', 'big', '']) expect((await runCli(['scan', '--max-file-size', v], d)).code, v).toBe(2);
  });
});

describe('encodings and binary bytes in a folder scan', () => {
  it('a UTF-16 template found in a folder is reported, as when it is named', async () => {
    const d = tmp();
    cpSync(path.join(CF, 'bad', 'utf16', 'input.yaml'), path.join(d, 'wide.yaml'));
    for (const args of [
      ['scan', '.'],
      ['scan', 'wide.yaml'],
    ]) {
      const r = await runCli(args, d);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('wide.yaml:1:1: UTF-16 text (byte order mark FF FE): kmsfix reads UTF-8 only');
    }
  });

  it('a UTF-32 template found in a folder is reported, as when it is named, with its own byte order mark (not UTF-16, not binary)', async () => {
    const d = tmp();
    cpSync(path.join(CF, 'bad', 'utf32-le', 'input.yaml'), path.join(d, 'le.yaml'));
    cpSync(path.join(CF, 'bad', 'utf32-be', 'input.yaml'), path.join(d, 'be.yaml'));
    for (const args of [
      ['scan', '.'],
      ['scan', 'le.yaml', 'be.yaml'],
    ]) {
      const r = await runCli(args, d);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(
        'le.yaml:1:1: UTF-32 text (byte order mark FF FE 00 00): kmsfix reads UTF-8 only; convert the file to UTF-8',
      );
      expect(r.stderr).toContain(
        'be.yaml:1:1: UTF-32 text (byte order mark 00 00 FE FF): kmsfix reads UTF-8 only; convert the file to UTF-8',
      );
    }
  });

  it('a UTF-16 file without a table is skipped quietly, like any other file without one', async () => {
    const d = tmp();
    writeFileSync(path.join(d, 'notes.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a: 1\n', 'utf16le')]));
    const r = await runCli(['scan', '.'], d);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('a TypeScript source holding a NUL in a string is read (valid UTF-8); a binary .ts or a YAML template with one is an error', async () => {
    const d = tmp();
    const stack = readFileSync(path.join(FIXTURES, 'typescript', 'cdk-statuses', 'input.ts'), 'utf8');
    writeFileSync(path.join(d, 'stack.ts'), `${stack}\nexport const SEP = '\0';\nconst key = \`a\0b\`;\n`);
    expect(readFileSync(path.join(d, 'stack.ts')).includes(0)).toBe(true);
    const r = await runCli(['scan', '--format', 'json', 'stack.ts'], d);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).tables.length).toBeGreaterThan(0);
    // An MPEG transport stream is a `.ts` too: not UTF-8, still refused; a YAML template with a NUL, as before.
    writeFileSync(path.join(d, 'video.ts'), Buffer.from([0x47, 0x40, 0x00, 0x10, 0xff, 0xfe, 0x00, 0x80]));
    writeFileSync(path.join(d, 't.yaml'), Buffer.concat([readFileSync(path.join(CF, 'yaml-no-sse', 'input.yaml')), Buffer.from([0])]));
    const bad = await runCli(['scan', 'video.ts', 't.yaml'], d);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('video.ts:1:3: binary file (NUL byte): not a text template');
    expect(bad.stderr).toContain('t.yaml');
  });

  it('invalid UTF-8 is located at its first byte: an encoded surrogate (CESU-8) and an overlong form too, not "byte 0xundefined" past the end', async () => {
    const d = tmp();
    const head = Buffer.from('Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: ');
    const tail = Buffer.from('\n      KeySchema: []\n');
    writeFileSync(path.join(d, 'latin1.yaml'), Buffer.concat([head, Buffer.from([0xe9]), tail]));
    writeFileSync(path.join(d, 'surrogate.yaml'), Buffer.concat([head, Buffer.from([0xed, 0xa0, 0x80]), tail]));
    writeFileSync(path.join(d, 'overlong.yaml'), Buffer.concat([head, Buffer.from([0xe0, 0x80, 0x80]), tail]));
    const r = await runCli(['scan', '.'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('latin1.yaml:5:18: not valid UTF-8 (byte 0xe9 at offset 80)');
    expect(r.stderr).toContain('surrogate.yaml:5:18: not valid UTF-8 (byte 0xed at offset 80)');
    expect(r.stderr).toContain('overlong.yaml:5:18: not valid UTF-8 (byte 0xe0 at offset 80)');
  });

  it('UTF-16 without a byte order mark holding a table is an error, not skipped without a word; one without a table is skipped', async () => {
    const d = tmp();
    const template = readFileSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), 'utf8');
    writeFileSync(path.join(d, 'le.yaml'), Buffer.from(template, 'utf16le'));
    writeFileSync(path.join(d, 'be.yaml'), Buffer.from(template, 'utf16le').swap16());
    writeFileSync(path.join(d, 'notes.yaml'), Buffer.from('a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\n', 'utf16le'));
    const r = await runCli(['scan', '.'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('le.yaml:1:1: UTF-16 text (little-endian, no byte order mark): kmsfix reads UTF-8 only');
    expect(r.stderr).toContain('be.yaml:1:1: UTF-16 text (big-endian, no byte order mark): kmsfix reads UTF-8 only');
    expect(r.stderr).not.toContain('notes.yaml');
  });
});
