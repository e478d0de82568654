/**
 * scan's reports of a customer-managed table kept past its stack whose key of the same file is not
 * (caution `unkept-key`, test/rule/unkept-key.test.ts): the text line says the caution's label (the rest
 * under --verbose), -q keeps the table, JSON gives the caution, SARIF a `kmsfix/key-not-kept` warning; the
 * table stays compliant and the exit 0.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-helper.js';

const TEMPLATE = `Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      BillingMode: PAY_PER_REQUEST
      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: !GetAtt OrdersKey.Arn
  OrdersKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
`;

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-unkept-'));
  writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE);
  return dir;
}

describe('scan: a kept table whose key is not', () => {
  it('text: the short line names the caution, --verbose says it, -q keeps it; exit 0', async () => {
    const dir = project();
    const short = await runCli(['scan'], dir);
    expect(short.code).toBe(0);
    expect(short.stdout).toContain('template.yaml:2  Orders  customer-managed');
    expect(short.stdout).toContain('; caution: Key not kept (--verbose says what to do)');
    const verbose = await runCli(['scan', '--verbose'], dir);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toContain('its key OrdersKey (template.yaml:12:3) has no DeletionPolicy');
    const quiet = await runCli(['scan', '-q'], dir);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toContain('Key not kept');
  });

  it('JSON: compliant, with the caution; exit 0', async () => {
    const r = await runCli(['scan', '--format', 'json'], project());
    expect(r.code).toBe(0);
    const [t] = (JSON.parse(r.stdout) as { tables: { status: string; compliant: boolean; cautions?: string[] }[] }).tables;
    expect(t.status).toBe('customer-managed');
    expect(t.compliant).toBe(true);
    expect(t.cautions).toHaveLength(1);
    expect(t.cautions![0]).toMatch(/^Key not kept: DeletionPolicy: Retain and UpdateReplacePolicy: Retain keep this table/);
  });

  it('SARIF: a kmsfix/key-not-kept warning at the table; exit 0', async () => {
    const r = await runCli(['scan', '--format', 'sarif'], project());
    expect(r.code).toBe(0);
    const run = JSON.parse(r.stdout).runs[0];
    expect(run.results).toHaveLength(1);
    const [res] = run.results;
    expect(res.ruleId).toBe('kmsfix/key-not-kept');
    expect(run.tool.driver.rules[res.ruleIndex].id).toBe('kmsfix/key-not-kept');
    expect(res.level).toBe('warning');
    expect(res.message.text).toContain('Orders: Encrypted with customer-managed key');
    expect(res.message.text).toContain('Key not kept: ');
    expect(res.locations[0].physicalLocation.region.startLine).toBe(2);
    expect(res.properties.status).toBe('customer-managed');
  });
});

describe('scan: a Pulumi program', () => {
  const PROGRAM = `import * as aws from '@pulumi/aws';

const ordersKey = new aws.kms.Key('orders-key', { enableKeyRotation: true });
export const orders = new aws.dynamodb.Table(
  'orders',
  { hashKey: 'id', serverSideEncryption: { enabled: true, kmsKeyArn: ordersKey.arn } },
  { retainOnDelete: true },
);
`;

  it('JSON and SARIF: compliant, with the caution at the key; exit 0', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-unkept-'));
    writeFileSync(path.join(dir, 'index.ts'), PROGRAM);
    const json = await runCli(['scan', '--format', 'json'], dir);
    expect(json.code).toBe(0);
    const [t] = (JSON.parse(json.stdout) as { tables: { status: string; compliant: boolean; cautions?: string[] }[] }).tables;
    expect(t.status).toBe('customer-managed');
    expect(t.compliant).toBe(true);
    expect(t.cautions).toHaveLength(1);
    expect(t.cautions![0]).toMatch(/^Key not kept: retainOnDelete: true keeps this table/);
    expect(t.cautions![0]).toContain('its key ordersKey (index.ts:3:7) has no retainOnDelete');
    const sarif = await runCli(['scan', '--format', 'sarif'], dir);
    expect(sarif.code).toBe(0);
    const [res] = JSON.parse(sarif.stdout).runs[0].results;
    expect(res.ruleId).toBe('kmsfix/key-not-kept');
    expect(res.message.text).toContain('give ordersKey the resource option retainOnDelete: true');
    expect(res.locations[0].physicalLocation.region.startLine).toBe(4);
  });
});
