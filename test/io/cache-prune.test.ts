/**
 * The cache folder does not grow with every build (src/io/cache.ts pruneStale): when a build writes
 * its cached code, the other builds' files of the same code that were not written for 30 days go,
 * and so do temp files a killed write left; the rest stays.
 */
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STALE_CACHE_DAYS, pruneStale } from '../../src/io/cache.js';
import { runCached } from '../../src/io/codeCache.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const DAY = 86_400_000;

function folder(files: Record<string, number>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-cache-'));
  dirs.push(dir);
  for (const [name, daysOld] of Object.entries(files)) {
    const abs = path.join(dir, name);
    writeFileSync(abs, 'x');
    const t = (Date.now() - daysOld * DAY) / 1000;
    utimesSync(abs, t, t);
  }
  return dir;
}

describe('pruneStale', () => {
  it("removes the same code's other builds unused for 30 days, and old temp files; keeps the rest", () => {
    const n = 'nodev20.20.2-x64.v8cache';
    const dir = folder({
      [`cli-aaaa-${n}`]: STALE_CACHE_DAYS + 1,
      [`cli-bbbb-${n}`]: STALE_CACHE_DAYS - 1,
      [`cli-cccc-${n}`]: 0,
      [`cli-cccc-${n}.123.abc.tmp`]: 2,
      [`cli-cccc-${n}.456.def.tmp`]: 0,
      [`typescript-6.0.3-${n}`]: 400,
      'hcl2json-0.21.0-shapes-1.txt': 400,
    });
    pruneStale(path.join(dir, `cli-cccc-${n}`));
    expect(readdirSync(dir).sort()).toEqual(
      [`cli-bbbb-${n}`, `cli-cccc-${n}`, `cli-cccc-${n}.456.def.tmp`, 'hcl2json-0.21.0-shapes-1.txt', `typescript-6.0.3-${n}`].sort(),
    );
  });

  it("keeps the same build's files for other kinds of run (src/cli/codeVariant.ts), however old", () => {
    const n = 'nodev20.20.2-x64.v8cache';
    const dir = folder({
      [`cli-aaaa-tree-${n}`]: STALE_CACHE_DAYS + 1,
      [`cli-cccc-tf-${n}`]: STALE_CACHE_DAYS + 1,
      [`cli-cccc-tf-${n}.123.abc.tmp`]: 2,
      [`cli-cccc-json-${n}`]: 0,
    });
    pruneStale(path.join(dir, `cli-cccc-json-${n}`), Date.now(), 'cli-cccc-');
    expect(readdirSync(dir).sort()).toEqual([`cli-cccc-json-${n}`, `cli-cccc-tf-${n}`].sort());
  });

  it('is called when cached code is written, and a missing folder is no error', () => {
    const n = 'nodev20.20.2-x64.v8cache';
    const dir = folder({ [`mod-old-${n}`]: 90 });
    const src = path.join(dir, 'mod.cjs');
    writeFileSync(src, 'module.exports = 42;\n');
    const run = runCached(src, path.join(dir, `mod-new-${n}`));
    expect(run.exports).toBe(42);
    run.save?.();
    expect(readdirSync(dir).sort()).toEqual([`mod-new-${n}`, 'mod.cjs']);
    expect(() => pruneStale(path.join(dir, 'missing', `mod-x-${n}`))).not.toThrow();
  });
});
