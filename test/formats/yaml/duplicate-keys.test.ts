/**
 * Duplicate keys (issue 18 item 7), CloudFormation family (YAML and JSON) and Pulumi YAML: the file is an error
 * at the first repeated key, and the tables it declares unambiguously are still reported (not
 * fixable: the file is never written).
 * A table whose logical ID repeats, or that holds a repeated key, is not read. The CLI's exit code
 * and summary count the error and the tables (scan: 2, as for any error).
 */
import { mkdtempSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { runCli } from '../../helpers/cli-helper.js';
import { FIXTURES } from '../../helpers/fixture-cases.js';

const CASE = path.join(FIXTURES, 'cloudformation/bad/duplicate-key-elsewhere/input.yaml');

describe('duplicate keys', () => {
  it('an error with its line, and the unambiguous tables reported, not fixable', async () => {
    const text = readFileSync(CASE, 'utf8');
    const r = await processMemory([{ path: 'template.yaml', text }], 'fix');
    const o = r.outcomes[0];
    expect([o.error?.line, o.error?.column]).toEqual([25, 11]);
    expect(o.error?.message).toMatch(/^YAML: Map keys must be unique: TABLE_NAME repeats a key/);
    expect(o.tables.map((t) => [t.address, t.status, t.fixable])).toEqual([
      ['OrdersTable', 'aws-owned', false],
      ['Sessions', 'aws-owned', false],
    ]);
    expect(o.tables[0].message).toContain('Not fixable automatically: the file has an error at 25:11');
    expect(o.newText).toBeUndefined();
  });

  it('a repeated logical ID or Resources: none of those tables', async () => {
    const table = '    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n';
    const twice = `Resources:\n  A:\n${table}  A:\n${table}  B:\n${table}`;
    expect((await processMemory([{ path: 't.yaml', text: twice }], 'scan')).outcomes[0].tables.map((t) => t.address)).toEqual(['B']);
    const resources = `Resources:\n  A:\n${table}Resources:\n  B:\n${table}`;
    const o = (await processMemory([{ path: 't.yaml', text: resources }], 'scan')).outcomes[0];
    expect([o.tables.length, o.error?.line]).toEqual([0, 6]);
  });

  it('Pulumi YAML: the same', async () => {
    const text = `name: app
runtime: yaml
resources:
  sessions:
    type: aws:dynamodb:Table
    properties:
      hashKey: id
  bucket:
    type: aws:s3:Bucket
    properties:
      acl: private
      acl: public-read
  carts:
    type: aws:dynamodb:Table
    properties:
      hashKey: id
      hashKey: cartId
`;
    const o = (await processMemory([{ path: 'Pulumi.yaml', text }], 'fix')).outcomes[0];
    expect([o.error?.line, o.error?.column, o.newText]).toEqual([12, 7, undefined]);
    expect(o.tables.map((t) => [t.address, t.status, t.fixable])).toEqual([['sessions', 'aws-owned', false]]);
  });

  it('CloudFormation JSON: the same, on the fast path and the reference one (jsonc-parser keeps both keys)', async () => {
    const table = (hash: string) =>
      `{ "Type": "AWS::DynamoDB::Table", "Properties": { "BillingMode": "PAY_PER_REQUEST", "KeySchema": [{ "AttributeName": "${hash}", "KeyType": "HASH" }] } }`;
    const twice = `{\n  "Resources": {\n    "Orders": ${table('id')},\n    "Orders": ${table('pk')},\n    "Carts": ${table('id')}\n  }\n}\n`;
    const o = (await processMemory([{ path: 'app.json', text: twice }], 'fix')).outcomes[0];
    expect([o.error?.line, o.error?.column, o.newText]).toEqual([4, 5, undefined]);
    expect(o.error?.message).toMatch(/^JSON: duplicate key "Orders" repeats a key of its object/);
    expect(o.tables.map((t) => [t.address, t.status, t.fixable])).toEqual([['Carts', 'aws-owned', false]]);
    // A key repeated inside one table's Properties (past the fast parser's first 16 keys too): that table is not read.
    const many = Array.from({ length: 20 }, (_, i) => `"K${i}": ${i}`).join(', ');
    const inner = `{ "Resources": { "A": { "Type": "AWS::DynamoDB::Table", "Properties": { ${many}, "K3": 0 } }, "B": ${table('id')} } }`;
    const p = (await processMemory([{ path: 'app.template.json', text: inner }], 'scan')).outcomes[0];
    expect([p.tables.map((t) => t.address), p.error?.message.startsWith('JSON: duplicate key "K3"')]).toEqual([['B'], true]);
  });

  it('CLI: scan exits 2 and counts both the error and the tables; fix writes nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-dup-'));
    copyFileSync(CASE, path.join(dir, 'template.yaml'));
    const scan = await runCli(['scan', '--format', 'json'], dir);
    expect(scan.code).toBe(2);
    const out = JSON.parse(scan.stdout) as { summary: { tables: number; errors: number; fixable: number }; tables: unknown[] };
    expect(out.summary).toMatchObject({ tables: 2, errors: 1, fixable: 0 });
    const text = await runCli(['scan'], dir);
    expect(text.stdout + text.stderr).toContain('template.yaml:25:11');
    expect(text.stdout).toContain('2 tables in 1 file: 0 compliant, 2 non-compliant (0 fixable), 1 error');
    const before = readFileSync(path.join(dir, 'template.yaml'));
    expect((await runCli(['fix', '--yes', '-q'], dir)).code).toBe(2);
    expect(readFileSync(path.join(dir, 'template.yaml')).equals(before)).toBe(true);
  });
});

// Session 62's adversarial review, M3: a key repeated inside the only table's Properties (written with a `\u0061` escape) left
// no table reported while the message said "the tables read without it are reported".
describe('duplicate keys: the message says which tables are left out', () => {
  it('the only table holds the repeated key: none is reported, and the message says so', async () => {
    const text =
      '{\n  "Resources": {\n    "Orders": {\n      "Type": "AWS::DynamoDB::Table",\n      "Properties": {\n' +
      '        "SSESpecification": {"SSEEnabled": true},\n        "SSESpecific\\u0061tion": {"SSEEnabled": false}\n      }\n    }\n  }\n}\n';
    const o = (await processMemory([{ path: 't.json', text }], 'fix')).outcomes[0];
    expect(o.tables).toEqual([]);
    expect([o.error?.line, o.error?.column, o.error?.message]).toEqual([
      7,
      9,
      'JSON: duplicate key "SSESpecific\\u0061tion" repeats a key of its object (a table that holds a repeated key, whose name repeats ' +
        'or that is under a repeated key is not reported, the others are; the file is not fixed)',
    ]);
  });
});
