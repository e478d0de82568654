/**
 * Real-world inputs from peer scanners' test suites (../shared/peer-cases, read in place):
 * kmsfix's own status for each table, then a fix of a temporary copy.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { fmtClean } from '../../helpers/terraform-helpers.js';
import { PEERS, itPeers } from '../../helpers/peer-cases.js';

/** file (relative to peer-cases) -> address -> kmsfix status. */
const EXPECTED: Record<string, Record<string, string>> = {
  'checkov/CKV_AWS_119-terraform/main.tf': {
    'aws_dynamodb_table.cmk': 'customer-managed',
    'aws_dynamodb_table.default': 'aws-owned',
    'aws_dynamodb_table.encrypted_false': 'aws-owned',
    'aws_dynamodb_table.encrypted_no_cmk': 'aws-managed',
  },
  'checkov/CKV_AWS_271-terraform/main.tf': {
    'aws_dynamodb_table_replica.pass': 'customer-managed',
    'aws_dynamodb_table_replica.fail': 'aws-managed',
  },
  'trivy-checks/AWS-0025/extracted/terraform-good1.tf': { 'aws_dynamodb_table.good_example': 'customer-managed' },
  'trivy-checks/AWS-0025/extracted/terraform-bad1.tf': { 'aws_dynamodb_table.bad_example': 'aws-owned' },
  'trivy-checks/AWS-0025/extracted/terraform-bad2.tf': { 'aws_dynamodb_table.bad_example': 'aws-managed' },
  'trivy-checks/AWS-0025/extracted/terraform-bad3.tf': { 'aws_dynamodb_table.bad_example': 'aws-owned' },
  'trivy-checks/AWS-0023/extracted/terraform-bad1.tf': {},
  'kics/terraform-dynamodb_table_not_encrypted/positive1.tf': {
    'aws_dynamodb_table.example': 'aws-owned',
    'aws_dynamodb_table.example_2': 'aws-owned',
  },
  'kics/terraform-dynamodb_table_not_encrypted/negative1.tf': { 'aws_dynamodb_table.example': 'aws-managed' },
  'kics/terraform-dynamodb_table_not_encrypted/datadog-fork/positive_module.tf': { 'module.dynamodb_table': 'aws-owned' },
  'kics/terraform-dynamodb_table_not_encrypted/datadog-fork/negative_module.tf': { 'module.dynamodb_table': 'aws-owned' },
};

/** What each peer tool itself says (MANIFEST.md): file -> address -> tool -> fails? */
const PEER_VERDICTS: Record<string, Record<string, Partial<Record<'checkov' | 'trivy' | 'kics', boolean>>>> = {
  'checkov/CKV_AWS_119-terraform/main.tf': {
    'aws_dynamodb_table.cmk': { checkov: false },
    'aws_dynamodb_table.default': { checkov: true },
    'aws_dynamodb_table.encrypted_false': { checkov: true },
    'aws_dynamodb_table.encrypted_no_cmk': { checkov: true },
  },
  'checkov/CKV_AWS_271-terraform/main.tf': {
    'aws_dynamodb_table_replica.pass': { checkov: false },
    'aws_dynamodb_table_replica.fail': { checkov: true },
  },
  'trivy-checks/AWS-0025/extracted/terraform-good1.tf': { 'aws_dynamodb_table.good_example': { trivy: false } },
  'trivy-checks/AWS-0025/extracted/terraform-bad1.tf': { 'aws_dynamodb_table.bad_example': { trivy: true } },
  'trivy-checks/AWS-0025/extracted/terraform-bad2.tf': { 'aws_dynamodb_table.bad_example': { trivy: true } },
  'trivy-checks/AWS-0025/extracted/terraform-bad3.tf': { 'aws_dynamodb_table.bad_example': { trivy: true } },
  'kics/terraform-dynamodb_table_not_encrypted/positive1.tf': {
    'aws_dynamodb_table.example': { kics: true },
    'aws_dynamodb_table.example_2': { kics: true },
  },
  'kics/terraform-dynamodb_table_not_encrypted/negative1.tf': { 'aws_dynamodb_table.example': { kics: false } },
  'kics/terraform-dynamodb_table_not_encrypted/datadog-fork/positive_module.tf': { 'module.dynamodb_table': { kics: true } },
  'kics/terraform-dynamodb_table_not_encrypted/datadog-fork/negative_module.tf': { 'module.dynamodb_table': { kics: false } },
};

/** Tables whose replicas have no provider alias in the file: left alone by design. */
const DECLINED = new Set(['aws_dynamodb_table.example', 'aws_dynamodb_table.example_2']);
/**
 * A replica resource whose table the case does not declare (CKV_AWS_271's `fail`): declined even with
 * --recreate-replicas, as its table's key is not known to be customer-managed and a replica's key must
 * be of its table's kind (session 50: a customer-managed key for the replica alone fails at apply).
 */
const OUTSIDE_TABLE = new Set(['aws_dynamodb_table_replica.fail']);

describe('terraform peer cases', () => {
  itPeers('the peer cases are there', () => {
    expect(existsSync(PEERS), PEERS).toBe(true);
  });

  for (const [rel, want] of Object.entries(EXPECTED)) {
    itPeers(`${rel}: statuses, then a fix makes every fixable table customer-managed`, async () => {
      const text = readFileSync(path.join(PEERS, rel), 'utf8');
      const file = { path: path.basename(rel), text };
      const scan = await processMemory([file], 'scan');
      expect(scan.outcomes[0].error).toBeUndefined();
      expect(Object.fromEntries(scan.outcomes[0].tables.map((t) => [t.address, t.status]))).toEqual(want);

      for (const [address, tools] of Object.entries(PEER_VERDICTS[rel] ?? {})) {
        const t = scan.outcomes[0].tables.find((x) => x.address === address)!;
        for (const [tool, fails] of Object.entries(tools)) {
          const fired = (t.peers as Record<string, string[] | undefined>)[tool] ?? [];
          expect(fired.length > 0, `${address} ${tool}: ${fired.join(',')}`).toBe(fails);
        }
      }

      // Replica keys are written only when their re-creation is accepted (CKV_AWS_271's replica resource).
      const fixed = await processMemory([file], 'fix', { recreateReplicas: true });
      expect(fixed.outcomes[0].error).toBeUndefined();
      const out = fixed.output.get(file.path)!;
      const rescan = await processMemory([{ path: file.path, text: out }], 'scan');
      for (const t of rescan.outcomes[0].tables) {
        if (DECLINED.has(t.address) && rel.includes('kics/')) {
          expect(t.status, t.address).toBe(want[t.address]);
          expect(fixed.outcomes[0].tables.find((x) => x.address === t.address)!.message).toContain('no provider "aws" configuration');
        } else if (OUTSIDE_TABLE.has(t.address)) {
          expect(t.status, t.address).toBe(want[t.address]);
          expect(fixed.outcomes[0].tables.find((x) => x.address === t.address)!.message).toContain(
            "a replica's key must be of its table's kind",
          );
        } else {
          expect(t.status, t.address).toBe('customer-managed');
          // What kmsfix writes satisfies every peer tool too.
          expect(rescan.outcomes[0].tables.find((x) => x.address === t.address)!.peers, t.address).toEqual(
            Object.fromEntries(Object.keys(t.peers).map((k) => [k, []])),
          );
        }
      }
      if (fmtClean(text).clean) expect(fmtClean(out).diff).toBe('');
    });
  }
});
