/**
 * CloudFormation parameters with defaults (issue 18 item 4): scan reports the status the default
 * gives, naming the parameter, and a fix leaves such tables to their parameter unless
 * --fix-parameterised, which then says the parameter no longer controls them. (The outputs
 * themselves: fixtures/cloudformation/parameter-defaults and parameter-defaults-fixed.)
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scanJson } from '../helpers/cli-helper.js';
import { FIXTURES } from '../helpers/fixture-cases.js';

function tree(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-params-'));
  cpSync(path.join(FIXTURES, 'cloudformation/parameter-defaults/input.yaml'), path.join(dir, 'template.yaml'));
  return dir;
}

interface Out {
  tables: { address: string; status: string; fixable: boolean; message: string; blocker?: string; fixed?: boolean }[];
  summary: { fixable: number; fixed?: number };
  notes: string[];
}

describe('--fix-parameterised', () => {
  it('scan: the status from the default, with the parameter named; not fixable; Fn::If between two non-compliant values left to its condition', async () => {
    const out = (await scanJson(tree())) as Out;
    const by = Object.fromEntries(out.tables.map((t) => [t.address, t]));
    expect(by.SseOff.status).toBe('aws-owned');
    expect(by.SseOff.message).toMatch(/^SSEEnabled is false, decided by parameter EnableSSE's default \(false\)/);
    expect(by.SseOff.fixable).toBe(false);
    expect(by.SseOff.message).toContain('Not fixable automatically: the setting is decided by parameter EnableSSE');
    expect(by.EmptyKey.message).toMatch(/^KMSMasterKeyId is !Ref KeyParam, decided by parameter KeyParam's default \(''\)/);
    expect(by.ManagedKeyTable.status).toBe('aws-managed');
    expect(by.CustomKeyTable.status).toBe('customer-managed');
    // SSEEnabled: !If [UseKms, true, false]: the AWS managed or the AWS owned key, whichever UseKms picks.
    expect(by.IfTable.status).toBe('aws-owned');
    expect(by.IfTable.message).toMatch(/^SSEEnabled is !If \[UseKms, true, false\]: no value it can take uses a customer-managed key/);
    expect(by.IfTable.fixable).toBe(false);
    expect(by.IfTable.message).toContain('Not fixable automatically: the setting is chosen by Fn::If on condition UseKms');
    expect(out.summary.fixable).toBe(0);
  });

  it('scan refuses --fix-parameterised (an option of fix)', async () => {
    const r = await runCli(['scan', '--fix-parameterised'], tree());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--fix-parameterised is an option of fix');
  });

  it('fix without the flag changes nothing; with it, sets the tables explicitly and says the parameter no longer controls them', async () => {
    const dir = tree();
    const before = readFileSync(path.join(dir, 'template.yaml'), 'utf8');
    expect((await runCli(['fix', '--yes', '-q'], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'template.yaml'), 'utf8')).toBe(before);
    const r = await runCli(['fix', '--yes', '-q', '--fix-parameterised'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "template.yaml:28 SseOff: the table's settings are written explicitly, so EnableSSE no longer controls them",
    );
    expect(r.stderr).toContain("IfTable: the table's settings are written explicitly, so condition UseKms no longer chooses them");
    expect(readFileSync(path.join(dir, 'template.yaml'), 'utf8')).toBe(
      readFileSync(path.join(FIXTURES, 'cloudformation/parameter-defaults-fixed/expected.yaml'), 'utf8'),
    );
  });
});
