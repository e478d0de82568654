/**
 * Texts kept on disk for the end of a run (src/io/spool.ts): read back by key in the caller's order,
 * whole, whatever their characters; in memory when the temp folder cannot be written; nothing left
 * behind.
 */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileTexts, OrderedSpool } from '../../src/io/spool.js';
import type { FileOutcome } from '../../src/core/result.js';

// The spool's writes, failing from the nth on when a test says so (a disk that fills up mid-run).
const writes = vi.hoisted(() => ({ failFrom: Number.POSITIVE_INFINITY, count: 0 }));
vi.mock('../../src/io/write.js', async (original) => {
  const real = await original<typeof import('../../src/io/write.js')>();
  return {
    ...real,
    writeAll: (fd: number, bytes: Uint8Array) => {
      if (++writes.count >= writes.failFrom) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return real.writeAll(fd, bytes);
    },
  };
});

const mine = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`kmsfix-${process.pid}-`) && n.endsWith('.spool'));
const saved = process.env.TMPDIR;
afterEach(() => {
  if (saved === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = saved;
});

function fill(spool: OrderedSpool): void {
  spool.append('a', 3, 'third é€😀\n');
  spool.append('b', 0, 'other key');
  spool.append('a', 1, 'first');
  spool.append('a', 2, 'second, then');
  spool.append('a', 2, 'second again (a tie keeps the order kept)');
}

describe('OrderedSpool', () => {
  it('gives back each key’s texts by order, ties in the order kept, and removes its file', () => {
    const spool = new OrderedSpool();
    fill(spool);
    expect([...spool.texts('a')]).toEqual(['first', 'second, then', 'second again (a tie keeps the order kept)', 'third é€😀\n']);
    expect([...spool.texts('b')]).toEqual(['other key']);
    expect(spool.has('b')).toBe(true);
    expect(spool.has('c')).toBe(false);
    expect(spool.onDisk).toBe(true);
    // Unlinked as soon as it was open (Linux): never visible in the temp folder.
    expect(mine()).toEqual([]);
    spool.discard();
    spool.discard();
    expect([...spool.texts('a')]).toEqual([]);
  });

  it('keeps the texts in memory when the temp folder cannot be written', () => {
    process.env.TMPDIR = '/nonexistent/kmsfix-spool-test';
    const spool = new OrderedSpool();
    fill(spool);
    expect(spool.onDisk).toBe(false);
    expect([...spool.texts('a')]).toEqual(['first', 'second, then', 'second again (a tie keeps the order kept)', 'third é€😀\n']);
    spool.discard();
  });

  it('gives back texts kept on disk and, once a write failed, in memory, in one order', () => {
    writes.count = 0;
    writes.failFrom = 3;
    try {
      const spool = new OrderedSpool();
      fill(spool);
      expect(spool.onDisk).toBe(false);
      expect([...spool.texts('a')]).toEqual(['first', 'second, then', 'second again (a tie keeps the order kept)', 'third é€😀\n']);
      expect([...spool.texts('b')]).toEqual(['other key']);
      spool.discard();
    } finally {
      writes.failFrom = Number.POSITIVE_INFINITY;
    }
  });
});

describe('FileTexts', () => {
  it('gives back the text kept for each outcome and kind, none for others', () => {
    const texts = new FileTexts();
    const a = { file: { path: 'a' } } as unknown as FileOutcome;
    const b = { file: { path: 'b' } } as unknown as FileOutcome;
    texts.keep(a, 'content', 'naïve ✓\r\n');
    texts.keep(b, 'diff', '--- b\n');
    texts.keep(a, 'diff', '--- a\n');
    expect(texts.get(a, 'content')).toBe('naïve ✓\r\n');
    expect(texts.get(a, 'diff')).toBe('--- a\n');
    expect(texts.get(b, 'diff')).toBe('--- b\n');
    expect(texts.get(b, 'content')).toBeUndefined();
    expect(texts.get({ file: { path: 'c' } } as unknown as FileOutcome, 'diff')).toBeUndefined();
    texts.discard();
    expect(texts.get(a, 'content')).toBeUndefined();
  });
});
