/**
 * What a one-file scan loads (its latency is a target, issue 16): no code and no Node module it does
 * not use. A Terraform file's scan loads neither the fix's code nor, when no table reads a variable,
 * the evaluation of module inputs; and nothing of a fix (crypto for temp names and locks,
 * child_process for git), nor a CommonJS package through the ES module loader's export analysis.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { BIN } from '../helpers/cli-helper.js';

/** The bundle chunks (by their sources) and the Node built-in modules a run of the built CLI loads. */
function loads(args: string[]): { sources: string[]; builtins: string[]; stdout: string } {
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
  writeFileSync(
    register,
    `import { register } from 'node:module';
register(${JSON.stringify(new URL(`file://${hooks}`).href)});
process.on('exit', () => process._rawDebug('BUILTINS ' + process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join(' ')));
`,
  );
  const r = spawnSync(process.execPath, ['--import', register, BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const lines = r.stderr.split('\n');
  return {
    sources: lines.filter((l) => l.startsWith('SOURCE ')).map((l) => l.slice(7)),
    builtins: (lines.find((l) => l.startsWith('BUILTINS ')) ?? '').split(' ').slice(1),
    stdout: r.stdout,
  };
}

describe('a one-file scan loads only what it uses', () => {
  it('a Terraform file: no fix code, no input evaluation, no crypto, child_process or CommonJS export analysis', () => {
    const run = loads(['scan', path.join(FIXTURES, 'terraform', 'no-sse-block', 'input.tf')]);
    expect(run.stdout).toContain('aws_dynamodb_table');
    expect(run.sources).toContain('src/formats/terraform/detect.ts');
    for (const unused of ['src/formats/terraform/fix.ts', 'src/formats/terraform/inputs.ts', 'src/formats/terraform/evaluate.ts'])
      expect(run.sources).not.toContain(unused);
    for (const unused of ['crypto', 'child_process', 'internal/deps/cjs-module-lexer/lexer']) expect(run.builtins).not.toContain(unused);
  });

  it('a table whose key reads a variable loads the evaluation', () => {
    const run = loads(['scan', path.join(FIXTURES, 'terraform', 'variables-root', 'input')]);
    expect(run.sources).toContain('src/formats/terraform/evaluate.ts');
  });
});
