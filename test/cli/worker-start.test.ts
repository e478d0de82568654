/**
 * The worker threads' start (src/engine/workerStart.ts): dist/bundle/worker.cjs run with V8's cached code, else
 * the ES modules of dist/bundle/worker.js. Whichever runs, a run prints the same and exits with the same code; the
 * cached code is written by the workers when the pool ends them (Pool.save), one file per kind of worker, named by
 * worker.cjs's content hash; it is loaded by the next run of its kind, written again when V8 rejects it or when a
 * run compiled more than it held, and a cache folder that cannot be written is no error.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../helpers/fixture-cases.js';
import { runCli } from '../helpers/cli-helper.js';

const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `kmsfix-wstart-${name}-`));
const BUNDLE = path.join(ROOT, 'dist', 'bundle');
const ES_MODULES = { KMSFIX_CJS: 'off' };
/** The size pool, one worker, whatever the tree's size (src/engine/pool.ts). */
const POOL = { KMSFIX_PARALLEL_MIN_BYTES: '0', KMSFIX_WORKERS: '1' };
/** The own worker (src/engine/run.ts ownWorkerFamily), and no pool beside it. */
const OWN = { KMSFIX_WORKERS: '1' };

/** worker.cjs's content hash, as scripts/bundle.mjs names its cached code. */
const workerHash = (bundle = BUNDLE) =>
  createHash('sha256')
    .update(readFileSync(path.join(bundle, 'worker.cjs')))
    .digest('hex')
    .slice(0, 16);
const cacheName = (kind: string, bundle = BUNDLE) => `worker-${workerHash(bundle)}-${kind}-node${process.version}-${process.arch}.v8cache`;

/**
 * A preload (in the CLI and in each worker thread) that says on stderr which script each worker starts, whether
 * worker.cjs was compiled with cached code (none, accepted, rejected), and each batch's answer a worker sends.
 */
const HOOK = path.join(tmp('hook'), 'hook.cjs');
writeFileSync(
  HOOK,
  `const vm = require('node:vm');
const wt = require('node:worker_threads');
const S = vm.Script;
vm.Script = class extends S {
  constructor(source, options) {
    super(source, options);
    if (options && typeof options.filename === 'string' && options.filename.endsWith('worker.cjs'))
      process._rawDebug('HOOK CODE ' + (options.cachedData ? (this.cachedDataRejected ? 'rejected' : 'accepted') : 'none'));
  }
};
const W = wt.Worker;
wt.Worker = class extends W { constructor(script, options) { process._rawDebug('HOOK WORKER ' + script); super(script, options); } };
if (!wt.isMainThread) {
  const post = wt.parentPort.postMessage.bind(wt.parentPort);
  wt.parentPort.postMessage = (m, ...rest) => { if (m && m.id !== undefined) process._rawDebug('HOOK ANSWER ' + m.id); return post(m, ...rest); };
}
`,
);

type Run = { code: number; stdout: string; stderr: string };
interface Hooked {
  /** The run, the hook's lines left out. */
  r: Run;
  /** The scripts its workers started. */
  workers: string[];
  /** How worker.cjs was compiled, once per worker that ran it. */
  code: string[];
  /** The batches answered, by id. */
  answers: string[];
}

function hooked(r: Run): Hooked {
  const lines = r.stderr.split('\n');
  const of = (tag: string) => lines.filter((l) => l.startsWith(`HOOK ${tag} `)).map((l) => l.slice(`HOOK ${tag} `.length));
  const stderr = lines.filter((l) => !l.startsWith('HOOK ')).join('\n');
  return { r: { ...r, stderr }, workers: of('WORKER'), code: of('CODE'), answers: of('ANSWER') };
}

const run = async (args: string[], cwd: string, env: Record<string, string>): Promise<Hooked> =>
  hooked(await runCli(args, cwd, undefined, { NODE_OPTIONS: `--require ${HOOK}`, ...env }));

/** Another copy of the package's start than ROOT's, run as runCli runs the package's. */
function runBin(bin: string, args: string[], cwd: string, env: Record<string, string>): Promise<Hooked> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--require ${HOOK}`, ...env } },
      (err, stdout, stderr) => resolve(hooked({ code: err ? Number(err.code) : 0, stdout, stderr })),
    );
  });
}

/** The worker's cached code files in `dir`. */
function workerCode(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.startsWith('worker-'))
      .sort();
  } catch {
    return [];
  }
}

/**
 * A tree of `n` copies of each fixture input given, in that order, each in a folder of its own: a scan's folder
 * first read before the pool started stays in this thread (src/engine/schedule.ts), so the pool's worker gets
 * the folders read after the first PARALLEL_MIN_FILES files.
 */
function tree(inputs: Record<string, number>): string {
  const dir = tmp('tree');
  for (const [k, [input, n]] of Object.entries(inputs).entries())
    for (let i = 0; i < n; i++)
      cpSync(path.join(FIXTURES, input), path.join(dir, `${k}-${String(i).padStart(3, '0')}`, path.basename(input)));
  return dir;
}

const YAML = 'cloudformation/yaml-no-sse/input.yaml';
const CDK = 'typescript/cdk-tablev2/input.ts';
const TF = 'terraform/no-sse-block/input.tf';

/** Each batch answered once. */
function once(h: Hooked): void {
  expect(h.answers.length).toBeGreaterThan(0);
  expect(new Set(h.answers).size).toBe(h.answers.length);
}

describe("the worker threads run worker.cjs from cached code, else worker.js's ES modules", () => {
  for (const { lane, env, inputs } of [
    { lane: 'pool', env: POOL, inputs: { [YAML]: 100 } },
    { lane: 'own', env: OWN, inputs: { [CDK]: 50, [YAML]: 50 } },
  ]) {
    it(`the ${lane} worker: the first run of each pass writes its kind's file, the next loads it; the ES modules' output each time`, async () => {
      const dir = tree(inputs);
      const cache = tmp('cache');
      for (const [pass, args] of [
        ['scan', ['scan', '.']],
        ['fix', ['fix', '--dry-run', '--format', 'json', '.']],
      ] as const) {
        const reference = await run([...args], dir, { ...ES_MODULES, ...env, KMSFIX_CACHE_DIR: tmp('none') });
        expect(reference.workers).toEqual([path.join(BUNDLE, 'worker-start.cjs')]);
        expect(reference.code).toEqual([]);
        once(reference);
        const before = workerCode(cache);
        const cold = await run([...args], dir, { ...env, KMSFIX_CACHE_DIR: cache });
        expect(cold.r, `${pass}, cold`).toEqual(reference.r);
        expect(cold.code).toEqual(['none']);
        once(cold);
        const name = cacheName(`${lane}-${pass}`);
        expect(workerCode(cache)).toEqual([...before, name].sort());
        const bytes = readFileSync(path.join(cache, name));
        const warm = await run([...args], dir, { ...env, KMSFIX_CACHE_DIR: cache });
        expect(warm.r, `${pass}, warm`).toEqual(reference.r);
        expect(warm.code).toEqual(['accepted']);
        once(warm);
        // Accepted, and nothing more compiled: not written again.
        expect(readFileSync(path.join(cache, name)).equals(bytes)).toBe(true);
      }
    });
  }

  it("a run that compiled more than its kind's file held (another format's code) writes it again, larger", async () => {
    const cache = tmp('cache');
    const yaml = tree({ [YAML]: 80 });
    await run(['scan', '.'], yaml, { ...POOL, KMSFIX_CACHE_DIR: cache });
    const name = cacheName('pool-scan');
    expect(workerCode(cache)).toEqual([name]);
    const small = readFileSync(path.join(cache, name));
    const both = tree({ [YAML]: 60, [TF]: 60 });
    const reference = await run(['scan', '--format', 'json', '.'], both, { ...ES_MODULES, ...POOL, KMSFIX_CACHE_DIR: tmp('none') });
    const grown = await run(['scan', '--format', 'json', '.'], both, { ...POOL, KMSFIX_CACHE_DIR: cache });
    expect(grown.r).toEqual(reference.r);
    expect(grown.code).toEqual(['accepted']);
    const larger = readFileSync(path.join(cache, name));
    expect(larger.length).toBeGreaterThan(small.length + (small.length >> 5));
    const again = await run(['scan', '--format', 'json', '.'], both, { ...POOL, KMSFIX_CACHE_DIR: cache });
    expect(again.r).toEqual(reference.r);
    expect(again.code).toEqual(['accepted']);
  });

  it("the file's name is worker.cjs's content hash (a new worker.cjs, a new name); other builds' files are left alone", async () => {
    expect(readFileSync(path.join(BUNDLE, 'worker-start.cjs'), 'utf8')).toContain(JSON.stringify(workerHash()));
    const dir = tree({ [YAML]: 80 });
    const cache = tmp('cache');
    const stale = `worker-0000000000000000-pool-scan-node${process.version}-${process.arch}.v8cache`;
    writeFileSync(path.join(cache, stale), 'from an older kmsfix');
    const reference = await run(['scan', '.'], dir, { ...ES_MODULES, ...POOL, KMSFIX_CACHE_DIR: tmp('none') });
    expect((await run(['scan', '.'], dir, { ...POOL, KMSFIX_CACHE_DIR: cache })).r).toEqual(reference.r);
    expect(workerCode(cache)).toEqual([stale, cacheName('pool-scan')].sort());
    expect(readFileSync(path.join(cache, stale), 'utf8')).toBe('from an older kmsfix');
  });

  it('cached code that cannot be used (other code, not V8 code, empty, cut short) is ignored and written again', async () => {
    const dir = tree({ [YAML]: 80 });
    const cache = tmp('cache');
    const reference = await run(['scan', '.'], dir, { ...ES_MODULES, ...POOL, KMSFIX_CACHE_DIR: tmp('none') });
    await run(['scan', '.'], dir, { ...POOL, KMSFIX_CACHE_DIR: cache });
    const file = path.join(cache, cacheName('pool-scan'));
    const good = readFileSync(file);
    const other = new vm.Script('(function other() { return 42; })').createCachedData();
    for (const planted of [other, Buffer.from('not V8 code'), Buffer.alloc(0), good.subarray(0, good.length >> 1)]) {
      writeFileSync(file, planted);
      const got = await run(['scan', '.'], dir, { ...POOL, KMSFIX_CACHE_DIR: cache });
      expect(got.r).toEqual(reference.r);
      // Its seal (a CRC-32, codeCache.ts) does not match: V8 is given nothing, as when there is no file.
      expect(got.code).toEqual(['none']);
      once(got);
      const now = readFileSync(file);
      expect(now.equals(planted)).toBe(false);
      expect(now.length).toBeGreaterThan(good.length / 2);
    }
    expect((await run(['scan', '.'], dir, { ...POOL, KMSFIX_CACHE_DIR: cache })).code).toEqual(['accepted']);
  });

  it("runs at once on one cache folder: each gives the ES modules' output, and the file left is whole", async () => {
    const dir = tree({ [YAML]: 80 });
    const cache = tmp('cache');
    const reference = await run(['scan', '.'], dir, { ...ES_MODULES, ...POOL, KMSFIX_CACHE_DIR: tmp('none') });
    const runs = await Promise.all([1, 2, 3].map(() => run(['scan', '.'], dir, { ...POOL, KMSFIX_CACHE_DIR: cache })));
    for (const got of runs) {
      expect(got.r).toEqual(reference.r);
      once(got);
    }
    // One file (no temp file left), which the next run accepts.
    expect(readdirSync(cache).filter((f) => !f.startsWith('cli-'))).toEqual([cacheName('pool-scan')]);
    expect((await run(['scan', '.'], dir, { ...POOL, KMSFIX_CACHE_DIR: cache })).code).toEqual(['accepted']);
  });

  it('the ES modules run, and nothing is written: KMSFIX_CJS=off, KMSFIX_CACHE_DIR=off, a read-only cache folder', async () => {
    const dir = tree({ [YAML]: 80 });
    const reference = await run(['scan', '.'], dir, { ...ES_MODULES, ...POOL, KMSFIX_CACHE_DIR: tmp('none') });
    const cache = tmp('cache');
    const off = await run(['scan', '.'], dir, { ...ES_MODULES, ...POOL, KMSFIX_CACHE_DIR: cache });
    expect(off.r).toEqual(reference.r);
    expect(workerCode(cache)).toEqual([]);
    const home = tmp('home');
    const none = await run(['scan', '.'], dir, { ...POOL, KMSFIX_CACHE_DIR: 'off', HOME: home, XDG_CACHE_HOME: '' });
    expect(none.r).toEqual(reference.r);
    expect(none.code).toEqual([]);
    expect(readdirSync(home)).toEqual([]);
    // root writes in a read-only folder anyway.
    if (process.getuid?.() === 0) return;
    const readOnly = tmp('cache');
    chmodSync(readOnly, 0o555);
    try {
      const got = await run(['scan', '.'], dir, { ...POOL, KMSFIX_CACHE_DIR: readOnly });
      expect(got.r).toEqual(reference.r);
      expect(got.code).toEqual([]);
      expect(workerCode(readOnly)).toEqual([]);
    } finally {
      chmodSync(readOnly, 0o755);
    }
  });

  it('a worker.cjs that fails to load, before or after its listener is added: the ES modules take over, each batch done once', async () => {
    const dir = tree({ [YAML]: 80 });
    const reference = await run(['scan', '.'], dir, { ...ES_MODULES, ...POOL, KMSFIX_CACHE_DIR: tmp('none') });
    for (const where of ['top', 'end']) {
      // A copy of the package whose dist/bundle/worker.cjs throws as it loads.
      const pkg = tmp('package');
      cpSync(path.join(ROOT, 'bin'), path.join(pkg, 'bin'), { recursive: true });
      cpSync(BUNDLE, path.join(pkg, 'dist', 'bundle'), { recursive: true });
      cpSync(path.join(ROOT, 'dist', 'ts-parser'), path.join(pkg, 'dist', 'ts-parser'), { recursive: true });
      cpSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'));
      const worker = path.join(pkg, 'dist', 'bundle', 'worker.cjs');
      const text = readFileSync(worker, 'utf8');
      const broken = "throw new Error('a broken build');\n";
      writeFileSync(worker, where === 'top' ? broken + text : `${text}\n${broken}`);
      const cache = tmp('cache');
      const got = await runBin(path.join(pkg, 'bin', 'kmsfix.cjs'), ['scan', '.'], dir, { ...POOL, KMSFIX_CACHE_DIR: cache });
      expect(got.r, where).toEqual(reference.r);
      expect(got.workers).toEqual([path.join(pkg, 'dist', 'bundle', 'worker-start.cjs')]);
      expect(got.code).toEqual(['none']);
      once(got);
      expect(workerCode(cache)).toEqual([]);
    }
  });
});
