/**
 * `npm run bench`: generate the seeded corpus in a temporary folder, then measure the built CLI end
 * to end, each measurement a new process as a user runs it, and print (docs/performance.md):
 *
 * - per format and overall: scan MB/s, fix MB/s, fix/scan, the fix's floor (scan + verification's
 *   warm parse and detection of the fixed files + bare atomic writes) and fix/floor, tables found
 *   and fixed, the fix's peak RSS, the `grep -rl` baseline; the scan, the fix and the floor's parts
 *   measured in turn, run by run, so that each ratio compares runs made under the same load;
 * - the fix's peak RSS on 1x, 2x, 4x (and with --rss-8x, 8x) the dense corpus;
 * - one-file `kmsfix scan FILE` latency per format against `node -e 0`, interleaved, medians;
 * - the sparse tree's scan against reading every file;
 * - the targets of issue 16, met or missed, from those numbers.
 *
 *   npm run bench [-- --shape real|classic --scale X --seed N --runs N --latency-runs N
 *                     --rss-8x | --rss 1,2,4,8  --corpus dense|both  --anchor-share P
 *                     --tf-module-files N --infra-share P --sparse-files N
 *                     --rss-quiet --fix-workers-off --min-format-mb MB --json FILE --keep]
 *
 * Progress goes to stderr, the report to stdout.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN, loadSkippedDirs } from './dist.mjs';
import { argOf, formatsOf, generate, mixArgs, sizeOf } from './generate.mjs';
import { f0, f1, f2, fps, helper, interleaved, kmsfix, mbps, measure, median, mid, stolenMs } from './measure.mjs';

// The generated Terraform modules have tables with replica blocks, which kmsfix fixes only with
// --recreate-replicas since the twenty-sixth session (terraform apply re-creates such replicas): the
// bench fixes them, as every run before did, so that its runs stay comparable.
const FIX = ['fix', '--recreate-replicas'];
import { TARGETS, checkTargets } from './targets.mjs';
import { pickLatencyFiles } from './latency-files.mjs';

const argv = process.argv.slice(2);
const SHAPE = argOf(argv, '--shape', 'real');
const SEED = Number(argOf(argv, '--seed', '1'));
const SCALE = Number(argOf(argv, '--scale', '1'));
const RUNS = Number(argOf(argv, '--runs', '3'));
const LATENCY_RUNS = Number(argOf(argv, '--latency-runs', '9'));
const RSS_SIZES = (argOf(argv, '--rss') ?? (argv.includes('--rss-8x') ? '1,2,4,8' : '1,2,4')).split(',').filter(Boolean).map(Number);
const SPARSE = argOf(argv, '--corpus', 'both') !== 'dense';
const FIX_WORKERS_OFF = argv.includes('--fix-workers-off');
const RSS_QUIET = argv.includes('--rss-quiet');
const JSON_OUT = argOf(argv, '--json');
const KEEP = argv.includes('--keep');
// A format's own row measures throughput: a folder smaller than this is measured as that many
// copies of it side by side, so that the process's start (a fixed cost, the one-file latency's
// subject) is not most of what the row times. 0 measures every folder as generated.
const MIN_FORMAT_MB = Number(argOf(argv, '--min-format-mb', '2.5'));
const PATTERN =
  'AWS::DynamoDB::(Global)?Table|AWS::Serverless::SimpleTable|aws_dynamodb_table|terraform-aws-modules/dynamodb-table|aws-dynamodb|dynamodb\\.Table|aws:dynamodb:Table';
const LABEL = {
  yaml: 'CloudFormation YAML',
  'yaml/anchors': 'CloudFormation YAML with anchors',
  'yaml/plain': 'CloudFormation YAML without anchors',
  json: 'CloudFormation JSON',
  tf: 'Terraform',
  cdk: 'CDK (TypeScript)',
  pulumi: 'Pulumi YAML',
  all: '**all**',
};

const say = (s = '') => process.stdout.write(s + '\n');
const progress = (s) => process.stderr.write(s + '\n');
const psi = () => {
  try {
    return /some avg10=([\d.]+) avg60=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8')).slice(1).join('% (10 s), ') + '% (60 s)';
  } catch {
    return 'n/a';
  }
};
const load = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ');
/**
 * The host's speed for a moment: a fixed integer loop over a 4 MB table (no allocation, so the JIT
 * settles after the warm-up), the median of 15 runs in ms. The same code on an idle vCPU of this
 * machine takes 2.0 ms in some seconds and 2.9 in others (no steal counted): a run's CPU times, and
 * the ratios between measurements taken at different moments, move with it.
 */
const probe = () => {
  const table = new Int32Array(1 << 20);
  const work = (n) => {
    let x = 2463534242 | 0;
    let h = 0;
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const k = x & 0xfffff;
      table[k] = (table[k] + i) | 0;
      h = (h + table[(k * 7) & 0xfffff]) | 0;
    }
    return h;
  };
  for (let r = 0; r < 10; r++) work(100_000);
  const xs = [];
  for (let r = 0; r < 15; r++) {
    const t0 = process.hrtime.bigint();
    work(1_000_000);
    xs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return mid(xs);
};
const copyOf = (src, dst) => {
  cpSync(src, dst, { recursive: true });
  return dst;
};
const fixedCount = (stderr) => Number((/; (\d+) fixed in/.exec(stderr) ?? [])[1] ?? NaN);

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'kmsfix-bench-'));
  const cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const machine = { cores: os.availableParallelism(), cpu, node: process.version, loadStart: load(), psiStart: psi(), probeStart: probe() };
  const runStart = { ms: Date.now(), stolen: stolenMs() };
  say(
    `kmsfix bench: shape ${SHAPE}, seed ${SEED}, scale ${SCALE}, median of ${RUNS} runs (one-file latency: ${LATENCY_RUNS}); corpus in ${work}`,
  );
  say(
    `machine: ${machine.cores} cores, ${cpu}, Node ${process.version}; load average ${machine.loadStart}; CPU pressure (tasks waiting for a CPU) ${machine.psiStart}`,
  );

  const g0 = Date.now();
  generate(work, { shape: SHAPE, corpus: SPARSE ? 'both' : 'dense', seed: SEED, scale: SCALE, ...mixArgs(argv) });
  progress(`generated in ${((Date.now() - g0) / 1000).toFixed(1)} s`);
  const dense = path.join(work, 'dense');
  const sparse = path.join(work, 'sparse');
  const formats = formatsOf(SHAPE);
  const subRows = SHAPE === 'classic' ? [] : ['yaml/anchors', 'yaml/plain'];
  const generated = (f) => (f === 'all' ? dense : path.join(dense, f));
  const copiesOf = {};
  for (const f of formats) {
    const bytes = sizeOf(generated(f)).bytes;
    const k = bytes > 0 ? Math.ceil((MIN_FORMAT_MB * 1048576) / bytes) : 1;
    if (k > 1) {
      copiesOf[f] = k;
      for (let c = 0; c < k; c++) copyOf(generated(f), path.join(work, `wide-${f.replace('/', '-')}`, `copy${c}`));
    }
  }
  const dirOf = (f) => (copiesOf[f] ? path.join(work, `wide-${f.replace('/', '-')}`) : generated(f));
  const size = Object.fromEntries([...formats, ...subRows, 'all'].map((f) => [f, sizeOf(dirOf(f))]));

  // Every fix works on its own copy, all made before the first measurement and deleted after the
  // last: deleting thousands of files just before a fix slows its own file creations down (ext4
  // without a journal, as on this machine, skips recently freed inodes one by one).
  const copies = {};
  for (const f of [...formats, 'all']) {
    copies[f] = Array.from({ length: RUNS }, (_, i) => copyOf(dirOf(f), path.join(work, `fix-${f}-${i}`)));
    copies[`floor-${f}`] = Array.from({ length: RUNS }, (_, i) => copyOf(dirOf(f), path.join(work, `floor-${f}-${i}`)));
  }
  if (FIX_WORKERS_OFF) copies.single = Array.from({ length: RUNS }, (_, i) => copyOf(dense, path.join(work, `fix-single-${i}`)));
  const rssTrees = {};
  for (const s of RSS_SIZES) {
    for (const kind of RSS_QUIET ? ['diff', 'quiet'] : ['diff']) {
      rssTrees[`${kind}${s}`] = path.join(work, `rss-${kind}-${s}x`);
      for (let c = 0; c < s; c++) copyOf(dense, path.join(rssTrees[`${kind}${s}`], `copy${c}`));
    }
  }
  progress(`copies made in ${((Date.now() - g0) / 1000).toFixed(1)} s`);

  // Warm the page cache, so that every measurement reads from memory. This machine also pages out
  // file pages untouched for about a minute (a DAMON `pageout` scheme, kdamond), and the copies
  // wait minutes for their turn: each tree is read again just before a fix of it (`warm`), as the
  // scan's tree is by the grep before it, so that the fix and the scan both read from memory.
  await measure('grep', ['-rlE', PATTERN, work]);
  const warm = (dir) => helper('read-all.mjs', [dir]);
  // kmsfix's cache folder of its own, empty at the start, so that what every run loads does not depend
  // on what ran on this machine before (the CLI's cached code holds what the run that wrote it compiled).
  process.env.KMSFIX_CACHE_DIR = path.join(work, 'cache');
  // One unmeasured scan, as a user's first run: it writes the CLI's cached code (src/cli/start.ts) and
  // the TypeScript parser's, which every later run loads, as a user's second run does; and one
  // unmeasured dry run of the Terraform, which keeps the shapes HashiCorp's parser accepted
  // (src/formats/terraform/hclcheck.ts), as a user's earlier fixes do.
  const latencyFiles = pickLatencyFiles(dense, SHAPE);
  await kmsfix(['scan', '--quiet', '--format', 'json', ...latencyFiles.map((x) => x.file)]);
  if (formats.includes('tf')) await kmsfix([...FIX, '--dry-run', '--quiet', dirOf('tf')], {}, { stdout: 'ignore' });

  // Per format and overall: grep, scan, fix, and the fix's floor.
  const rows = {};
  for (const f of [...formats, ...subRows, 'all']) {
    const dir = dirOf(f);
    const row = { size: size[f] };
    row.grep = await median(() => measure('grep', ['-rlE', PATTERN, dir]), RUNS);
    const scan = () => kmsfix(['scan', '--format', 'json', '--quiet', dir]);
    if (subRows.includes(f)) row.scan = await median(scan, RUNS);
    else {
      // The scan, the fix and each part of the fix's floor, in turn, run by run (`interleaved`):
      // the ratios below compare measurements made under the same load.
      Object.assign(
        row,
        await interleaved(
          {
            scan,
            // Text output with --quiet, as a bulk run would use it.
            fix: async (i) => {
              await warm(copies[f][i]);
              return kmsfix([...FIX, '--yes', '--quiet', copies[f][i]]);
            },
            // The floor: the fixed tree scanned by a process that has just scanned the input (what
            // verification parses and detects again, with warm parsers), less reading every file
            // (which verification does not do), plus the fix's writes alone with bare calls.
            rescan: async () => {
              const r = await helper('rescan.mjs', [dir, copies[f][0]]);
              return { ...r, ...JSON.parse(r.stdout) };
            },
            // In-process times: the walk and reads alone, without the process's start.
            read: async () => {
              const r = await helper('read-all.mjs', [dir]);
              return { ...r, ms: JSON.parse(r.stdout).ms };
            },
            writes: async (i) => {
              const r = await helper('write-floor.mjs', [copies[f][i], copies[`floor-${f}`][i]]);
              return { ...r, ...JSON.parse(r.stdout) };
            },
          },
          RUNS,
        ),
      );
      row.fixed = fixedCount(row.fix.stderr);
      row.floorMs = row.scan.ms + Math.max(0, row.rescan.ms - row.read.ms) + row.writes.ms;
    }
    row.found = JSON.parse(row.scan.stdout).summary;
    rows[f] = row;
    progress(`  ${f}: scan ${f0(row.scan.ms)} ms${row.fix ? `, fix ${f0(row.fix.ms)} ms, floor ${f0(row.floorMs)} ms` : ''}`);
  }
  const all = rows.all;

  // Everything in one thread (KMSFIX_WORKERS=0), to compare with the default.
  const single = await median(() => kmsfix(['scan', '--format', 'json', '--quiet', dense], { KMSFIX_WORKERS: '0' }), RUNS);
  const singleFix = FIX_WORKERS_OFF
    ? await median(async (i) => {
        await warm(copies.single[i]);
        return kmsfix([...FIX, '--yes', '--quiet', copies.single[i]], { KMSFIX_WORKERS: '0' });
      }, RUNS)
    : undefined;

  // The fix's peak RSS as the tree grows: one run per size, the diff printed (to /dev/null), as
  // `kmsfix fix --yes` does on a terminal; with --rss-quiet, also `fix --yes --quiet` (no diff).
  // Before it, on the same tree, the preview of a bulk run with its JSON report (every table and
  // every diff in it): `fix --dry-run --format json`; and a fix that holds its files until the run
  // is over (as the prompt and --commit do): `fix --patch-dir DIR --format json`, a patch and a
  // mail per repository for review.
  const rss = [];
  for (const s of RSS_SIZES) {
    await warm(rssTrees[`diff${s}`]);
    const j = await kmsfix([...FIX, '--dry-run', '--format', 'json', rssTrees[`diff${s}`]], {}, { stdout: 'ignore' });
    const patches = path.join(work, `patches-${s}x`);
    const h = await kmsfix([...FIX, '--patch-dir', patches, '--format', 'json', rssTrees[`diff${s}`]], {}, { stdout: 'ignore' });
    rmSync(patches, { recursive: true, force: true });
    const r = await kmsfix([...FIX, '--yes', rssTrees[`diff${s}`]], {}, { stdout: 'ignore' });
    if (RSS_QUIET) await warm(rssTrees[`quiet${s}`]);
    const q = RSS_QUIET ? await kmsfix([...FIX, '--yes', '--quiet', rssTrees[`quiet${s}`]]) : undefined;
    const row = {
      size: s,
      files: s * size.all.files,
      bytes: s * size.all.bytes,
      ms: r.ms,
      mb: (r.usage?.maxRSS ?? NaN) / 1024,
      fixed: fixedCount(r.stderr),
      quietMs: q?.ms,
      quietMb: q && (q.usage?.maxRSS ?? NaN) / 1024,
      jsonMs: j.ms,
      jsonMb: (j.usage?.maxRSS ?? NaN) / 1024,
      heldMs: h.ms,
      heldMb: (h.usage?.maxRSS ?? NaN) / 1024,
    };
    rss.push(row);
    progress(
      `  fix of ${s}x: ${f0(row.ms)} ms, peak RSS ${f0(row.mb)} MB${q ? `; with --quiet ${f0(row.quietMs)} ms, ${f0(row.quietMb)} MB` : ''}; dry run, JSON: ${f0(row.jsonMs)} ms, ${f0(row.jsonMb)} MB; --patch-dir, JSON: ${f0(row.heldMs)} ms, ${f0(row.heldMb)} MB`,
    );
  }

  // One-file latency, end to end through bin/kmsfix.cjs, interleaved with `node -e 0` (after one
  // unmeasured round that warms the page cache).
  const oneFileCommands = [
    { label: '`node -e 0`', args: ['-e', '0'] },
    { label: '`kmsfix --version`', args: [BIN, '--version'] },
    ...latencyFiles.map((x) => ({ label: x.label, file: x.file, args: [BIN, 'scan', x.file] })),
  ];
  // NODE_EXTRA_CA_CERTS (set on this machine's image) makes every Node process parse that bundle at start, about
  // 75 ms of CPU on each side of the ratio (sixty-first session): where it is set, the same commands are measured
  // again without it (empty), interleaved in the same rounds, and the targets read both.
  const bare = process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: '' } : undefined;
  const commands = [...oneFileCommands, ...(bare ? oneFileCommands.map((c) => ({ ...c, env: bare })) : [])];
  const times = commands.map(() => []);
  for (let round = -1; round < LATENCY_RUNS; round++) {
    for (const [i, c] of commands.entries()) {
      const r = await measure(process.execPath, c.args, c.env);
      if (round >= 0) times[i].push(r.ms);
    }
  }
  const measured = commands.map((c, i) => ({ ...c, ms: mid(times[i]), min: Math.min(...times[i]), max: Math.max(...times[i]) }));
  const latency = measured.slice(0, oneFileCommands.length);
  const latencyBare = bare ? measured.slice(oneFileCommands.length) : undefined;
  const nodeMs = latency[0].ms;

  // The sparse tree: Node reading every file (outside the folders kmsfix never walks into), and the scan.
  let sparseRow;
  if (SPARSE) {
    const skipped = [...(await loadSkippedDirs())].join(',');
    const sparseSize = sizeOf(sparse);
    const readAll = await median(() => helper('read-all.mjs', [sparse]), RUNS);
    const readWalked = await median(() => helper('read-all.mjs', [sparse, '--skip', skipped]), RUNS);
    const scan = await median(() => kmsfix(['scan', '--format', 'json', '--quiet', sparse]), RUNS);
    sparseRow = { size: sparseSize, readAll, readWalked, scan, found: JSON.parse(scan.stdout).summary };
  }

  // ---------------------------------------------------------------- report
  const mb = (b) => (b < 1048576 ? f2 : f1)(b / 1048576);
  say('');
  say(
    `Dense corpus: ${f0(all.size.files)} files, ${mb(all.size.bytes)} MB.${sparseRow ? ` Sparse tree: ${f0(sparseRow.size.files)} files, ${mb(sparseRow.size.bytes)} MB.` : ''}`,
  );
  say('');
  say(
    '| format | files | MB | tables found | scan MB/s | scan files/s | fix MB/s | fix / scan | floor / scan | fix / floor | tables fixed | fix peak RSS MB | grep -rl MB/s |',
  );
  say('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const f of [...formats.flatMap((x) => (x === 'yaml' ? ['yaml', ...subRows] : [x])), 'all']) {
    const r = rows[f];
    const label =
      (subRows.includes(f) ? `&nbsp;&nbsp;${LABEL[f].replace('CloudFormation YAML ', '')}` : LABEL[f]) +
      (copiesOf[f] ? ` (${copiesOf[f]} copies)` : '');
    const fix = r.fix
      ? [
          f1(mbps(r.size.bytes, r.fix.ms)),
          `${f2(r.fix.ms / r.scan.ms)}x`,
          `${f2(r.floorMs / r.scan.ms)}x`,
          `${f2(r.fix.ms / r.floorMs)}x`,
          f0(r.fixed),
          f0(r.fix.peakKb / 1024),
        ]
      : ['', '', '', '', '', ''];
    say(
      `| ${label} | ${f0(r.size.files)} | ${mb(r.size.bytes)} | ${f0(r.found.tables)} | ${f1(mbps(r.size.bytes, r.scan.ms))} | ${f0(fps(r.size.files, r.scan.ms))} | ${fix.join(' | ')} | ${f1(mbps(r.size.bytes, r.grep.ms))} |`,
    );
  }
  if (Object.keys(copiesOf).length > 0) {
    say('');
    const list = Object.entries(copiesOf).map(([f, k]) => `${LABEL[f]} ${k}`);
    say(
      `Rows of formats whose generated folder is under ${MIN_FORMAT_MB} MB measure copies of it side by side (${list.join(', ')}), so that the process's start is not most of what they time; the **all** row is the generated corpus as it is.`,
    );
  }
  say('');
  say('The floor of each fix (ms, medians): scan + (warm scan of the fixed tree - reading every file) + bare atomic writes.');
  say('');
  say('| format | scan | warm scan of the fixed tree | reading every file (in process) | bare atomic writes (files) | floor | fix |');
  say('|---|---:|---:|---:|---:|---:|---:|');
  for (const f of [...formats, 'all']) {
    const r = rows[f];
    say(
      `| ${LABEL[f]} | ${f0(r.scan.ms)} | ${f0(r.rescan.ms)} | ${f0(r.read.ms)} | ${f0(r.writes.ms)} (${f0(r.writes.files)}) | ${f0(r.floorMs)} | ${f0(r.fix.ms)} |`,
    );
  }
  say('');
  say(
    'Fix peak RSS as the tree grows (`kmsfix fix --yes`, diff printed to /dev/null; before it, `kmsfix fix --dry-run --format json` and `kmsfix fix --patch-dir DIR --format json` of the same tree, their reports to /dev/null; one run per size, a new process each):',
  );
  say('');
  say(
    `| corpus | files | MB | fix ms | tables fixed | peak RSS MB |${RSS_QUIET ? ' with --quiet: fix ms | peak RSS MB |' : ''} dry run, JSON: ms | peak RSS MB | --patch-dir, JSON: ms | peak RSS MB |`,
  );
  say(`|---|---:|---:|---:|---:|---:|${RSS_QUIET ? '---:|---:|' : ''}---:|---:|---:|---:|`);
  for (const r of rss)
    say(
      `| ${r.size}x | ${f0(r.files)} | ${mb(r.bytes)} | ${f0(r.ms)} | ${f0(r.fixed)} | ${f0(r.mb)} |${RSS_QUIET ? ` ${f0(r.quietMs)} | ${f0(r.quietMb)} |` : ''} ${f0(r.jsonMs)} | ${f0(r.jsonMb)} | ${f0(r.heldMs)} | ${f0(r.heldMb)} |`,
    );
  say('');
  for (const [rows, how] of [
    [latency, bare ? ', NODE_EXTRA_CA_CERTS as set' : ''],
    ...(latencyBare ? [[latencyBare, ', without NODE_EXTRA_CA_CERTS']] : []),
  ]) {
    say(`One-file latency (median of ${LATENCY_RUNS} interleaved runs, end to end through bin/kmsfix.cjs${how}):`);
    say('');
    say('| command | file | KB | median ms | min-max ms | / `node -e 0` |');
    say('|---|---|---:|---:|---:|---:|');
    for (const c of rows) {
      say(
        `| ${c.label} | ${c.file ? path.relative(dense, c.file) : ''} | ${c.file ? f1(readFileSync(c.file).length / 1024) : ''} | ${f0(c.ms)} | ${f0(c.min)}-${f0(c.max)} | ${f2(c.ms / rows[0].ms)}x |`,
      );
    }
    say('');
  }
  const cpuMs = (u) => (u ? (u.userCPUTime + u.systemCPUTime) / 1000 : NaN);
  say(
    `- dense scan: ${f1(mbps(all.size.bytes, all.scan.ms))} MB/s as run by default (CPU ${f0(cpuMs(all.scan.usage))} ms in ${f0(all.scan.ms)} ms, ${f0(all.scan.stolen)} ms stolen), ${f1(mbps(all.size.bytes, single.ms))} MB/s with workers off (KMSFIX_WORKERS=0)`,
  );
  say(
    `- dense fix: ${f0(all.fix.ms)} ms (CPU ${f0(cpuMs(all.fix.usage))} ms, ${f0(all.fix.stolen)} ms stolen), ${f2(all.fix.ms / all.scan.ms)}x the scan; floor ${f0(all.floorMs)} ms (${f2(all.floorMs / all.scan.ms)}x the scan), the fix ${f2(all.fix.ms / all.floorMs)}x its floor${singleFix ? `; with workers off: ${f0(singleFix.ms)} ms` : ''}`,
  );
  say(
    `- peak RSS of the dense runs: scans ${f0(Math.max(...Object.values(rows).map((r) => r.scan.peakKb)) / 1024)} MB, fixes with --quiet ${f0(
      Math.max(
        ...Object.values(rows)
          .filter((r) => r.fix)
          .map((r) => r.fix.peakKb),
      ) / 1024,
    )} MB`,
  );
  if (sparseRow) {
    const s = sparseRow;
    say(
      `- sparse tree: kmsfix scan ${f0(s.scan.ms)} ms (${f0(s.found.files)} files parsed, ${f0(s.found.tables)} tables); Node reads every file in ${f0(s.readAll.ms)} ms, ` +
        `every file outside the folders kmsfix skips in ${f0(s.readWalked.ms)} ms: ${f2(s.scan.ms / s.readWalked.ms)}x (earlier target: within 3x)`,
    );
  }
  say(`- load average at the end: ${load()}; CPU pressure ${psi()} (other processes on the machine slow every number down)`);
  const coreMs = (Date.now() - runStart.ms) * machine.cores;
  const stolen = stolenMs() - runStart.stolen;
  say(
    `- the host: a fixed CPU loop took ${f2(machine.probeStart)} ms at the start and ${f2(probe())} ms at the end (less is faster); the hypervisor took ${f0(stolen / 1000)} s of the ${f0(coreMs / 1000)} s of CPU time this run spanned (${f1((100 * stolen) / coreMs)}%, "steal")`,
  );
  say('');
  const scanFormats = Object.fromEntries(
    [...formats.flatMap((x) => (x === 'yaml' ? ['yaml', 'yaml/anchors'] : [x]))]
      .filter((f) => rows[f])
      .map((f) => [LABEL[f], mbps(rows[f].size.bytes, rows[f].scan.ms)]),
  );
  const checks = checkTargets({
    scanAll: mbps(all.size.bytes, all.scan.ms),
    scanFormats,
    fixOverFloor: all.fix.ms / all.floorMs,
    fixOverScan: all.fix.ms / all.scan.ms,
    rss: rss.map((r) => ({ size: r.size, mb: r.mb })),
    rssJson: rss.map((r) => ({ size: r.size, mb: r.jsonMb })),
    rssHeld: rss.map((r) => ({ size: r.size, mb: r.heldMb })),
    nodeMs,
    oneFile: Object.fromEntries(latency.filter((c) => c.file).map((c) => [c.label, c.ms])),
    ...(latencyBare
      ? { nodeBareMs: latencyBare[0].ms, oneFileBare: Object.fromEntries(latencyBare.filter((c) => c.file).map((c) => [c.label, c.ms])) }
      : {}),
  });
  say('Targets (issue 16):');
  for (const c of checks) say(`${c.ok === true ? 'MET    ' : c.ok === false ? 'MISSED ' : 'PARTIAL'} ${c.target}: ${c.value}`);
  say('-       verification keeps its strength: not a number; checked by the tests, not by the bench');

  if (JSON_OUT) {
    const strip = (r) => r && { ms: r.ms, all: r.all, peakKb: r.peakKb, cpuMs: cpuMs(r.usage) };
    const data = {
      shape: SHAPE,
      seed: SEED,
      scale: SCALE,
      runs: RUNS,
      minFormatMb: MIN_FORMAT_MB,
      formatCopies: copiesOf,
      machine: { ...machine, loadEnd: load(), psiEnd: psi() },
      rows: Object.fromEntries(
        Object.entries(rows).map(([f, r]) => [
          f,
          {
            size: r.size,
            found: r.found,
            fixed: r.fixed,
            grep: strip(r.grep),
            scan: strip(r.scan),
            fix: strip(r.fix),
            rescan: strip(r.rescan),
            read: strip(r.read),
            writes: r.writes && { ...strip(r.writes), files: r.writes.files },
            floorMs: r.floorMs,
          },
        ]),
      ),
      single: strip(single),
      singleFix: strip(singleFix),
      rss,
      latency: latency.map(({ label, file, ms, min, max }) => ({ label, file: file && path.relative(dense, file), ms, min, max })),
      latencyWithoutExtraCaCerts: latencyBare?.map(({ label, file, ms, min, max }) => ({
        label,
        file: file && path.relative(dense, file),
        ms,
        min,
        max,
      })),
      sparse: sparseRow && {
        size: sparseRow.size,
        found: sparseRow.found,
        scan: strip(sparseRow.scan),
        readAll: strip(sparseRow.readAll),
        readWalked: strip(sparseRow.readWalked),
      },
      targets: checks,
      limits: TARGETS,
    };
    writeFileSync(JSON_OUT, JSON.stringify(data, null, 2) + '\n');
  }
  if (!KEEP) rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
