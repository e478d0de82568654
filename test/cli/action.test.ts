/**
 * The GitHub Action (action.yml): its shell steps run here as the runner would run them (bash -e,
 * inputs and step outputs substituted into `env:`, GITHUB_OUTPUT and GITHUB_ACTION_PATH set), on
 * fixtures; the `uses:` steps (setup-node, upload-sarif) are checked for their wiring only.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FIXTURES, ROOT } from '../helpers/fixture-cases.js';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  if?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;
const CF = path.join(FIXTURES, 'cloudformation');

interface Context {
  inputs: Record<string, string>;
  outputs: Record<string, Record<string, string>>;
}

/** `${{ x }}` in a value, for the references the action uses; anything else is an error of the test. */
function substitute(text: string, ctx: Context): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, ref: string) => {
    let m = /^inputs\.([\w-]+)$/.exec(ref);
    if (m) {
      if (!(m[1] in ctx.inputs)) throw new Error(`no input ${m[1]}`);
      return ctx.inputs[m[1]];
    }
    m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(ref);
    if (m) return ctx.outputs[m[1]]?.[m[2]] ?? '';
    if (ref === 'github.action_path') return ROOT;
    throw new Error(`expression not handled by this test: ${ref}`);
  });
}

/** Runs the action's `run:` steps after Install (npm ci here is the test's own build), as the runner would. */
function runAction(workspace: string, given: Record<string, string>) {
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
  Object.assign(inputs, given);
  const ctx: Context = { inputs, outputs: {} };
  const steps: { step: Step; code: number; stdout: string; stderr: string }[] = [];
  for (const step of action.runs.steps) {
    if (step.uses || step.name === 'Install kmsfix') continue;
    expect(step.shell).toBe('bash');
    const outFile = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-gh-out-')), 'output');
    writeFileSync(outFile, '');
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), ctx)]));
    // The runner's bash: `bash --noprofile --norc -eo pipefail {0}`.
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
      cwd: workspace,
      encoding: 'utf8',
      env: { ...process.env, ...env, NO_COLOR: '1', GITHUB_OUTPUT: outFile, GITHUB_ACTION_PATH: ROOT, GITHUB_WORKSPACE: workspace },
    });
    if (step.id) {
      ctx.outputs[step.id] = Object.fromEntries(
        readFileSync(outFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
    }
    steps.push({ step, code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr });
    if (r.status !== 0) break; // a failed step ends the job
  }
  const failed = steps.find((s) => s.code !== 0);
  return { ctx, steps, jobCode: failed ? failed.code : 0, failedStep: failed?.step.name };
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-action-'));
  for (const [rel, fixture] of Object.entries(files)) cpSync(path.join(CF, fixture), path.join(dir, rel), { recursive: true });
  return dir;
}

describe('action.yml', () => {
  it('is a composite action that installs from its own checkout and uploads the SARIF log it writes', () => {
    expect(action.runs.using).toBe('composite');
    const steps = action.runs.steps;
    expect(steps.find((s) => s.name === 'Install kmsfix')?.run).toMatch(/npm ci .*--prefix "\$GITHUB_ACTION_PATH"/);
    const scan = steps.find((s) => s.id === 'scan')!;
    expect(scan.run).toMatch(/kmsfix\.cjs" scan --format sarif/);
    // Written by kmsfix itself (--output): the whole log or none, never one a full disk cut (a shell's `>` would leave it cut).
    expect(scan.run).toMatch(/--output "\$KMSFIX_SARIF"/);
    expect(scan.run).not.toMatch(/> "\$KMSFIX_SARIF"/);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.with?.sarif_file).toBe('${{ inputs.sarif-file }}');
    // Findings fail the job only after the upload: the upload runs whatever came before.
    expect(upload.if).toContain('always()');
    expect(upload.if).toContain("inputs.upload == 'true'");
    expect(steps.indexOf(upload)).toBeLessThan(steps.findIndex((s) => s.name === 'Verdict'));
    expect(action.inputs['fail-on-findings'].default).toBe('false');
    expect(action.inputs.path.default).toBe('.');
  });

  it('writes results.sarif with one result per non-compliant table and does not fail the job by default', () => {
    const ws = workspace({ 'app.yaml': 'yaml-no-sse/input.yaml', 'ok.yaml': 'yaml-no-sse/expected.yaml' });
    const r = runAction(ws, {});
    expect(r.jobCode, JSON.stringify(r.steps.map((s) => s.stderr))).toBe(0);
    expect(r.ctx.outputs.scan['exit-code']).toBe('1');
    expect(r.ctx.outputs.scan['sarif-file']).toBe('results.sarif');
    const log = JSON.parse(readFileSync(path.join(ws, 'results.sarif'), 'utf8'));
    const results = log.runs[0].results;
    expect(
      results.map(
        (x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          x.locations[0].physicalLocation.artifactLocation.uri,
      ),
    ).toEqual(['app.yaml']);
    expect(results[0].properties['security-severity']).toBeDefined();
    expect(log.runs[0].tool.driver.rules[0].helpUri).toMatch(/^https:\/\//);
  });

  it('fails the job on findings with fail-on-findings: true, after the SARIF is written', () => {
    const ws = workspace({ 'app.yaml': 'yaml-no-sse/input.yaml' });
    const r = runAction(ws, { 'fail-on-findings': 'true', path: 'app.yaml', 'sarif-file': 'out.sarif' });
    expect(r.jobCode).toBe(1);
    expect(r.failedStep).toBe('Verdict');
    expect(r.steps.at(-1)!.stdout).toContain('::error');
    expect(JSON.parse(readFileSync(path.join(ws, 'out.sarif'), 'utf8')).runs[0].results).toHaveLength(1);
  });

  it('passes on a compliant tree even with fail-on-findings, and scans only the path input', () => {
    const ws = workspace({ 'ok.yaml': 'yaml-no-sse/expected.yaml', 'other.yaml': 'yaml-no-sse/input.yaml' });
    const r = runAction(ws, { 'fail-on-findings': 'true', path: 'ok.yaml' });
    expect(r.jobCode).toBe(0);
    expect(r.ctx.outputs.scan['exit-code']).toBe('0');
    expect(JSON.parse(readFileSync(path.join(ws, 'results.sarif'), 'utf8')).runs[0].results).toEqual([]);
  });

  it('follows the profile input', () => {
    // yaml-statuses: tables of every status, which Checkov's rules and strict judge differently.
    const ws = workspace({ 'statuses.yaml': 'yaml-statuses/input.yaml' });
    const count = (profile: string) => {
      const r = runAction(ws, { profile });
      expect(r.ctx.outputs.scan['exit-code']).toBe('1');
      return JSON.parse(readFileSync(path.join(ws, 'results.sarif'), 'utf8')).runs[0].results.length as number;
    };
    const direct = (profile: string) =>
      JSON.parse(
        spawnSync(
          process.execPath,
          [path.join(ROOT, 'bin', 'kmsfix.js'), 'scan', '--format', 'sarif', '--profile', profile, 'statuses.yaml'],
          { cwd: ws, encoding: 'utf8' },
        ).stdout,
      ).runs[0].results.length;
    expect(count('strict')).toBe(direct('strict'));
    expect(count('checkov')).toBe(direct('checkov'));
    expect(count('checkov')).not.toBe(count('strict'));
    const bad = runAction(ws, { profile: 'nonsense' });
    expect(bad.failedStep).toBe('Scan');
    expect(bad.jobCode).toBe(2);
  });

  it('fails the job on a file it cannot parse, whatever fail-on-findings says, with the error in the SARIF log', () => {
    const ws = workspace({ 'broken.yaml': 'bad/yaml-bad-indent/input.yaml', 'ok.yaml': 'yaml-no-sse/expected.yaml' });
    const r = runAction(ws, { 'fail-on-findings': 'false' });
    expect(r.ctx.outputs.scan['exit-code']).toBe('2');
    expect(r.failedStep).toBe('Verdict');
    expect(r.jobCode).toBe(2);
    const log = JSON.parse(readFileSync(path.join(ws, 'results.sarif'), 'utf8'));
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri).toBe('broken.yaml');
  });

  it('passes a path input as one argument, never as shell code', () => {
    const ws = workspace({ 'a b.yaml': 'yaml-no-sse/input.yaml' });
    const r = runAction(ws, { path: 'a b.yaml' });
    expect(r.ctx.outputs.scan['exit-code']).toBe('1');
    const evil = runAction(ws, { path: '$(touch pwned)' });
    expect(evil.ctx.outputs.scan['exit-code']).toBe('2'); // no such path
    expect(() => readFileSync(path.join(ws, 'pwned'))).toThrow();
  });
});
