/**
 * Terragrunt units whose `terraform { source }` is a DynamoDB registry module are tables (they were
 * missed: scan exited 0). Statuses: fixtures/terraform/terragrunt-units (statuses.json). Here: the
 * manual step in each module's words, nothing written by fix, terragrunt's lock table left out,
 * and units under .terragrunt-cache (terragrunt's copies) never read. The CLI tests need `npm run build`.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { runCli } from '../../helpers/cli-helper.js';
import { FIXTURES } from '../../helpers/fixture-cases.js';

const LIVE = path.join(FIXTURES, 'terraform', 'terragrunt-units', 'input');
const read = (rel: string) => ({ path: rel, text: readFileSync(path.join(LIVE, rel), 'utf8') });

describe('terragrunt units', () => {
  it('a unit of terraform-aws-modules/dynamodb-table is reported at its terraform block, not fixable, with the step in its inputs', async () => {
    const files = [read('live/root.hcl'), read('live/prod/orders/terragrunt.hcl')];
    const r = await processMemory(files, 'scan');
    const tables = r.outcomes.flatMap((o) => o.tables.map((t) => ({ ...t, file: o.file.path })));
    expect(tables).toHaveLength(1);
    const t = tables[0];
    expect([t.file, t.line, t.address, t.status, t.fixable]).toEqual([
      'live/prod/orders/terragrunt.hcl',
      5,
      'terragrunt unit orders',
      'aws-managed',
      false,
    ]);
    expect(t.message).toContain('Not fixable automatically: a terragrunt unit deploys the module alone');
    expect(t.message).toContain('kms:CallerAccount = the account and kms:ViaService = dynamodb.<region>.amazonaws.com');
    expect(t.message).toContain(
      'set server_side_encryption_enabled = true and server_side_encryption_kms_key_arn = dependency.kms.outputs.key_arn in its inputs',
    );
    const fix = await processMemory(files, 'fix');
    for (const f of files) expect(fix.output.get(f.path)).toBe(f.text);
  });

  it("cloudposse's step names its inputs; a pin without the key input asks for the upgrade first", async () => {
    const files = [read('live/root.hcl'), read('live/prod/events/terragrunt.hcl'), read('live/prod/legacy/terragrunt.hcl')];
    const r = await processMemory(files, 'scan');
    const [events, legacy] = r.outcomes.flatMap((o) => o.tables.map((t) => t.message));
    expect(events).toContain('set enable_encryption = true and server_side_encryption_kms_key_arn = dependency.kms.outputs.key_arn');
    expect(events).not.toContain('upgrade');
    expect(legacy).toContain('upgrade cloudposse/dynamodb to 0.22.0 or later (the unit pins version = "0.21.0"');
  });

  it('inputs set by an included file count; an include kmsfix cannot find leaves the unit unknown', async () => {
    const r = await processMemory(
      [
        read('live/root.hcl'),
        read('live/stage/stage.hcl'),
        read('live/stage/baskets/terragrunt.hcl'),
        read('live/stage/carts/terragrunt.hcl'),
      ],
      'scan',
    );
    const by = new Map(r.outcomes.flatMap((o) => o.tables.map((t) => [t.address, t])));
    expect(by.get('terragrunt unit baskets')?.status).toBe('aws-managed');
    expect(by.get('terragrunt unit carts')?.status).toBe('unknown');
    expect(by.get('terragrunt unit carts')?.message).toContain('may be set by include "envcommon"');
    // Without the root.hcl it includes, the unit's switch could come from there.
    const alone = await processMemory([read('live/prod/roasts/terragrunt.hcl')], 'scan');
    expect(alone.outcomes[0].tables[0].message).toMatch(
      /^server_side_encryption_enabled and server_side_encryption_kms_key_arn may be set by include "root" \(no root.hcl in a folder above\)/,
    );
  });

  it('kmsfix scan reports the units, exits 1, and never reads .terragrunt-cache', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-tg-'));
    cpSync(LIVE, dir, { recursive: true });
    // Terragrunt copies the unit's folder into its cache, beside the module it downloads.
    cpSync(path.join(LIVE, 'live', 'prod', 'roasts'), path.join(dir, 'live', 'prod', 'roasts', '.terragrunt-cache', 'ab', 'cd'), {
      recursive: true,
    });
    const scan = await runCli(['scan', '--format', 'json', '.'], dir);
    expect(scan.code, scan.stderr).toBe(1);
    const files = (JSON.parse(scan.stdout).tables as { file: string }[]).map((t) => t.file);
    expect(files).toHaveLength(9);
    expect(files.filter((f) => f.includes('.terragrunt-cache'))).toEqual([]);
  });
});
