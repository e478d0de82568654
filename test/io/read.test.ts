/**
 * The one reader's encoding checks (src/io/read.ts), below the CLI: a UTF-16 or UTF-32 file is named by its
 * encoding and byte order mark, and its prefilter sees the decoded text, so one holding a table found in a
 * folder is reported, not skipped without a word (test/io/input-guards.test.ts: the same through the CLI).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { asciiText, decodeSource, formatMb, readCandidate, wideBom } from '../../src/io/read.js';

const TEMPLATE = 'Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table # 🔑 café\n';

/** `text` in UTF-32 with its byte order mark. */
function utf32(text: string, le: boolean): Buffer {
  const points = [0xfeff, ...Array.from(text, (c) => c.codePointAt(0)!)];
  const buf = Buffer.alloc(points.length * 4);
  for (const [i, p] of points.entries()) {
    if (le) buf.writeUInt32LE(p, i * 4);
    else buf.writeUInt32BE(p, i * 4);
  }
  return buf;
}

function messageOf(buf: Buffer): string | undefined {
  const r = decodeSource(buf, 't.yaml', '/t.yaml');
  return 'error' in r ? `${r.error.line}:${r.error.column}: ${r.error.message}` : undefined;
}

describe('UTF-16 and UTF-32 input', () => {
  it('is an error at 1:1 naming the encoding and its byte order mark: UTF-32 LE is not UTF-16 (its mark starts FF FE), BE not binary', () => {
    const tail = ': kmsfix reads UTF-8 only; convert the file to UTF-8';
    expect(messageOf(utf32(TEMPLATE, true))).toBe(`1:1: UTF-32 text (byte order mark FF FE 00 00)${tail}`);
    expect(messageOf(utf32(TEMPLATE, false))).toBe(`1:1: UTF-32 text (byte order mark 00 00 FE FF)${tail}`);
    const utf16 = Buffer.from(`\ufeff${TEMPLATE}`, 'utf16le');
    expect(messageOf(utf16)).toBe(`1:1: UTF-16 text (byte order mark FF FE)${tail}`);
    expect(messageOf(Buffer.from(utf16).swap16())).toBe(`1:1: UTF-16 text (byte order mark FE FF)${tail}`);
    expect(messageOf(Buffer.from(TEMPLATE, 'utf16le'))).toBe(`1:1: UTF-16 text (little-endian, no byte order mark)${tail}`);
    // A leading NUL without the rest of a UTF-32 mark is still a binary file.
    expect(messageOf(Buffer.from([0, 0, 0xfe, 0x41]))).toBe('1:1: binary file (NUL byte): not a text template');
  });

  it("the prefilter sees a UTF-32 file's text (astral and accented characters too): with a table it is an error, without one skipped", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-read-'));
    for (const le of [true, false]) {
      const file = path.join(dir, `t${le}.yaml`);
      const seen: string[] = [];
      const prefilter = (raw: string) => {
        seen.push(raw);
        return raw.includes('AWS::DynamoDB::Table');
      };
      writeFileSync(file, utf32(TEMPLATE, le));
      const found = await readCandidate(file, 't.yaml', false, prefilter);
      expect(found.kind === 'error' && found.error.message, String(le)).toMatch(/^UTF-32 text/);
      expect(seen).toEqual([TEMPLATE]);
      writeFileSync(file, utf32('a: 1\n', le));
      expect((await readCandidate(file, 't.yaml', false, prefilter)).kind, String(le)).toBe('skip');
    }
  });
});

describe('sizes in messages (formatMb)', () => {
  it('MB from 0.1 MB, else KB, else bytes: a limit of --max-file-size 0.001 is never "0.0 MB"', () => {
    expect(formatMb(5 * 1024 * 1024)).toBe('5 MB');
    expect(formatMb(5.2 * 1024 * 1024)).toBe('5.2 MB');
    expect(formatMb(0.1 * 1024 * 1024)).toBe('0.1 MB');
    expect(formatMb(0.001 * 1024 * 1024)).toBe('1.0 KB');
    expect(formatMb(2048)).toBe('2 KB');
    expect(formatMb(320)).toBe('320 bytes');
    expect(formatMb(0.000001 * 1024 * 1024)).toBe('1 byte');
  });
});

describe('the text of ASCII bytes, made once for both readers (asciiText)', () => {
  it('decodes every kind of bytes as decoding them afresh does, and is kept only for bytes that are all ASCII', () => {
    const cases: [string, Buffer][] = [
      ['main.tf', Buffer.from('resource "aws_dynamodb_table" "t" {\n  name = "t"\n}\n')],
      ['main.tf', Buffer.from('a = 1\0\n')], // binary: NUL in a template
      ['stack.ts', Buffer.from('const s = `${id}\0x`;\n')], // a NUL a script may hold
      ['main.tf', Buffer.from('a = 1\n', 'utf16le')], // UTF-16 without a mark: every byte ASCII
      ['main.tf', Buffer.from(`\ufeff${TEMPLATE}`)], // a BOM and non-ASCII text
      ['main.tf', Buffer.from([0x61, 0x20, 0x3d, 0x20, 0xff, 0x0a])], // not UTF-8
      ['main.tf', Buffer.alloc(0)],
    ];
    for (const [name, buf] of cases) {
      const read = { buf, stamp: 's' };
      const ascii = asciiText(read);
      expect(ascii !== undefined).toBe(buf.every((b) => b < 0x80));
      expect(asciiText(read)).toBe(ascii);
      expect(decodeSource(buf, name, `/${name}`, ascii)).toEqual(decodeSource(buf, name, `/${name}`));
    }
  });
});

describe('the byte order mark of a wide encoding', () => {
  it("is the full search's answer (wideBom answers most files by their first byte): every first byte, lengths 0 to 4", () => {
    const marks: [string, number[]][] = [
      ['utf-32le', [0xff, 0xfe, 0, 0]],
      ['utf-32be', [0, 0, 0xfe, 0xff]],
      ['utf-16le', [0xff, 0xfe]],
      ['utf-16be', [0xfe, 0xff]],
    ];
    const search = (buf: Buffer) => marks.find(([, m]) => buf.length >= m.length && m.every((b, i) => buf[i] === b))?.[0];
    const rest = [0, 0x41, 0xfe, 0xff];
    let asked = 0;
    for (let first = 0; first < 256; first++)
      for (const b1 of rest)
        for (const b2 of rest)
          for (const b3 of rest)
            for (let len = 0; len <= 4; len++) {
              const buf = Buffer.from([first, b1, b2, b3, 0x41]).subarray(0, len);
              expect(wideBom(buf), buf.toString('hex')).toBe(search(buf));
              asked++;
            }
    expect(asked).toBe(256 * 64 * 5);
  });
});
