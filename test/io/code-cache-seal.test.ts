/** The seal on cached code (src/io/codeCache.ts): a CRC-32 after V8's bytes, checked before V8 gets them. */
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Sum, sealed, unsealed } from '../../src/io/codeCache.js';

describe('cached code sealed with a CRC-32', () => {
  const data = Buffer.from(Array.from({ length: 70_001 }, (_, i) => (i * 7919) & 0xff));

  it("gives zlib's CRC-32 (the check value of '123456789' is cbf43926)", () => {
    expect(crc32(Buffer.from('123456789')).toString(16)).toBe('cbf43926');
    expect(crc32(data)).toBe(zlibCrc32(data) >>> 0);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it("the JavaScript sum (Node 20 before 20.15 has no zlib.crc32) gives zlib's", () => {
    for (const b of [Buffer.from('123456789'), data, Buffer.from([0xff, 0, 0x80]), Buffer.alloc(0)])
      expect(crc32Sum(b), b.subarray(0, 9).toString('hex')).toBe(zlibCrc32(b) >>> 0);
  });

  it('gives back the bytes it sealed, and nothing for a file with any byte changed, cut short or unsealed', () => {
    const file = sealed(data);
    expect(file.length).toBe(data.length + 4);
    expect(unsealed(file)?.equals(data)).toBe(true);
    for (const at of [0, 1, 4096, data.length - 1, data.length, data.length + 3]) {
      const bad = Buffer.from(file);
      bad[at] ^= 0x01;
      expect(unsealed(bad), `byte ${at}`).toBeUndefined();
    }
    expect(unsealed(file.subarray(0, file.length - 1))).toBeUndefined();
    expect(unsealed(data)).toBeUndefined();
    expect(unsealed(Buffer.alloc(4))).toBeUndefined();
    expect(unsealed(undefined)).toBeUndefined();
  });
});
