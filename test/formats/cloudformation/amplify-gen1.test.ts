/**
 * An Amplify Gen1 project: the CLI builds each resource's template into its `build/` folder at every
 * `amplify push` (from cli-inputs.json, the GraphQL schema, override.ts), and keeps a copy of what it
 * last deployed under `amplify/#current-cloud-backend/`. kmsfix rewrote both: the first change was
 * lost at the next push, the second edited the CLI's own state. A built template's tables are
 * reported with the `amplify override` step and not fixed; the deployed copy is not read.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/engine/run.js';

const TEMPLATE = JSON.stringify(
  {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      DynamoDBTable: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
      },
    },
  },
  null,
  2,
);

describe('Amplify Gen1: built templates and the deployed copy', () => {
  it("a template of a resource's build/ folder is reported with the amplify override step, not fixed; #current-cloud-backend is not read; another template is fixed", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-amplify-'));
    const files = {
      built: 'amplify/backend/storage/orders/build/orders-cloudformation-template.json',
      deployed: 'amplify/#current-cloud-backend/storage/orders/build/orders-cloudformation-template.json',
      custom: 'amplify/backend/custom/audit/audit-cloudformation-template.json',
    };
    for (const f of Object.values(files)) {
      mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
      writeFileSync(path.join(dir, f), TEMPLATE);
    }
    const r = await run(['.'], { cwd: dir, mode: 'fix', workers: 0, keyStrategy: 'per-table', acceptAwsManaged: false });
    const tables = r.outcomes.flatMap((o) => o.tables);
    expect(tables.map((t) => [t.file, t.fixable, t.fixed ?? false])).toEqual([
      [files.custom, true, true],
      [files.built, false, false],
    ]);
    expect(tables[1].blocker).toMatch(/^the template is built by the Amplify CLI .* `amplify override <category>`/);
    const text = (f: string) => r.outcomes.find((o) => o.file.path === f)?.newText;
    expect(text(files.custom)).toContain('AWS::KMS::Key');
    expect(text(files.built)).toBeUndefined();
    expect(r.outcomes.map((o) => o.file.path)).not.toContain(files.deployed);
  });

  it("the first Amplify CLI's GraphQL API template (the API folder's cloudformation-template.json, real-world round 37) is reported with the upgrade step; a REST API's template is fixed", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-amplify-'));
    const files = {
      legacy: 'amplify/backend/api/chat/cloudformation-template.json',
      rest: 'amplify/backend/api/orders/orders-cloudformation-template.json',
    };
    for (const f of Object.values(files)) {
      mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
      writeFileSync(path.join(dir, f), TEMPLATE);
    }
    writeFileSync(path.join(dir, 'amplify/backend/api/chat/schema.graphql'), 'type User @model { id: ID! }\n');
    const r = await run(['.'], { cwd: dir, mode: 'fix', workers: 0, keyStrategy: 'per-table', acceptAwsManaged: false });
    const tables = r.outcomes.flatMap((o) => o.tables);
    expect(tables.map((t) => [t.file, t.fixable, t.fixed ?? false])).toEqual([
      [files.legacy, false, false],
      [files.rest, true, true],
    ]);
    expect(tables[0].blocker).toMatch(/GraphQL transformer from the API's schema\.graphql at each `amplify push`.*`amplify override api`/);
  });
});
