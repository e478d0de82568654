/**
 * TurboFan off during a light run (src/core/tiering.ts, src/engine/run.ts lightRun): which runs are
 * light, that the built CLI optimizes nothing in one and does in a larger run, and that code caches
 * are read and made under the default flags meanwhile. V8 hashes its flags into a code cache once per
 * process, the first time one is read or made, so that is checked in fresh processes: a cache made
 * in a light run must be accepted by a default run, and the other way round.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lightRun } from '../../src/engine/run.js';
import type { Candidate } from '../../src/io/discover.js';
import { BIN } from '../helpers/cli-helper.js';
import { ROOT } from '../helpers/fixture-cases.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-tiering-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const KB = 1024;

describe('lightRun', () => {
  const file = (name: string, bytes: number): Candidate => {
    const absPath = path.join(dir, name);
    writeFileSync(absPath, 'x'.repeat(bytes));
    return { absPath, path: name, explicit: true };
  };

  it('is a few files of at most 256 KB in all, too few for workers', () => {
    expect(lightRun([file('a.json', 62 * KB)], 50, 32 * KB * KB)).toBe(true);
    expect(lightRun([file('b.json', 256 * KB)], 50, 32 * KB * KB)).toBe(true);
    expect(lightRun([file('c.json', 256 * KB + 1)], 50, 32 * KB * KB)).toBe(false);
    expect(lightRun([], 50, 32 * KB * KB)).toBe(true);
    const many = Array.from({ length: 33 }, (_, i) => file(`m${i}.yml`, 2 * KB));
    expect(lightRun(many.slice(0, 32), 50, 32 * KB * KB)).toBe(true);
    expect(lightRun(many, 50, 32 * KB * KB)).toBe(false);
    // Workers forced (a test's parallelMinFiles / parallelMinBytes of 0): never light.
    expect(lightRun([file('d.json', 62 * KB)], 0, 32 * KB * KB)).toBe(false);
    expect(lightRun([file('e.json', 62 * KB)], 50, 0)).toBe(false);
    // A file that is gone counts nothing (its read reports it).
    const gone = { absPath: path.join(dir, 'gone.json'), path: 'gone.json', explicit: true };
    expect(lightRun([gone, file('f.json', 40 * KB)], 50, 32 * KB * KB)).toBe(true);
  });
});

/** A CloudFormation JSON template of about `kb` KB with one table without a key. */
function template(kb: number): string {
  const table = {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    },
  };
  const params = Object.fromEntries(
    Array.from({ length: kb * 8 }, (_, i) => [`Param${i}`, { Type: 'String', Default: `value-${i}`, Description: 'A parameter.' }]),
  );
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Parameters: params, Resources: { Orders: table } }, null, 2);
}

describe('the built CLI', () => {
  // --trace-opt prints a line for each function V8 marks for optimization.
  const marked = (file: string, flags: string[] = []) => {
    const r = spawnSync(process.execPath, ['--trace-opt', ...flags, BIN, 'scan', file], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', KMSFIX_CACHE_DIR: path.join(dir, 'cache') },
    });
    expect(r.stdout).toContain('1 non-compliant');
    return r.stdout.split('\n').filter((l) => l.includes('for optimization')).length;
  };

  it('optimizes nothing while it scans a light run, and does in a larger one', () => {
    const light = path.join(dir, 'light.template.json');
    const large = path.join(dir, 'large.template.json');
    writeFileSync(light, template(60));
    writeFileSync(large, template(400));
    expect(marked(light)).toBe(0);
    expect(marked(large)).toBeGreaterThan(0);
  });

  it('leaves the compilers as Node was told when it was started with a flag choosing them', () => {
    const light = path.join(dir, 'light-own-flags.template.json');
    writeFileSync(light, template(60));
    expect(marked(light, ['--turbofan'])).toBeGreaterThan(0);
  });
});

describe('code caches in a light run', () => {
  const child = path.join(dir, 'child.mjs');
  const url = (rel: string) => pathToFileURL(path.join(ROOT, 'dist', 'src', rel)).href;
  writeFileSync(
    child,
    [
      "const v8 = process.argv[2] === 'bare' ? (await import('node:v8')).default : undefined;",
      "import vm from 'node:vm';",
      "import Module from 'node:module';",
      "import { readFileSync } from 'node:fs';",
      `import { optimizeLess } from '${url('core/tiering.js')}';`,
      `import { runCached } from '${url('io/codeCache.js')}';`,
      'const [mode, src, cache] = process.argv.slice(2);',
      "if (mode === 'bare' || mode === 'quiet') {",
      "  if (mode === 'bare') v8.setFlagsFromString('--no-turbofan');",
      '  else optimizeLess();',
      "  const s = new vm.Script(Module.wrap(readFileSync(src, 'latin1')), { cachedData: readFileSync(cache) });",
      "  const loaded = process.moduleLoadList.filter((m) => m === 'NativeModule v8');",
      "  console.log(JSON.stringify({ rejected: s.cachedDataRejected, noDeprecation: 'noDeprecation' in process, loaded }));",
      '} else {',
      "  if (mode === 'light') optimizeLess();",
      '  const r = runCached(src, cache);',
      '  r.save?.();',
      '  console.log(JSON.stringify({ answer: r.exports(), saved: r.save !== undefined }));',
      '}',
    ].join('\n'),
  );
  const src = path.join(dir, 'mod.cjs');
  writeFileSync(src, 'module.exports = function answer() { return 42; };\n');
  const cache = path.join(dir, 'mod-nodevX-x64.v8cache');
  const runChild = (mode: string) => {
    const r = spawnSync(process.execPath, [child, mode, src, cache], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };

  it('are made and read under the default flags: light and default runs share them', () => {
    expect(runChild('light')).toEqual({ answer: 42, saved: true });
    expect(runChild('default')).toEqual({ answer: 42, saved: false });
    expect(runChild('light')).toEqual({ answer: 42, saved: false });
    // Without that, the light run's flags would not match the cache's.
    expect(runChild('bare')).toMatchObject({ rejected: true, noDeprecation: false });
  });

  // optimizeLess sets the flag through node:v8's binding (process.binding('v8')), not node:v8 (which loads Node's
  // streams; test/cli/startup.test.ts): the same flag set (V8 rejects the default flags' cache, as after node:v8's own
  // call), no deprecation warning (runChild checks stderr), process.noDeprecation left as it was, node:v8 not loaded.
  it('turns TurboFan off as node:v8 does, without loading it or printing a warning', () => {
    expect(runChild('default')).toMatchObject({ answer: 42 }); // the cache, made under the default flags
    expect(runChild('bare').loaded).toEqual(['NativeModule v8']);
    expect(runChild('quiet')).toEqual({ rejected: true, noDeprecation: false, loaded: [] });
  });
});
