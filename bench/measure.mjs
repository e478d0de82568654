/**
 * Running and timing the processes the bench measures: wall time, and for kmsfix (started through
 * bench/child.cjs, which runs bin/kmsfix.cjs) the child's own CPU time and peak RSS, worker threads included.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './dist.mjs';

const CHILD = path.join(ROOT, 'bench', 'child.cjs');

/**
 * CPU time the hypervisor gave to other guests while this one had work to run ("steal" in
 * /proc/stat, all cores, in ms; USER_HZ is 100 on Linux): the part of a slow run that is the host's.
 * NaN where /proc/stat is not readable.
 */
export function stolenMs() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
    return Number(f[8]) * 10;
  } catch {
    return NaN;
  }
}

/**
 * Run a command: { ms, code, stdout, stderr, usage, stolen } (usage: process.resourceUsage() of a
 * kmsfix child; stolen: what `stolenMs()` counted while it ran, on every core). `stdout: 'ignore'`
 * sends the child's stdout to /dev/null (a fix's diff, which the bench does not read and should not
 * hold in its own memory).
 */
export function measure(cmd, args, env = {}, { stdout = 'pipe' } = {}) {
  return new Promise((resolve, reject) => {
    const stats = path.join(tmpdir(), `kmsfix-bench-stats-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
    const t0 = process.hrtime.bigint();
    const steal0 = stolenMs();
    const child = spawn(cmd, args, {
      env: { ...process.env, NO_COLOR: '1', KMSFIX_BENCH_STATS: stats, ...env },
      stdio: ['ignore', stdout, 'pipe'],
    });
    const out = [];
    let err = '';
    child.stdout?.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const stolen = stolenMs() - steal0;
      let usage;
      try {
        usage = JSON.parse(readFileSync(stats, 'utf8'));
        rmSync(stats);
      } catch {
        usage = undefined;
      }
      resolve({ ms, code, stdout: Buffer.concat(out).toString('utf8'), stderr: err, usage, stolen });
    });
  });
}

/** kmsfix from the build, with its CPU time and peak RSS. */
export const kmsfix = (args, env, opts) => measure(process.execPath, [CHILD, ...args], env, opts);

/** A bench helper script (bench/NAME) run by Node. */
export const helper = (name, args) => measure(process.execPath, [path.join(ROOT, 'bench', name), ...args]);

/** Run `fn(i)` `runs` times: the median wall time, the last run's output, the largest peak RSS (KB). */
export async function median(fn, runs) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await fn(i));
  return summary(all);
}

/**
 * Several measurements taken in turn, run by run (a, b, c, then a, b, c again...), each summarized as
 * `median` does. A ratio of two of them then compares runs made within seconds of each other: on a
 * host whose load moves from minute to minute, blocks of one measurement after the other's put the
 * two sides of a ratio under different loads.
 */
export async function interleaved(fns, runs) {
  const all = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const [k, fn] of Object.entries(fns)) all[k].push(await fn(i));
  return Object.fromEntries(Object.entries(all).map(([k, xs]) => [k, summary(xs)]));
}

/** The median wall time of some runs, the last run's output, the largest peak RSS (KB). */
function summary(all) {
  const last = all[all.length - 1];
  const sorted = [...all].sort((a, b) => a.ms - b.ms);
  const mid = sorted[Math.floor(sorted.length / 2)];
  return {
    ...last,
    ms: mid.ms,
    usage: mid.usage,
    stolen: mid.stolen,
    all: all.map((x) => x.ms),
    peakKb: Math.max(...all.map((x) => x.usage?.maxRSS ?? 0)),
  };
}

/** The median of numbers. */
export function mid(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export const mbps = (bytes, ms) => bytes / 1048576 / (ms / 1000);
export const fps = (files, ms) => files / (ms / 1000);
export const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
export const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');
export const f0 = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
