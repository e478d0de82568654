/**
 * Tables an `aws_dynamodb_global_table` joins (global tables version 2017.11.29, Legacy: gc-ss/rules-dev's
 * examples): a legacy global table takes no customer-managed key, so they are not fixable, and the step
 * says to move to version 2019.11.21 (replica blocks) first (globalTables.ts legacyGlobalTable).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { run } from '../../../src/engine/run.js';

const PROVIDERS = `provider "aws" {\n  alias  = "use1"\n  region = "us-east-1"\n}\n\nprovider "aws" {\n  alias  = "usw2"\n  region = "us-west-2"\n}\n`;

const table = (label: string, provider: string, name = '"myTable"') => `
resource "aws_dynamodb_table" "${label}" {
  provider         = aws.${provider}
  name             = ${name}
  hash_key         = "pk"
  billing_mode     = "PAY_PER_REQUEST"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }
}
`;

const global = (body: string) => `
resource "aws_dynamodb_global_table" "my_table" {
  provider = aws.use1
${body}
  replica {
    region_name = "us-east-1"
  }

  replica {
    region_name = "us-west-2"
  }
}
`;

async function scan(text: string) {
  const r = await processMemory([{ path: 'main.tf', text }], 'scan');
  return r.outcomes[0].tables.map((t) => ({ address: t.address, fixable: t.fixable, message: t.message }));
}

const STEP =
  'aws_dynamodb_global_table.my_table joins it into a global table: a global table of version 2017.11.29 (Legacy) takes no customer-managed key';

describe('tables a legacy aws_dynamodb_global_table joins', () => {
  it('named in depends_on, by the same name, or by a reference to the name: not fixable, with the step', async () => {
    const bodies = ['  depends_on = [aws_dynamodb_table.east, aws_dynamodb_table.west]\n  name       = "other"\n', '  name = "myTable"\n'];
    for (const body of bodies) {
      const tables = await scan(PROVIDERS + table('east', 'use1') + table('west', 'usw2') + global(body));
      expect(
        tables.map((t) => t.fixable),
        body,
      ).toEqual([false, false]);
      for (const t of tables) expect(t.message, body).toContain(STEP);
      expect(tables[0].message).toContain(
        'declare it as this table with a replica block per Region, in place of the aws_dynamodb_global_table',
      );
    }
    const byRef = await scan(PROVIDERS + table('east', 'use1', 'var.name') + global('  name = aws_dynamodb_table.east.name\n'));
    expect(byRef.map((t) => t.fixable)).toEqual([false]);
  });

  it('a table the global table does not name: fixed as before (a label that only starts like a named one too)', async () => {
    const tables = await scan(PROVIDERS + table('east', 'use1') + table('audit', 'use1', '"audit"') + global('  name = "myTable"\n'));
    expect(tables.map((t) => [t.address, t.fixable])).toEqual([
      ['aws_dynamodb_table.east', false],
      ['aws_dynamodb_table.audit', true],
    ]);
    const prefix = await scan(
      PROVIDERS +
        table('east', 'use1', '"a"') +
        table('east-2', 'use1', '"b"') +
        global('  depends_on = [aws_dynamodb_table.east-2]\n  name = "b"\n'),
    );
    expect(prefix.map((t) => [t.address, t.fixable])).toEqual([
      ['aws_dynamodb_table.east', true],
      ['aws_dynamodb_table.east-2', false],
    ]);
  });

  it('on disk, the global table in another file of the module: not fixable, nothing written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-tf-legacy-gt-'));
    writeFileSync(path.join(dir, 'tables.tf'), PROVIDERS + table('east', 'use1') + table('west', 'usw2'));
    writeFileSync(path.join(dir, 'global.tf'), global('  name = "myTable"\n'));
    const r = await run(['.'], { cwd: dir, mode: 'fix', workers: 0, acceptAwsManaged: false, keyStrategy: 'per-table' });
    const tables = r.outcomes.flatMap((o) => o.tables);
    expect(tables.map((t) => [t.address, t.fixable])).toEqual([
      ['aws_dynamodb_table.east', false],
      ['aws_dynamodb_table.west', false],
    ]);
    expect(r.outcomes.some((o) => o.newText !== undefined)).toBe(false);
  });
});
