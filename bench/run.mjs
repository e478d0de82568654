/**
 * `npm run bench`: generate the seeded corpus in a temporary folder, then measure the built CLI
 * end to end (each measurement is a fresh `node bin/kmsfix.js` process, as a user runs it):
 * scan and fix per format and overall (files/s, MB/s, tables found), the `grep -rl` baseline over
 * the same files, peak memory, one-file latency, and the sparse tree against reading every file.
 *
 *   npm run bench [-- --seed N --scale X --runs N --keep]
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORMATS, generateDense, generateSparse } from './generate.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = path.join(ROOT, 'bench', 'child.mjs');
const arg = (k, d) => {
  const i = process.argv.indexOf(k);
  return i === -1 ? d : process.argv[i + 1];
};
const SEED = Number(arg('--seed', '1'));
const SCALE = Number(arg('--scale', '1'));
const RUNS = Number(arg('--runs', '3'));
const KEEP = process.argv.includes('--keep');
const PATTERN = 'AWS::DynamoDB::(Global)?Table|AWS::Serverless::SimpleTable|aws_dynamodb_table|aws-dynamodb|dynamodb\\.Table';
const LABEL = { yaml: 'CloudFormation YAML', json: 'CloudFormation JSON', tf: 'Terraform', cdk: 'CDK (TypeScript)' };

function log(s = '') {
  process.stdout.write(s + '\n');
}

function sizeOf(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

/** Run a command; wall time in ms, and (for kmsfix) the child's own CPU time and peak RSS. */
function measure(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const stats = path.join(tmpdir(), `kmsfix-bench-stats-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { env: { ...process.env, NO_COLOR: '1', KMSFIX_BENCH_STATS: stats, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      let usage;
      try {
        usage = JSON.parse(readFileSync(stats, 'utf8'));
        rmSync(stats);
      } catch {
        usage = undefined;
      }
      resolve({ ms, code, stdout: Buffer.concat(out).toString('utf8'), stderr: err, usage });
    });
  });
}

const kmsfix = (args, env) => measure(process.execPath, [CHILD, ...args], env);

/** Median wall time of `runs` runs (the last run's output is returned). */
async function median(fn, runs = RUNS) {
  const all = [];
  let last;
  for (let i = 0; i < runs; i++) {
    last = await fn(i);
    all.push(last);
  }
  all.sort((a, b) => a.ms - b.ms);
  const mid = all[Math.floor(all.length / 2)];
  return { ...last, ms: mid.ms, usage: mid.usage, peakKb: Math.max(...all.map((r) => r.usage?.maxRSS ?? 0)) };
}

const mbps = (bytes, ms) => bytes / 1048576 / (ms / 1000);
const fps = (files, ms) => files / (ms / 1000);
const f1 = (x) => x.toFixed(1);
const f0 = (x) => Math.round(x).toLocaleString('en-US');

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'kmsfix-bench-'));
  const cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? os.cpus()[0]?.model ?? 'unknown';
  log(`kmsfix bench: seed ${SEED}, scale ${SCALE}, median of ${RUNS} runs; corpus in ${work}`);
  log(`machine: ${os.availableParallelism()} cores (nproc), ${cpu}, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);

  const dense = path.join(work, 'dense');
  const sparse = path.join(work, 'sparse');
  const g0 = Date.now();
  generateDense(dense, { seed: SEED, scale: SCALE });
  generateSparse(sparse, { seed: SEED + 1, total: Math.round(20000 * SCALE) });
  log(`generated in ${((Date.now() - g0) / 1000).toFixed(1)} s`);
  const sizes = Object.fromEntries(FORMATS.map((f) => [f, sizeOf(path.join(dense, f))]));
  const total = { files: FORMATS.reduce((n, f) => n + sizes[f].files, 0), bytes: FORMATS.reduce((n, f) => n + sizes[f].bytes, 0) };
  const sparseSize = sizeOf(sparse);

  // Every fix works on its own copy, all made before the first measurement and deleted after the
  // last: deleting thousands of files just before a fix would slow the fix's own file creations
  // down (ext4 without a journal, as on this machine, skips recently freed inodes one by one), and
  // a user's fix does not follow a mass deletion.
  const copies = {};
  for (const f of [...FORMATS, 'all', 'single', 'floor']) {
    copies[f] = Array.from({ length: RUNS }, (_, i) => {
      const copy = path.join(work, `fix-${f}-${i}`);
      cpSync(FORMATS.includes(f) ? path.join(dense, f) : dense, copy, { recursive: true });
      return copy;
    });
  }

  // Warm the page cache, so that every measurement reads from memory.
  execFileSync('cat', ['/dev/null']);
  await measure('grep', ['-rlE', PATTERN, work]);

  const rows = [];
  for (const f of [...FORMATS, 'all']) {
    const dir = f === 'all' ? dense : path.join(dense, f);
    const size = f === 'all' ? total : sizes[f];
    const grep = await median(() => measure('grep', ['-rlE', PATTERN, dir]));
    const scan = await median(() => kmsfix(['scan', '--format', 'json', '--quiet', dir]));
    const found = JSON.parse(scan.stdout).summary;
    // Text output with --quiet, as a bulk run would use it (--format json would hold every diff in memory for printing).
    const fix = await median((i) => kmsfix(['fix', '--yes', '--quiet', copies[f][i]]));
    const fixed = { fixed: Number((/; (\d+) fixed in/.exec(fix.stderr) ?? [])[1] ?? NaN) };
    rows.push({ f, size, grep, scan, fix, found, fixed });
    log(`  ${f}: scan ${f0(scan.ms)} ms, fix ${f0(fix.ms)} ms, grep ${f0(grep.ms)} ms`);
  }
  // Everything in one thread, to compare with the default (on 2 cores: the TypeScript files' own
  // worker, and no size-based pool, which would need a second worker; src/engine/run.ts).
  const single = await median(() => kmsfix(['scan', '--format', 'json', '--quiet', dense], { KMSFIX_WORKERS: '0' }));
  const singleFix = await median((i) => kmsfix(['fix', '--yes', '--quiet', copies.single[i]], { KMSFIX_WORKERS: '0' }));

  // The floor of a verified, atomic fix on this machine (floorMs below): the fixed tree scanned by a
  // process that has just scanned the dense one (what verification parses and detects again, with
  // warm parsers), the dense tree merely read, and the fix's writes alone, with bare calls, into the
  // 'floor' copies (the 'all' copies hold the fixed trees).
  const fixedScan = await median(async () => {
    const r = await measure(process.execPath, [path.join(ROOT, 'bench', 'rescan.mjs'), dense, copies.all[0]]);
    return { ...r, ...JSON.parse(r.stdout) };
  });
  const denseRead = await median(() => measure(process.execPath, [path.join(ROOT, 'bench', 'read-all.mjs'), dense]));
  const bareWrites = await median(async (i) => {
    const r = await measure(process.execPath, [path.join(ROOT, 'bench', 'write-floor.mjs'), copies.all[i], copies.floor[i]]);
    return { ...r, ...JSON.parse(r.stdout) };
  });

  // One-file latency, end to end: the first file of each format.
  const latency = {};
  for (const f of FORMATS) {
    const first = execFileSync('find', [path.join(dense, f), '-type', 'f'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort()[0];
    latency[f] = await median(() => kmsfix(['scan', first]), Math.max(5, RUNS));
  }

  // Sparse tree: read every file with Node (walk + readFileSync), against kmsfix scan.
  const readAll = await median(() => measure(process.execPath, [path.join(ROOT, 'bench', 'read-all.mjs'), sparse]));
  const sparseScan = await median(() => kmsfix(['scan', '--format', 'json', '--quiet', sparse]));
  const sparseFound = JSON.parse(sparseScan.stdout).summary;

  const all = rows.find((r) => r.f === 'all');
  // A fix detects what a scan detects, parses and detects every fixed file again, and writes it:
  // scan + (warm scan of the fixed tree - reading the tree) + the bare writes. Approximate (the
  // fixed tree also holds the files a fix leaves unchanged, 8% here), but with planning, applying
  // and the diffs left out.
  const floorMs = all.scan.ms + Math.max(0, fixedScan.ms - denseRead.ms) + bareWrites.ms;
  const peakMb = Math.max(...rows.map((r) => Math.max(r.scan.peakKb, r.fix.peakKb)), sparseScan.peakKb) / 1024;
  const scanPeakMb = Math.max(...rows.map((r) => r.scan.peakKb), sparseScan.peakKb) / 1024;
  const fixPeakMb = Math.max(...rows.map((r) => r.fix.peakKb)) / 1024;

  log('');
  log(`Dense corpus: ${f0(total.files)} files, ${f1(total.bytes / 1048576)} MB. Sparse tree: ${f0(sparseSize.files)} files, ${f1(sparseSize.bytes / 1048576)} MB.`);
  log('');
  log('| format | files | MB | tables found | scan files/s | scan MB/s | fix files/s | fix MB/s | fix / scan time | tables fixed | grep -rl MB/s |');
  log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    log(
      `| ${r.f === 'all' ? '**all**' : LABEL[r.f]} | ${f0(r.size.files)} | ${f1(r.size.bytes / 1048576)} | ${f0(r.found.tables)} | ${f0(fps(r.size.files, r.scan.ms))} | ${f1(mbps(r.size.bytes, r.scan.ms))} | ` +
        `${f0(fps(r.size.files, r.fix.ms))} | ${f1(mbps(r.size.bytes, r.fix.ms))} | ${(r.fix.ms / r.scan.ms).toFixed(2)}x | ${f0(r.fixed.fixed)} | ${f1(mbps(r.size.bytes, r.grep.ms))} |`,
    );
  }
  log('');
  log(`- scan of the dense corpus: ${f1(mbps(total.bytes, all.scan.ms))} MB/s as run by default, ${f1(mbps(total.bytes, single.ms))} MB/s with workers off (KMSFIX_WORKERS=0); CPU ${f0((all.scan.usage?.userCPUTime + all.scan.usage?.systemCPUTime) / 1000)} ms for ${f0(all.scan.ms)} ms wall`);
  log(`- fix of the dense corpus with workers off: ${f0(singleFix.ms)} ms (default: ${f0(all.fix.ms)} ms)`);
  log(`- fix / scan time on the dense corpus: ${(all.fix.ms / all.scan.ms).toFixed(2)}x`);
  log(
    `- floor of a verified, atomic fix here: scan ${f0(all.scan.ms)} ms + verification's parse and detection (the fixed tree's warm scan ${f0(fixedScan.ms)} ms - ` +
      `reading every file ${f0(denseRead.ms)} ms) + bare atomic writes of the ${f0(bareWrites.files)} changed files ${f0(bareWrites.ms)} ms = ${f0(floorMs)} ms, ` +
      `${(floorMs / all.scan.ms).toFixed(2)}x the scan; the fix took ${(all.fix.ms / floorMs).toFixed(2)}x its floor`,
  );
  log(`- one-file \`kmsfix scan FILE\` (median, end to end): ${FORMATS.map((f) => `${LABEL[f]} ${f0(latency[f].ms)} ms`).join(', ')}`);
  log(`- peak RSS (largest of all runs, workers included): ${f0(peakMb)} MB; scans ${f0(scanPeakMb)} MB, fixes ${f0(fixPeakMb)} MB`);
  log(`- sparse tree: Node reads every file in ${f0(readAll.ms)} ms; kmsfix scan takes ${f0(sparseScan.ms)} ms (${(sparseScan.ms / readAll.ms).toFixed(2)}x), ${f0(sparseFound.files)} files parsed, ${f0(sparseFound.tables)} tables`);
  log('');
  const maxLatency = Math.max(...FORMATS.map((f) => latency[f].ms));
  const checks = [
    ['scan >= 8 MB/s on the dense corpus', mbps(total.bytes, all.scan.ms) >= 8, `${f1(mbps(total.bytes, all.scan.ms))} MB/s`],
    ['fix within 2x of scan', all.fix.ms <= 2 * all.scan.ms, `${(all.fix.ms / all.scan.ms).toFixed(2)}x (its floor here: ${(floorMs / all.scan.ms).toFixed(2)}x)`],
    ['one-file scan <= 250 ms', maxLatency <= 250, `${f0(maxLatency)} ms (slowest format)`],
    ['peak RSS <= 400 MB', peakMb <= 400, `${f0(peakMb)} MB`],
    ['sparse tree within 3x of reading every file', sparseScan.ms <= 3 * readAll.ms, `${(sparseScan.ms / readAll.ms).toFixed(2)}x`],
  ];
  for (const [name, ok, value] of checks) log(`${ok ? 'MET   ' : 'MISSED'} ${name}: ${value}`);
  log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (other processes on the machine slow every number down)`);
  if (!KEEP) rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
