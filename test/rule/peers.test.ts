/**
 * Scanner parity against the peers' own fixtures (../shared/peer-cases, read in place): each tool's
 * verdict, resource by resource, as MANIFEST.md states it; then `kmsfix fix` on a copy must leave
 * every peer rule passing on every fixed table.
 */
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { runCli, scanJson } from '../helpers/cli-helper.js';
import { PEERS, itPeers } from '../helpers/peer-cases.js';

/** A copy to fix: the peer cases are kept read-only, and kmsfix never replaces a read-only file. */
function copyWritable(from: string, to: string): void {
  cpSync(from, to);
  chmodSync(to, 0o644);
}

interface Row {
  file: string;
  address: string;
  tool: string;
  rule: string;
  verdict: 'fail' | 'pass' | 'skip';
}

const K_OWNED = 'c8dee387-a2e6-4a73-a942-183c975549ac';
const K_NOTENC = '4bd21e68-38c1-4d58-acdc-6a14b203237f';
const rows = (file: string, address: string, tool: string, rule: string, verdict: Row['verdict']): Row => ({
  file,
  address,
  tool,
  rule,
  verdict,
});

/** MANIFEST.md, CloudFormation sections (1a, 1b, 2b, 4, 5a, 5b). */
const CFN: Row[] = [
  // 1a KICS "DynamoDB With Aws Owned CMK"
  rows('kics/cloudformation-dynamodb_with_aws_owned_cmk/negative1.yaml', 'DynamoDBOnDemandTable1', 'kics', K_OWNED, 'pass'),
  rows('kics/cloudformation-dynamodb_with_aws_owned_cmk/negative2.json', 'DynamoDBOnDemandTable1', 'kics', K_OWNED, 'pass'),
  rows('kics/cloudformation-dynamodb_with_aws_owned_cmk/positive1.yaml', 'DynamoDBOnDemandTable2', 'kics', K_OWNED, 'fail'),
  rows('kics/cloudformation-dynamodb_with_aws_owned_cmk/positive3.yaml', 'DynamoDBOnDemandTable4', 'kics', K_OWNED, 'fail'),
  rows('kics/cloudformation-dynamodb_with_aws_owned_cmk/positive4.yaml', 'DynamoDBOnDemandTable5', 'kics', K_OWNED, 'fail'),
  rows('kics/cloudformation-dynamodb_with_aws_owned_cmk/positive5.json', 'DynamoDBOnDemandTable2', 'kics', K_OWNED, 'fail'),
  rows('kics/cloudformation-dynamodb_with_aws_owned_cmk/positive7.json', 'DynamoDBOnDemandTable4', 'kics', K_OWNED, 'fail'),
  rows('kics/cloudformation-dynamodb_with_aws_owned_cmk/positive8.json', 'DynamoDBOnDemandTable5', 'kics', K_OWNED, 'fail'),
  rows('kics/cloudformation-dynamodb_with_aws_owned_cmk/upstream-newer/positive7.yaml', 'DynamoDBOnDemandTable2', 'kics', K_OWNED, 'fail'),
  // 1b KICS "DynamoDB Table Not Encrypted"
  rows('kics/cloudformation-dynamodb_table_not_encrypted/negative1.yaml', 'MyDynamoDBTable', 'kics', K_NOTENC, 'pass'),
  rows('kics/cloudformation-dynamodb_table_not_encrypted/positive1.yaml', 'MyDynamoDBTable', 'kics', K_NOTENC, 'fail'),
  rows('kics/cloudformation-dynamodb_table_not_encrypted/positive2.yaml', 'MyDynamoDBTable', 'kics', K_NOTENC, 'fail'),
  rows('kics/cloudformation-dynamodb_table_not_encrypted/upstream-newer/positive3.yaml', 'OrdersTable', 'kics', K_NOTENC, 'fail'),
  // 2b Checkov CKV_AWS_119
  rows('checkov/CKV_AWS_119-cloudformation/FAILED.yaml', 'DefaultEncryption', 'checkov', 'CKV_AWS_119', 'fail'),
  rows('checkov/CKV_AWS_119-cloudformation/FAILED.yaml', 'EncryptionFalse', 'checkov', 'CKV_AWS_119', 'fail'),
  rows('checkov/CKV_AWS_119-cloudformation/FAILED.yaml', 'NoEncryptionConfig', 'checkov', 'CKV_AWS_119', 'fail'),
  rows('checkov/CKV_AWS_119-cloudformation/PASSED.yaml', 'KMSEncryption', 'checkov', 'CKV_AWS_119', 'pass'),
  // 4 cfn_nag W74
  rows('cfn-nag/W74/dynamodb_table_with_no_encryption.yaml', 'DynamodbNoEncryption', 'cfn-nag', 'W74', 'fail'),
  rows('cfn-nag/W74/dynamodb_table_with_no_encryption.yaml', 'DynamodbEncryptionDisabled', 'cfn-nag', 'W74', 'fail'),
  rows('cfn-nag/W74/dynamodb_table_with_encryption_enabled.yaml', 'DynamodbEncryptionEnabled', 'cfn-nag', 'W74', 'pass'),
  // 5a cfn-guard DYNAMODB_TABLE_ENCRYPTED_KMS
  rows(
    'aws-guard-rules-registry/DYNAMODB_TABLE_ENCRYPTED_KMS/extracted/case3-SKIP.yaml',
    'Exampletable',
    'cfn-guard',
    'DYNAMODB_TABLE_ENCRYPTED_KMS',
    'skip',
  ),
  rows(
    'aws-guard-rules-registry/DYNAMODB_TABLE_ENCRYPTED_KMS/extracted/case4-SKIP.yaml',
    'Exampletable',
    'cfn-guard',
    'DYNAMODB_TABLE_ENCRYPTED_KMS',
    'skip',
  ),
  rows(
    'aws-guard-rules-registry/DYNAMODB_TABLE_ENCRYPTED_KMS/extracted/case5-FAIL.yaml',
    'Exampletable',
    'cfn-guard',
    'DYNAMODB_TABLE_ENCRYPTED_KMS',
    'fail',
  ),
  rows(
    'aws-guard-rules-registry/DYNAMODB_TABLE_ENCRYPTED_KMS/extracted/case6-FAIL.yaml',
    'Exampletable',
    'cfn-guard',
    'DYNAMODB_TABLE_ENCRYPTED_KMS',
    'fail',
  ),
  rows(
    'aws-guard-rules-registry/DYNAMODB_TABLE_ENCRYPTED_KMS/extracted/case7-PASS.yaml',
    'Exampletable',
    'cfn-guard',
    'DYNAMODB_TABLE_ENCRYPTED_KMS',
    'pass',
  ),
  // 5b cfn-guard DYNAMODB_TABLE_MUST_BE_ENCRYPTED
  rows(
    'aws-guard-rules-registry/DYNAMODB_TABLE_MUST_BE_ENCRYPTED/extracted/case3-SKIP.yaml',
    'Exampletable',
    'cfn-guard',
    'DYNAMODB_TABLE_MUST_BE_ENCRYPTED',
    'skip',
  ),
  rows(
    'aws-guard-rules-registry/DYNAMODB_TABLE_MUST_BE_ENCRYPTED/extracted/case4-FAIL.yaml',
    'Exampletable',
    'cfn-guard',
    'DYNAMODB_TABLE_MUST_BE_ENCRYPTED',
    'fail',
  ),
  rows(
    'aws-guard-rules-registry/DYNAMODB_TABLE_MUST_BE_ENCRYPTED/extracted/case5-FAIL.yaml',
    'Exampletable',
    'cfn-guard',
    'DYNAMODB_TABLE_MUST_BE_ENCRYPTED',
    'fail',
  ),
  rows(
    'aws-guard-rules-registry/DYNAMODB_TABLE_MUST_BE_ENCRYPTED/extracted/case6-PASS.yaml',
    'Exampletable',
    'cfn-guard',
    'DYNAMODB_TABLE_MUST_BE_ENCRYPTED',
    'pass',
  ),
];

interface JsonTable {
  file: string;
  line: number;
  address: string;
  status: string;
  compliant: boolean;
  peers: Record<string, string[]>;
  suppressions: { tool: string; rule?: string }[];
}

async function scan(file: string, extra: string[] = []): Promise<{ code: number; tables: JsonTable[] }> {
  const r = await runCli(['scan', '--format', 'json', ...extra, file], PEERS);
  return { code: r.code, tables: JSON.parse(r.stdout).tables };
}

describe('peer verdicts on the peers own fixtures', () => {
  itPeers('the peer cases are there', () => {
    expect(existsSync(path.join(PEERS, 'MANIFEST.md')), `missing ${PEERS}`).toBe(true);
  });

  for (const row of CFN) {
    itPeers(`${row.tool} ${row.rule} ${row.verdict}s ${row.file} ${row.address}`, async () => {
      const { tables } = await scan(row.file);
      const t = tables.find((x) => x.address === row.address);
      expect(t, `${row.address} not found`).toBeDefined();
      const fires = (t!.peers[row.tool] ?? []).includes(row.rule);
      if (row.verdict === 'pass') expect(fires).toBe(false);
      else expect(fires).toBe(true);
      const suppressed = t!.suppressions.some(
        (s) =>
          (s.tool === row.tool && (!s.rule || s.rule === row.rule)) ||
          (row.tool === 'cfn-guard' && s.tool === 'cfn-nag' && row.rule === 'DYNAMODB_TABLE_ENCRYPTED_KMS'),
      );
      expect(suppressed).toBe(row.verdict === 'skip');
      // Under that tool's profile, the table passes exactly when the tool passes or skips it.
      const { tables: underProfile } = await scan(row.file, ['--profile', row.tool]);
      const p = underProfile.find((x) => x.address === row.address)!;
      const othersFire = (p.peers[row.tool] ?? []).filter((r) => r !== row.rule && !p.suppressions.some((s) => s.rule === r));
      if (othersFire.length === 0) expect(p.compliant).toBe(row.verdict !== 'fail');
    });
  }

  itPeers('KICS reports c8dee387 on the logical ID line: kmsfix reports the same line', async () => {
    const dir = 'kics/cloudformation-dynamodb_with_aws_owned_cmk';
    const expected = JSON.parse(readFileSync(path.join(PEERS, dir, 'positive_expected_result.json'), 'utf8')) as {
      line: number;
      fileName: string;
    }[];
    expect(expected.length).toBe(6);
    for (const e of expected) {
      const { tables } = await scan(`${dir}/${e.fileName}`);
      const hit = tables.filter((t) => t.peers.kics?.includes(K_OWNED));
      expect(
        hit.map((t) => t.line),
        e.fileName,
      ).toContain(e.line);
    }
  });

  itPeers('KICS b6a7e0ae on Pulumi YAML: both documents of positive.yaml fail, negative.yaml passes; the fix clears them', async () => {
    const dir = 'kics/pulumi-dynamodb_table_not_encrypted';
    const KP = 'b6a7e0ae-aed8-4a19-a993-a95760bf8836';
    const pos = await scan(`${dir}/positive.yaml`);
    expect(pos.tables.map((t) => [t.address, t.status, t.peers.kics])).toEqual([
      ['example', 'aws-owned', [KP]],
      ['example', 'aws-owned', [KP]],
    ]);
    const neg = await scan(`${dir}/negative.yaml`);
    expect(neg.tables.map((t) => [t.address, t.status, t.peers.kics])).toEqual([['example', 'aws-managed', []]]);
    const tmp = mkdtempSync(path.join(tmpdir(), 'kmsfix-pulumi-'));
    copyWritable(path.join(PEERS, dir, 'positive.yaml'), path.join(tmp, 'Pulumi.yaml'));
    expect((await runCli(['fix', '--yes'], tmp)).code).toBe(0);
    const after = (await scanJson(tmp)).tables as JsonTable[];
    expect(after.map((t) => [t.status, Object.values(t.peers).flat()])).toEqual([
      ['customer-managed', []],
      ['customer-managed', []],
    ]);
  });

  itPeers('Trivy AWS-0023 (DAX clusters) and cfn-guard empty templates: no DynamoDB table, nothing reported', async () => {
    for (const f of [
      'trivy-checks/AWS-0023/extracted/cloudformation-good1.yaml',
      'trivy-checks/AWS-0023/extracted/cloudformation-bad1.yaml',
      'aws-guard-rules-registry/DYNAMODB_TABLE_ENCRYPTED_KMS/extracted/case1-SKIP.yaml',
      'aws-guard-rules-registry/DYNAMODB_TABLE_ENCRYPTED_KMS/extracted/case2-SKIP.yaml',
      'aws-guard-rules-registry/DYNAMODB_TABLE_MUST_BE_ENCRYPTED/extracted/case1-SKIP.yaml',
      'aws-guard-rules-registry/DYNAMODB_TABLE_MUST_BE_ENCRYPTED/extracted/case2-SKIP.yaml',
    ]) {
      const r = await scan(f);
      expect(r.tables, f).toEqual([]);
      expect(r.code, f).toBe(0);
    }
  });

  itPeers('a suppressed table still lists what would fire', async () => {
    const { tables } = await scan('aws-guard-rules-registry/DYNAMODB_TABLE_ENCRYPTED_KMS/extracted/case3-SKIP.yaml');
    expect(tables[0].status).toBe('suppressed');
    expect(tables[0].peers['cfn-guard']).toContain('DYNAMODB_TABLE_ENCRYPTED_KMS');
  });

  itPeers('--profile changes compliance and the exit code', async () => {
    // SSE enabled with no key: AWS managed. cfn-nag and KICS pass it, Checkov and strict do not.
    const file = 'kics/cloudformation-dynamodb_table_not_encrypted/negative1.yaml';
    expect((await scan(file)).code).toBe(1);
    expect((await scan(file, ['--profile', 'cfn-nag'])).code).toBe(0);
    expect((await scan(file, ['--profile', 'kics'])).code).toBe(0);
    expect((await scan(file, ['--profile', 'aws-config'])).code).toBe(0);
    expect((await scan(file, ['--profile', 'checkov'])).code).toBe(1);
    expect((await scan(file, ['--profile', 'trivy'])).code).toBe(1);
    // A guard suppression counts under cfn-guard and strict, not under checkov.
    const sup = 'aws-guard-rules-registry/DYNAMODB_TABLE_ENCRYPTED_KMS/extracted/case3-SKIP.yaml';
    expect((await scan(sup)).code).toBe(0);
    expect((await scan(sup, ['--profile', 'checkov'])).code).toBe(1);
  });

  itPeers('text output with --verbose names the peer rules a non-compliant table fails', async () => {
    const r = await runCli(['scan', '--verbose', 'cfn-nag/W74/dynamodb_table_with_no_encryption.yaml'], PEERS);
    expect(r.stdout).toMatch(
      /DynamodbNoEncryption {2}aws-owned .*\(fails CKV_AWS_119, AVD-AWS-0025, c8dee387-a2e6-4a73-a942-183c975549ac, 4bd21e68-38c1-4d58-acdc-6a14b203237f, W74, DYNAMODB_TABLE_ENCRYPTED_KMS, DYNAMODB_TABLE_MUST_BE_ENCRYPTED\)/,
    );
  });

  itPeers('after kmsfix fix, every peer rule passes on every fixed table', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-peers-'));
    const files = [...new Set(CFN.map((r) => r.file))];
    for (const f of files) copyWritable(path.join(PEERS, f), path.join(dir, f.replace(/\//g, '__')));
    const before = (await scanJson(dir, ['.'])).tables as JsonTable[];
    const fix = await runCli(['fix', '--yes', '.'], dir);
    expect(fix.code, fix.stderr).toBe(0);
    const after = (await scanJson(dir, ['.'])).tables as JsonTable[];
    const fixed = before.filter((t) => t.status === 'aws-owned' || t.status === 'aws-managed');
    expect(fixed.length).toBeGreaterThan(15);
    for (const t of fixed) {
      const now = after.find((x) => x.file === t.file && x.address === t.address)!;
      expect(now.status, `${t.file} ${t.address}`).toBe('customer-managed');
      expect(Object.values(now.peers).flat(), `${t.file} ${t.address}`).toEqual([]);
    }
  });
});
