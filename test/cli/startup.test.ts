/**
 * What a one-file scan loads (its latency is a target, issue 16): no code and no Node module it does
 * not use. A Terraform file's scan loads neither the fix's code nor, when no table reads a variable,
 * the evaluation of module inputs; and nothing of a fix (crypto for temp names and locks,
 * child_process for git), nor a CommonJS package through the ES module loader's export analysis. With its
 * cached code (src/cli/start.ts), the CLI's CommonJS build runs without Node's ES module loader.
 */
import { spawnSync } from 'node:child_process';
import { isAscii } from 'node:buffer';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../helpers/fixture-cases.js';
import { BIN } from '../helpers/cli-helper.js';

/**
 * The bundle chunks (by their sources) a run of the CLI's ES modules loads (KMSFIX_CJS=off: the same
 * code as its CommonJS build, in the chunks the worker threads and the fallback load).
 */
function esmSources(args: string[]): { sources: string[]; stdout: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-startup-'));
  const hooks = path.join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `export async function load(url, context, next) {
  const r = await next(url, context);
  if (url.includes('/dist/bundle/') && r.source) for (const m of String(r.source).matchAll(/^\\/\\/ (src\\/\\S+)/gm)) process._rawDebug('SOURCE ' + m[1]);
  return r;
}
`,
  );
  const register = path.join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(new URL(`file://${hooks}`).href)});\n`);
  const r = spawnSync(process.execPath, ['--import', register, BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', KMSFIX_CJS: 'off' },
  });
  const lines = r.stderr.split('\n');
  return { sources: lines.filter((l) => l.startsWith('SOURCE ')).map((l) => l.slice(7)), stdout: r.stdout };
}

/** The Node built-in modules a run of the built CLI loads, with `env` (its CommonJS build unless KMSFIX_CJS=off). */
function builtins(args: string[], env: Record<string, string>): { builtins: string[]; stdout: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-startup-'));
  const atExit = path.join(dir, 'at-exit.cjs');
  writeFileSync(
    atExit,
    "process.on('exit', () => process._rawDebug('BUILTINS ' + process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join(' ')));\n",
  );
  const r = spawnSync(process.execPath, ['--require', atExit, BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { builtins: (r.stderr.split('\n').find((l) => l.startsWith('BUILTINS ')) ?? '').split(' ').slice(1), stdout: r.stdout };
}

describe('a one-file scan loads only what it uses', () => {
  const tf = path.join(FIXTURES, 'terraform', 'no-sse-block', 'input.tf');

  it('a Terraform file: no fix code (nor magic-string), no input evaluation', () => {
    const run = esmSources(['scan', tf]);
    expect(run.stdout).toContain('aws_dynamodb_table');
    expect(run.sources).toContain('src/formats/terraform/detect.ts');
    for (const unused of [
      'src/formats/terraform/fix.ts',
      'src/formats/terraform/inputs.ts',
      'src/formats/terraform/moduleScope.ts',
      'src/formats/terraform/evaluate.ts',
      'src/core/apply.ts',
    ])
      expect(run.sources).not.toContain(unused);
  });

  it('a table whose key reads a variable loads the evaluation', () => {
    const run = esmSources(['scan', path.join(FIXTURES, 'terraform', 'variables-root', 'input')]);
    expect(run.sources).toContain('src/formats/terraform/evaluate.ts');
  });

  // A light run turns TurboFan off through node:v8's binding, not node:v8 itself, which requires Node's heap
  // utilities and all of its streams (src/core/tiering.ts; failed before the sixty-fifth session: v8 and stream loaded).
  it('no crypto, child_process, stdin (fs/promises, readline) or CommonJS export analysis, from the CommonJS build or the ES modules', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'kmsfix-startup-cache-'));
    builtins(['scan', tf], { KMSFIX_CACHE_DIR: cache }); // writes the cached code
    for (const env of [{ KMSFIX_CACHE_DIR: cache }, { KMSFIX_CJS: 'off' }] as Record<string, string>[]) {
      const run = builtins(['scan', tf], env);
      expect(run.stdout).toContain('aws_dynamodb_table');
      for (const unused of ['crypto', 'child_process', 'internal/deps/cjs-module-lexer/lexer', 'v8'])
        expect(run.builtins, unused).not.toContain(unused);
      // stdin's stream is never made (isatty instead), and with it fs/promises; Node's ES module loader loads that itself.
      if (env.KMSFIX_CJS !== 'off')
        for (const unused of ['internal/fs/promises', 'stream']) expect(run.builtins, unused).not.toContain(unused);
    }
  });

  // node:tty requires net (and its sockets' bindings): a run whose stdout and stderr are pipes or files
  // asks fstat first (src/io/terminal.ts), and loads neither. Without NO_COLOR too: picocolors' top level reads
  // process.stdout.isTTY, which makes the stdout stream (net), so an uncoloured run does not load picocolors
  // (src/report/textReport.ts plainColors; failed before it: net loaded).
  it('with stdout and stderr pipes: no tty, no net', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'kmsfix-startup-cache-'));
    builtins(['scan', tf], { KMSFIX_CACHE_DIR: cache });
    // NO_COLOR empty counts as unset; FORCE_COLOR and CI left out (spawnSync drops an undefined variable).
    const noColorUnset = { NO_COLOR: '', FORCE_COLOR: undefined, CI: undefined };
    for (const env of [
      { KMSFIX_CACHE_DIR: cache },
      { KMSFIX_CJS: 'off' },
      { KMSFIX_CACHE_DIR: cache, ...noColorUnset },
      { KMSFIX_CJS: 'off', ...noColorUnset },
    ] as Record<string, string>[]) {
      const run = builtins(['scan', tf], env);
      expect(run.stdout).toContain('aws_dynamodb_table');
      for (const unused of ['tty', 'net']) expect(run.builtins, `${unused} ${JSON.stringify(env)}`).not.toContain(unused);
    }
  });

  it("a CDK file: the TypeScript parser does not load Node's performance hooks (scripts/ts-parser.mjs REWRITES)", () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'kmsfix-startup-cache-'));
    const ts = path.join(FIXTURES, 'typescript', 'cdk-tablev2', 'input.ts');
    builtins(['scan', ts], { KMSFIX_CACHE_DIR: cache });
    const run = builtins(['scan', ts], { KMSFIX_CACHE_DIR: cache });
    expect(run.stdout).toContain('TableEncryptionV2');
    expect(run.builtins).not.toContain('perf_hooks');
  });

  it('with cached code, a run starts no ES module loader', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'kmsfix-startup-cache-'));
    builtins(['scan', tf], { KMSFIX_CACHE_DIR: cache });
    const esm = ['internal/modules/esm/translators', 'internal/modules/esm/module_job'];
    for (const args of [['scan', tf], ['--version']]) {
      const run = builtins(args, { KMSFIX_CACHE_DIR: cache });
      expect(run.builtins).toContain('vm');
      for (const m of esm) expect(run.builtins, m).not.toContain(m);
    }
    // The ES modules do: the test sees the difference.
    for (const m of esm) expect(builtins(['--version'], { KMSFIX_CJS: 'off' }).builtins).toContain(m);
  });
});

describe('the files run with cached code', () => {
  it("share one namespace object per Node module in the CLI's CommonJS build (scripts/bundle.mjs sharedNamespaces)", () => {
    const text = readFileSync(path.join(ROOT, 'dist', 'bundle', 'cli.cjs'), 'latin1');
    const marker = '// scripts/bundle.mjs sharedNamespaces\n';
    expect(text, "esbuild's __toESM helper changed: look at sharedNamespaces").toContain(marker);
    // The bundle's helpers, run alone: the file's first lines up to the memo.
    const helpers = text.slice(text.indexOf('var __create'), text.indexOf(marker) + marker.length);
    const toESM = new Function('require', `${helpers}\nreturn __toESM;`)(createRequire(import.meta.url)) as (
      mod: unknown,
      node?: number,
    ) => Record<string, unknown>;
    const nodePath = createRequire(import.meta.url)('node:path') as typeof path;
    const a = toESM(nodePath, 1);
    expect(toESM(nodePath, 1)).toBe(a);
    expect(a.default).toBe(nodePath);
    expect(a.join).toBe(nodePath.join);
    // Not in Node's mode (a package's own import): a new object each time, as esbuild makes it.
    expect(toESM(nodePath)).not.toBe(toESM(nodePath));
  });

  // src/io/codeCache.ts reads an ASCII file as a one-byte string, any other as UTF-8: one character
  // outside ASCII doubles the memory its text takes (scripts/bundle.mjs asciiOnly).
  it("are ASCII: the CLI's CommonJS build and the TypeScript parser build", () => {
    const parsers = readdirSync(path.join(ROOT, 'dist', 'ts-parser')).filter((n) => n.endsWith('.cjs'));
    expect(parsers.length).toBeGreaterThan(0);
    for (const file of [path.join('dist', 'bundle', 'cli.cjs'), ...parsers.map((n) => path.join('dist', 'ts-parser', n))])
      expect(isAscii(readFileSync(path.join(ROOT, file))), file).toBe(true);
  });
});
