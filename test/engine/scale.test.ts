/**
 * Scale: the worker-thread path gives exactly the single-thread results (in process and from the
 * built CLI), and a run killed at random points leaves every file old or new; a second run completes
 * the job and the tree equals a clean run's.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cfnYaml, generateDense, prng } from '../../bench/generate.mjs';
import { OWN_WORKER_MIN_FILES, ownWorkerFamily, run } from '../../src/engine/run.js';
import { DEFAULT_FIX_OPTIONS } from '../../src/engine/pipeline.js';
import { BIN, runCli, snapshot } from '../helpers/cli-helper.js';

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'kmsfix-scale-'));
}

describe('worker threads', () => {
  const corpus = tmp();
  generateDense(corpus, { seed: 7, scale: 0.04 }); // ~140 files of every format

  for (const mode of ['scan', 'fix'] as const) {
    it(`${mode}: the pool gives the single-thread results`, async () => {
      const base = { ...DEFAULT_FIX_OPTIONS, cwd: corpus, mode };
      const one = await run(['.'], { ...base, workers: 0 });
      const pool = await run(['.'], { ...base, workers: 2, parallelMinFiles: 0, parallelMinBytes: 0 });
      expect(one.outcomes.length).toBeGreaterThan(100);
      const plain = (r: typeof one) => ({
        errors: r.errors,
        outcomes: r.outcomes.map((o) => ({ path: o.file.path, bom: o.bom, tables: o.tables, error: o.error, newText: o.newText })),
      });
      expect(plain(pool)).toEqual(plain(one));
      if (mode === 'fix') expect(one.outcomes.filter((o) => o.newText !== undefined).length).toBeGreaterThan(50);
    });
  }

  it('a run given callbacks (beforeRead) sends the workers none of them; a task that cannot be sent never hangs the run', async () => {
    const base = { ...DEFAULT_FIX_OPTIONS, cwd: corpus, mode: 'scan' as const, workers: 2, parallelMinFiles: 0, parallelMinBytes: 0 };
    let seen = 0;
    const r = await run(['.'], { ...base, beforeRead: (c) => void (seen = c.length) });
    expect([seen > 100, r.outcomes.length]).toEqual([true, seen]);
    // An option no worker can receive (a function the run does not know to keep back): the batches
    // are done in this thread instead (before: the run waited forever).
    const odd = { ...base, unknownCallback: () => 0 } as typeof base;
    expect((await run(['.'], odd)).outcomes.length).toBe(seen);
  }, 60_000);

  it('the built CLI prints the same JSON with and without workers, and when workers die', async () => {
    const saved = process.env.KMSFIX_WORKERS;
    try {
      process.env.KMSFIX_WORKERS = '0';
      const single = await runCli(['fix', '--dry-run', '--format', 'json', '.'], corpus);
      // A text preview is printed in the run's order too, whatever order its files settle in.
      const singleDiff = await runCli(['fix', '--dry-run', '.'], corpus);
      const singleCheck = await runCli(['fix', '--check', '.'], corpus);
      const singleSarif = await runCli(['scan', '--format', 'sarif', '.'], corpus);
      process.env.KMSFIX_WORKERS = '2';
      process.env.KMSFIX_PARALLEL_MIN_BYTES = '0';
      const pooled = await runCli(['fix', '--dry-run', '--format', 'json', '.'], corpus);
      expect(single.code).toBe(1);
      expect(pooled.stdout).toBe(single.stdout);
      expect(singleDiff.stdout).toContain('+++ b/');
      expect((await runCli(['fix', '--dry-run', '.'], corpus)).stdout).toBe(singleDiff.stdout);
      expect((await runCli(['fix', '--check', '.'], corpus)).stdout).toBe(singleCheck.stdout);
      expect(singleSarif.stdout).toContain('"fixes"');
      expect((await runCli(['scan', '--format', 'sarif', '.'], corpus)).stdout).toBe(singleSarif.stdout);
      // Workers that run out of memory: their batches are done again in the main thread.
      process.env.KMSFIX_WORKER_HEAP_MB = '2';
      const starved = await runCli(['fix', '--dry-run', '--format', 'json', '.'], corpus);
      expect(starved.stdout).toBe(single.stdout);
    } finally {
      delete process.env.KMSFIX_WORKER_HEAP_MB;
      delete process.env.KMSFIX_PARALLEL_MIN_BYTES;
      if (saved === undefined) delete process.env.KMSFIX_WORKERS;
      else process.env.KMSFIX_WORKERS = saved;
    }
  });
});

describe('a worker of its own for the TypeScript files', () => {
  const corpus = tmp();
  generateDense(corpus, { seed: 11, scale: 0.12 }); // ~430 files, ~70 of them CDK

  it('is used only with at least 50 TypeScript files and 50 others among the candidates', () => {
    const names = (n: number, ext: string) => Array.from({ length: n }, (_, i) => `d/f${i}.${ext}`);
    expect(OWN_WORKER_MIN_FILES).toBe(50);
    expect(ownWorkerFamily([...names(50, 'ts'), ...names(50, 'yaml')])).toBe('typescript');
    expect(ownWorkerFamily([...names(49, 'ts'), ...names(500, 'tf')])).toBeUndefined();
    expect(ownWorkerFamily([...names(500, 'ts'), ...names(49, 'json')])).toBeUndefined();
    // Declaration files are not TypeScript candidates.
    expect(ownWorkerFamily([...names(50, 'd.ts'), ...names(50, 'yaml')])).toBeUndefined();
  });

  for (const mode of ['scan', 'fix'] as const) {
    it(`${mode}: gives the single-thread results`, async () => {
      const base = { ...DEFAULT_FIX_OPTIONS, cwd: corpus, mode };
      const one = await run(['.'], { ...base, workers: 0 });
      const split = await run(['.'], { ...base, workers: 1 });
      expect(one.ownWorker).toBeUndefined();
      expect(split.ownWorker).toBe('typescript');
      const plain = (r: typeof one) => ({
        errors: r.errors,
        outcomes: r.outcomes.map((o) => ({ path: o.file.path, bom: o.bom, tables: o.tables, error: o.error, newText: o.newText })),
      });
      expect(plain(split)).toEqual(plain(one));
      const ts = one.outcomes.filter((o) => o.file.path.endsWith('.ts'));
      expect(ts.length).toBeGreaterThanOrEqual(50);
      if (mode === 'fix') expect(ts.filter((o) => o.newText !== undefined).length).toBeGreaterThan(40);
    });
  }

  it('a worker that runs out of memory loses nothing: its batches are done again in the main thread', async () => {
    const base = { ...DEFAULT_FIX_OPTIONS, cwd: corpus, mode: 'fix' as const };
    const one = await run(['.'], { ...base, workers: 0 });
    process.env.KMSFIX_WORKER_HEAP_MB = '2';
    try {
      const starved = await run(['.'], { ...base, workers: 1 });
      expect(starved.ownWorker).toBe('typescript');
      const plain = (r: typeof one) => r.outcomes.map((o) => ({ path: o.file.path, tables: o.tables, error: o.error, newText: o.newText }));
      expect(plain(starved)).toEqual(plain(one));
    } finally {
      delete process.env.KMSFIX_WORKER_HEAP_MB;
    }
  });
});

describe('interrupted runs', () => {
  /** Many templates in one folder, so that the writes can be watched and interrupted. */
  function tree(): string {
    const dir = tmp();
    const r = prng(42);
    for (let i = 0; i < 120; i++) writeFileSync(path.join(dir, `t${String(i).padStart(3, '0')}.yaml`), cfnYaml(r, r.chance(0.2)));
    return dir;
  }

  /**
   * Start `fix`; SIGKILL it `delay` ms after the first event in `dir` on a name for which `when`
   * holds (or after `fallback` ms).
   */
  function killDuringWrites(dir: string, when: (name: string) => boolean, delay: number, fallback: number): Promise<void> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, 'fix', '--yes', '--quiet', '.'], { cwd: dir, stdio: 'ignore' });
      const kill = () => setTimeout(() => child.kill('SIGKILL'), delay);
      const w = watch(dir, (_event, name) => {
        if (!name || !when(String(name))) return;
        w.close();
        kill();
      });
      const t = setTimeout(() => {
        w.close();
        child.kill('SIGKILL');
      }, fallback);
      child.on('exit', () => {
        w.close();
        clearTimeout(t);
        resolve();
      });
    });
  }

  it('every file is old or new after SIGKILL at random points; a second run completes the job', async () => {
    const original = tree();
    const clean = tmp();
    cpSync(original, clean, { recursive: true });
    expect((await runCli(['fix', '--yes', '--quiet', '.'], clean)).code).toBe(0);
    const oldFiles = snapshot(original);
    const newFiles = snapshot(clean);
    let changedSeen = 0;
    let partialRuns = 0;
    const r = prng(2026);
    for (let attempt = 0; attempt < 4; attempt++) {
      const dir = path.join(tmp(), 'work');
      mkdirSync(dir);
      cpSync(original, dir, { recursive: true });
      // Every temp file is written before the first rename (src/io/write.ts). Attempts 0-1: killed
      // 0-1 ms after the first rename; attempt 2: 0-10 ms after the first temp file appeared;
      // attempt 3: killed early, before any write.
      const temp = (name: string) => name.startsWith('.kmsfix-tmp-');
      if (attempt < 2) await killDuringWrites(dir, (name) => !temp(name), r.int(0, 1), 60_000);
      else if (attempt === 2) await killDuringWrites(dir, temp, r.int(0, 10), 60_000);
      else await killDuringWrites(dir, () => false, 0, r.int(50, 300));
      const now = snapshot(dir);
      let fresh = 0;
      for (const [name, old] of oldFiles) {
        const cur = now.get(name);
        expect(cur, `${name} exists`).toBeDefined();
        const isOld = cur!.equals(old);
        const isNew = cur!.equals(newFiles.get(name)!);
        expect(isOld || isNew, `${name} is old or new, never half-written`).toBe(true);
        if (isNew && !isOld) fresh++;
      }
      // Only the templates and, at most, temp files of the interrupted writes.
      for (const name of now.keys()) expect(oldFiles.has(name) || name.startsWith('.kmsfix-tmp-'), name).toBe(true);
      changedSeen += fresh;
      if (fresh > 0 && fresh < oldFiles.size) partialRuns++;
      const again = await runCli(['fix', '--yes', '--quiet', '.'], dir);
      expect(again.code).toBe(0);
      expect(snapshot(dir)).toEqual(newFiles);
    }
    // The kills did land in the middle of the writes at least once.
    expect(changedSeen).toBeGreaterThan(0);
    expect(partialRuns).toBeGreaterThan(0);
  }, 240_000);
});
