/**
 * The CLI's start (src/cli/start.ts): its CommonJS build run with V8's cached code, else its ES modules.
 * Whichever runs, a run prints the same and exits with the same code; the cached code is written after
 * a scan or fix of a few files (a tree's: of any size), replaced when V8 rejects it, and a cache folder
 * that cannot be written is no error.
 */
import { execFile } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../helpers/fixture-cases.js';
import { BIN, runCli, snapshot } from '../helpers/cli-helper.js';

const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `kmsfix-start-${name}-`));
const ES_MODULES = { KMSFIX_CJS: 'off' };
const CACHED_CODE = /^cli-[0-9a-f]{16}-[a-z0-9]+-node(v\d+\.\d+\.\d+)-\w+\.v8cache$/;

/** The CLI's cached code files in `dir` (none when it does not exist). */
function cachedCode(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.startsWith('cli-'));
  } catch {
    return [];
  }
}

type Run = { code: number; stdout: string; stderr: string };
const run = (args: string[], env: Record<string, string>, cwd = FIXTURES): Promise<Run> => runCli(args, cwd, undefined, env);

/** Run another start of the CLI than BIN, as runCli runs BIN. */
function runBin(bin: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: FIXTURES, env: { ...process.env, NO_COLOR: '1', ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

/** Commands of every kind: exit 0, 1 and 2, text and JSON, each format's parser, a diff, a usage error. */
const COMMANDS: { name: string; args: string[]; runs: boolean }[] = [
  { name: '--version', args: ['--version'], runs: false },
  { name: 'help', args: ['help'], runs: false },
  { name: 'a usage error', args: ['scan', '--nonsense'], runs: false },
  { name: 'a scan of the demo', args: ['scan', 'demo'], runs: true },
  { name: 'a JSON scan of Terraform', args: ['scan', '--format', 'json', 'terraform/no-sse-block/input.tf'], runs: true },
  { name: 'a fix --dry-run of TypeScript', args: ['fix', '--dry-run', 'typescript/cdk-tablev2/input.ts'], runs: true },
];

describe('the CLI runs the same from its CommonJS build and from its ES modules', () => {
  for (const c of COMMANDS) {
    it(`${c.name}: cache cold, warm, off, and the ES modules`, async () => {
      const reference = await run(c.args, ES_MODULES);
      expect(reference.code).toBeGreaterThanOrEqual(0);
      const cache = tmp('cache');
      expect(await run(c.args, { KMSFIX_CACHE_DIR: cache }), 'cold').toEqual(reference);
      const written = cachedCode(cache);
      // Written after a scan or fix only: the code `--version` runs is too little to keep.
      expect(written).toHaveLength(c.runs ? 1 : 0);
      if (c.runs) {
        expect(written[0]).toMatch(CACHED_CODE);
        expect(written[0].match(CACHED_CODE)![1]).toBe(process.version);
        const bytes = readFileSync(path.join(cache, written[0]));
        expect(await run(c.args, { KMSFIX_CACHE_DIR: cache }), 'warm').toEqual(reference);
        // Accepted, so not written again.
        expect(readFileSync(path.join(cache, written[0])).equals(bytes)).toBe(true);
      }
      expect(await run(c.args, { KMSFIX_CACHE_DIR: 'off' }), 'caching off').toEqual(reference);
      expect(await run(c.args, { ...ES_MODULES, KMSFIX_CACHE_DIR: tmp('none') }), 'ES modules').toEqual(reference);
    });
  }

  it('a fix in place writes the same bytes', async () => {
    const fixed = async (env: Record<string, string>) => {
      const dir = tmp('fix');
      cpSync(path.join(FIXTURES, 'demo'), dir, { recursive: true });
      const r = await run(['fix', '--yes', '.'], env, dir);
      return { r, files: snapshot(dir) };
    };
    const reference = await fixed(ES_MODULES);
    expect(reference.r.code).toBe(0);
    const cache = tmp('cache');
    for (const label of ['cold', 'warm']) {
      const got = await fixed({ KMSFIX_CACHE_DIR: cache });
      expect(got.r, label).toEqual(reference.r);
      expect(got.files, label).toEqual(reference.files);
    }
    expect(cachedCode(cache)).toHaveLength(1);
  });

  it("a tree's run writes the tree kind's cached code whatever its size, a large one again when it compiled more; many files of one kind write none", async () => {
    // The demo and 33 empty files: more than a light run's 32 (src/engine/run.ts lightRun).
    const tree = tmp('tree');
    cpSync(path.join(FIXTURES, 'demo'), tree, { recursive: true });
    const empty: string[] = [];
    for (let i = 0; i < 33; i++) {
      empty.push(`empty-${i}.tf`);
      writeFileSync(path.join(tree, empty[i]), '');
    }
    const cache = tmp('cache');
    const reference = await run(['scan', '.'], ES_MODULES, tree);
    expect(reference.code).toBe(1);
    // A run that finds no file to read: nothing of any format's to keep.
    mkdirSync(path.join(tree, 'docs'));
    writeFileSync(path.join(tree, 'docs', 'notes.md'), 'AWS::DynamoDB::Table\n');
    await run(['scan', 'docs'], { KMSFIX_CACHE_DIR: cache }, tree);
    expect(cachedCode(cache)).toEqual([]);
    // 33 files named one by one (the `tf` kind, loaded by one-file runs): more code than those compile, none written.
    const many = await run(['scan', ...empty], ES_MODULES, tree);
    expect(await run(['scan', ...empty], { KMSFIX_CACHE_DIR: cache }, tree)).toEqual(many);
    expect(cachedCode(cache)).toEqual([]);
    // The tree's first run writes the tree kind's file; the next loads it (accepted: not written again), same results.
    expect(await run(['scan', '.'], { KMSFIX_CACHE_DIR: cache }, tree), 'cold').toEqual(reference);
    const [name] = cachedCode(cache);
    expect(name).toMatch(CACHED_CODE);
    expect(name).toContain('-tree-node');
    const bytes = readFileSync(path.join(cache, name));
    expect(await run(['scan', '.'], { KMSFIX_CACHE_DIR: cache }, tree), 'warm').toEqual(reference);
    expect(cachedCode(cache)).toEqual([name]);
    expect(readFileSync(path.join(cache, name)).equals(bytes)).toBe(true);
    // A large tree of another format (CDK) loads it and compiles what it lacks: the file is written again, larger,
    // and the run after loads that, with the same results each time.
    const cdk = tmp('cdk');
    cpSync(path.join(FIXTURES, 'typescript', 'cdk-tablev2', 'input.ts'), path.join(cdk, 'stack.ts'));
    for (const e of empty) writeFileSync(path.join(cdk, e), '');
    const cdkReference = await run(['scan', '.'], ES_MODULES, cdk);
    expect(cdkReference.stdout).toContain('stack.ts:');
    expect(await run(['scan', '.'], { KMSFIX_CACHE_DIR: cache }, cdk), 'grown').toEqual(cdkReference);
    expect(cachedCode(cache)).toEqual([name]);
    const grown = readFileSync(path.join(cache, name));
    expect(grown.length).toBeGreaterThan(bytes.length);
    expect(await run(['scan', '.'], { KMSFIX_CACHE_DIR: cache }, cdk), 'grown, warm').toEqual(cdkReference);
    expect(await run(['scan', '.'], { KMSFIX_CACHE_DIR: cache }, tree), 'grown, the first tree').toEqual(reference);
  });

  it("each kind of run loads its own kind's cached code (src/cli/codeVariant.ts); a run naming no path, any", async () => {
    const cache = tmp('cache');
    const tf = ['scan', 'terraform/no-sse-block/input.tf'];
    const json = ['scan', 'cloudformation/json-2space/input.json'];
    const references = [await run(tf, ES_MODULES), await run(json, ES_MODULES), await run(['--version'], ES_MODULES)];
    // A scan of a Terraform file writes the Terraform kind's file, which then holds no CloudFormation code.
    expect(await run(tf, { KMSFIX_CACHE_DIR: cache })).toEqual(references[0]);
    const [tfName] = cachedCode(cache);
    expect(tfName).toMatch(CACHED_CODE);
    expect(tfName).toContain('-tf-node');
    const tfBytes = readFileSync(path.join(cache, tfName));
    // A scan of a JSON template loads none of it: it writes its own, and leaves the Terraform one as it was.
    expect(await run(json, { KMSFIX_CACHE_DIR: cache })).toEqual(references[1]);
    const names = cachedCode(cache);
    expect(names).toHaveLength(2);
    const jsonName = names.find((n) => n !== tfName)!;
    expect(jsonName).toMatch(CACHED_CODE);
    expect(jsonName).toContain('-json-node');
    expect(readFileSync(path.join(cache, tfName)).equals(tfBytes)).toBe(true);
    const jsonBytes = readFileSync(path.join(cache, jsonName));
    // Warm, each loads its own (accepted: neither written again); `--version` loads one of them and writes none.
    expect(await run(tf, { KMSFIX_CACHE_DIR: cache })).toEqual(references[0]);
    expect(await run(json, { KMSFIX_CACHE_DIR: cache })).toEqual(references[1]);
    expect(await run(['--version'], { KMSFIX_CACHE_DIR: cache })).toEqual(references[2]);
    expect(cachedCode(cache).sort()).toEqual([tfName, jsonName].sort());
    expect(readFileSync(path.join(cache, tfName)).equals(tfBytes)).toBe(true);
    expect(readFileSync(path.join(cache, jsonName)).equals(jsonBytes)).toBe(true);
  });

  it("its worker threads run the worker's start, dist/bundle/worker-start.cjs, found beside cli.cjs (test/cli/worker-start.test.ts)", async () => {
    const dir = tmp('hook');
    const hook = path.join(dir, 'worker-hook.cjs');
    writeFileSync(
      hook,
      `const wt = require('node:worker_threads');
const W = wt.Worker;
wt.Worker = class extends W { constructor(script, options) { process._rawDebug('WORKER ' + script); super(script, options); } };
`,
    );
    // Enough files for the pool (PARALLEL_MIN_FILES), whatever their size.
    const tree = tmp('tree');
    for (let i = 0; i < 60; i++) cpSync(path.join(FIXTURES, 'cloudformation', 'yaml-no-sse', 'input.yaml'), path.join(tree, `t${i}.yaml`));
    const cache = tmp('cache');
    const env = { KMSFIX_CACHE_DIR: cache, KMSFIX_PARALLEL_MIN_BYTES: '0', KMSFIX_WORKERS: '1', NODE_OPTIONS: `--require ${hook}` };
    const reference = await run(['scan', '.'], ES_MODULES, tree);
    for (const label of ['cold', 'warm']) {
      // Warm: with the cached code a run of a few files wrote (a tree's run writes none).
      if (label === 'warm') await run(['scan', 'demo'], { KMSFIX_CACHE_DIR: cache });
      expect(cachedCode(cache)).toHaveLength(label === 'warm' ? 1 : 0);
      const r = await run(['scan', '.'], env, tree);
      expect(r.stderr, label).toContain(`WORKER ${path.join(ROOT, 'dist', 'bundle', 'worker-start.cjs')}`);
      expect(r.stdout, label).toBe(reference.stdout);
    }
  });

  it('bin/kmsfix.js (an ES module) starts the same way as the package bin, bin/kmsfix.cjs', async () => {
    expect(BIN.endsWith(path.join('bin', 'kmsfix.cjs'))).toBe(true);
    const cache = tmp('cache');
    const viaJs = await runBin(path.join(ROOT, 'bin', 'kmsfix.js'), ['scan', 'demo'], { KMSFIX_CACHE_DIR: cache });
    expect(viaJs).toEqual(await run(['scan', 'demo'], ES_MODULES));
    expect(cachedCode(cache)).toHaveLength(1);
  });
});

describe('the CommonJS build runs on every Node 20', () => {
  const file = path.join(ROOT, 'dist', 'bundle', 'cli.cjs');
  const code = readFileSync(file, 'utf8');

  it('has no import(): vm.Script runs one only with importModuleDynamically (Node 20.12 and later)', () => {
    const lines = code.split('\n').filter((l) => !/^\s*\/\//.test(l));
    expect(lines.filter((l) => /(^|[^\w$.])import\s*\(/.test(l))).toEqual([]);
  });

  it('requires no ES-only package (require() of an ES module needs Node 20.19): those are bundled in', () => {
    const required = new Set(
      [...code.matchAll(/\b(?:lazyRequire|require)\("([^"]+)"\)/g)].map((m) => m[1]).filter((id) => !id.startsWith('node:')),
    );
    expect([...required]).toEqual(expect.arrayContaining(['yaml', 'web-tree-sitter']));
    expect(required.has('magic-string')).toBe(false);
    const req = createRequire(file);
    for (const id of required) {
      const entry = req.resolve(id);
      // A .cjs file, or a .js one in a package that is not "type": "module".
      expect(entry.endsWith('.cjs') || (entry.endsWith('.js') && packageType(entry) !== 'module'), `${id}: ${entry}`).toBe(true);
    }
  });
});

/** The "type" of the package.json nearest to `file`. */
function packageType(file: string): string | undefined {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { type?: string }).type;
    } catch {
      // No package.json here: climb.
    }
  }
  return undefined;
}

describe('cached code that cannot be used, a cache folder that cannot be written', () => {
  const args = ['scan', 'demo'];

  it("cached code of other code under the CLI's name is rejected and replaced, not an error", async () => {
    const reference = await run(args, ES_MODULES);
    const cache = tmp('cache');
    await run(args, { KMSFIX_CACHE_DIR: cache });
    const [name] = cachedCode(cache);
    const file = path.join(cache, name);
    const good = readFileSync(file);
    const other = new vm.Script('(function other() { return 42; })').createCachedData();
    for (const planted of [other, Buffer.from('not V8 code'), Buffer.alloc(0)]) {
      writeFileSync(file, planted);
      expect(await run(args, { KMSFIX_CACHE_DIR: cache })).toEqual(reference);
      const now = readFileSync(file);
      expect(now.equals(planted)).toBe(false);
      expect(now.length).toBeGreaterThan(good.length / 2);
    }
  });

  it('cached code with bytes changed in its body (a bad disk block) is not run: the same run, the file replaced', async () => {
    const reference = await run(args, ES_MODULES);
    const cache = tmp('cache');
    await run(args, { KMSFIX_CACHE_DIR: cache });
    const [name] = cachedCode(cache);
    const file = path.join(cache, name);
    const good = readFileSync(file);
    // V8 checks a header, the source's length and the flags, not the code: before session 65 these ran and
    // crashed the process (SIGTRAP, SIGSEGV), and every run after it.
    for (const at of [100, 1000, Math.floor(good.length / 4), Math.floor(good.length / 2)]) {
      const bad = Buffer.from(good);
      for (let i = at; i < at + 64; i++) bad[i] ^= 0x5a;
      writeFileSync(file, bad);
      expect(await run(args, { KMSFIX_CACHE_DIR: cache }), `bytes ${at}-${at + 63}`).toEqual(reference);
      expect(readFileSync(file).equals(bad), `bytes ${at}-${at + 63} replaced`).toBe(false);
    }
  });

  it('a cache file that cannot be replaced (a folder under its name) leaves no temp file', async () => {
    const reference = await run(args, ES_MODULES);
    const cache = tmp('cache');
    await run(args, { KMSFIX_CACHE_DIR: cache });
    const [name] = cachedCode(cache);
    rmSync(path.join(cache, name));
    mkdirSync(path.join(cache, name));
    expect(await run(args, { KMSFIX_CACHE_DIR: cache })).toEqual(reference);
    expect(readdirSync(cache)).toEqual([name]);
  });

  it("another build's cached code (another name) is left alone", async () => {
    const reference = await run(args, ES_MODULES);
    const cache = tmp('cache');
    const stale = `cli-0000000000000000-tree-node${process.version}-${process.arch}.v8cache`;
    writeFileSync(path.join(cache, stale), 'from an older kmsfix');
    expect(await run(args, { KMSFIX_CACHE_DIR: cache })).toEqual(reference);
    const names = cachedCode(cache);
    expect(names).toHaveLength(2);
    expect(names.find((n) => n !== stale)).toMatch(CACHED_CODE);
    expect(readFileSync(path.join(cache, stale), 'utf8')).toBe('from an older kmsfix');
  });

  it('a cache folder that cannot be made (below a file) or is read-only: the same run, nothing written', async () => {
    const reference = await run(args, ES_MODULES);
    const file = path.join(tmp('file'), 'a-file');
    writeFileSync(file, '');
    expect(await run(args, { KMSFIX_CACHE_DIR: path.join(file, 'cache') })).toEqual(reference);

    // Read-only, with cached code in it (written before), and empty.
    const warm = tmp('cache');
    await run(args, { KMSFIX_CACHE_DIR: warm });
    const empty = tmp('cache');
    for (const dir of [warm, empty]) chmodSync(dir, 0o555);
    try {
      expect(await run(args, { KMSFIX_CACHE_DIR: warm })).toEqual(reference);
      expect(cachedCode(warm)).toHaveLength(1);
      expect(await run(args, { KMSFIX_CACHE_DIR: empty })).toEqual(reference);
      // root writes in a read-only folder anyway.
      if (process.getuid?.() !== 0) expect(cachedCode(empty)).toEqual([]);
    } finally {
      for (const dir of [warm, empty]) chmodSync(dir, 0o755);
    }
  });

  it.skipIf(!existsSync('/proc/self'))(
    'a cache folder where mkdir says ENOENT below a folder that exists (/proc): the same run, no hang',
    async () => {
      // Node 20's mkdirSync(..., { recursive: true }) loops for ever there (ENOENT, then EEXIST for the parent, again):
      // before session 65 a run with HOME=/proc/self (or the cache folder under /proc) never ended.
      const reference = await run(args, ES_MODULES);
      const envs: Record<string, string>[] = [
        { KMSFIX_CACHE_DIR: '/proc/self/kmsfix-cache' },
        { KMSFIX_CACHE_DIR: '', XDG_CACHE_HOME: '', HOME: '/proc/self' },
      ];
      for (const env of envs) expect(await run(args, env), JSON.stringify(env)).toEqual(reference);
    },
    60_000,
  );

  it('KMSFIX_CJS=off and KMSFIX_CACHE_DIR=off write no cached code', async () => {
    const cache = tmp('cache');
    await run(args, { ...ES_MODULES, KMSFIX_CACHE_DIR: cache });
    expect(cachedCode(cache)).toEqual([]);
    const home = tmp('home');
    await run(args, { KMSFIX_CACHE_DIR: 'off', HOME: home, XDG_CACHE_HOME: path.join(home, 'xdg') });
    expect(readdirSync(home)).toEqual([]);
  });

  it('the cache folder is found as src/io/cache.ts says: $XDG_CACHE_HOME/kmsfix, else ~/.cache/kmsfix', async () => {
    const home = tmp('home');
    const env = { KMSFIX_CACHE_DIR: '', HOME: home, XDG_CACHE_HOME: '' };
    await run(args, env);
    expect(cachedCode(path.join(home, '.cache', 'kmsfix'))).toHaveLength(1);
    await run(args, { ...env, XDG_CACHE_HOME: path.join(home, 'xdg') });
    expect(cachedCode(path.join(home, 'xdg', 'kmsfix'))).toHaveLength(1);
  });

  it('a CommonJS build that fails to load: the ES modules run, once', async () => {
    // A copy of the package whose dist/bundle/cli.cjs throws as it loads.
    const pkg = tmp('package');
    cpSync(path.join(ROOT, 'bin'), path.join(pkg, 'bin'), { recursive: true });
    cpSync(path.join(ROOT, 'dist', 'bundle'), path.join(pkg, 'dist', 'bundle'), { recursive: true });
    cpSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'));
    const cli = path.join(pkg, 'dist', 'bundle', 'cli.cjs');
    writeFileSync(cli, `process.stdout.write('CJS RAN\\n');\n${readFileSync(cli, 'utf8')}\nthrow new Error('a broken build');\n`);
    const cache = tmp('cache');
    for (const a of [args, ['--version']]) {
      const reference = await run(a, ES_MODULES);
      const got = await runBin(path.join(pkg, 'bin', 'kmsfix.cjs'), a, { KMSFIX_CACHE_DIR: cache });
      // The CommonJS file's top level ran (and printed), main() ran once, from the ES modules.
      expect(got.stdout.startsWith('CJS RAN\n')).toBe(true);
      expect({ ...got, stdout: got.stdout.slice('CJS RAN\n'.length) }).toEqual(reference);
    }
    expect(cachedCode(cache)).toEqual([]);
  });
});
