/**
 * Scanner parity on the project's own fixtures (fixtures/<family>/<case>/peers.json): for every
 * behaviour kmsfix reproduces from the peer scanners (src/rule/peers/rules.ts, quirks included), which
 * rules fire on each table, on which line, which suppressions count, under which profile a table
 * passes; and after a fix, no peer rule fires on a fixed table. These run on a fresh clone; the
 * peers' own cases (../shared/peer-cases, test/rule/peers.test.ts) run where that folder exists.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';
import { PROFILES, type Profile } from '../../src/rule/peers/evaluate.js';
import { families, fixtureCases } from '../helpers/fixture-cases.js';
import { runCli, scanJson } from '../helpers/cli-helper.js';

const cases = families()
  .flatMap((f) => fixtureCases(f))
  .filter((c) => c.peers);

describe('peer verdicts on the fixtures', () => {
  it('cover every format and every peer tool', () => {
    expect(new Set(cases.map((c) => c.family))).toEqual(new Set(['cloudformation', 'terraform', 'pulumi-yaml']));
    const tools = new Set(cases.flatMap((c) => Object.values(c.peers!).flatMap((t) => Object.keys(t.peers))));
    expect([...tools].sort()).toEqual(PROFILES.filter((p) => p !== 'strict').sort());
  });

  for (const c of cases) {
    describe(`${c.family}/${c.name}`, () => {
      it("each table: its line (the resource's own), the rules that fire, the suppressions found", async () => {
        const r = await processMemory(c.input, 'scan');
        expect(r.outcomes.flatMap((o) => (o.error ? [o.error] : []))).toEqual([]);
        const got = Object.fromEntries(
          r.outcomes.flatMap((o) =>
            o.tables.map((t) => [
              t.address,
              {
                line: t.line,
                peers: t.peers,
                ...(t.suppressions.length
                  ? { suppressions: t.suppressions.map((s) => (s.rule ? { tool: s.tool, rule: s.rule } : { tool: s.tool })) }
                  : {}),
              },
            ]),
          ),
        );
        expect(got).toEqual(c.peers);
      });

      it("under each tool's profile, a table passes exactly when none of that tool's rules fires unsuppressed", async () => {
        for (const profile of PROFILES.filter((p) => p !== 'strict') as Profile[]) {
          const r = await processMemory(c.input, 'scan', { profile });
          for (const t of r.outcomes.flatMap((o) => o.tables)) {
            const fired = t.peers[profile as keyof typeof t.peers];
            if (!fired) continue;
            // A suppression of that tool silences the rule it names, or all of its rules; cfn-guard also honours cfn_nag's W74 for its KMS rule.
            const silenced = (rule: string) =>
              t.suppressions.some(
                (s) =>
                  (s.tool === profile && (!s.rule || s.rule === rule)) ||
                  (profile === 'cfn-guard' && s.tool === 'cfn-nag' && rule === 'DYNAMODB_TABLE_ENCRYPTED_KMS'),
              );
            expect(t.compliant, `${t.address} under ${profile}`).toBe(fired.every(silenced));
          }
        }
      });

      it('after the fix, no peer rule fires on a fixed table', async () => {
        const before = await processMemory(c.input, 'fix', c.options);
        const fixed = new Set(before.outcomes.flatMap((o) => o.tables.filter((t) => t.planned).map((t) => t.address)));
        const after = await processMemory(c.expected, 'scan', c.options);
        for (const t of after.outcomes.flatMap((o) => o.tables)) {
          if (!fixed.has(t.address)) continue;
          expect(t.status, t.address).toBe('customer-managed');
          expect(Object.values(t.peers).flat(), t.address).toEqual([]);
        }
      });
    });
  }
});

describe('peer behaviours through the CLI', () => {
  const tmp = () => mkdtempSync(path.join(tmpdir(), 'kmsfix-peerfx-'));
  const table = (sse: string, metadata = '') =>
    `Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n${metadata}    Properties:\n      BillingMode: PAY_PER_REQUEST\n${sse}`;

  it("--profile decides compliance and the exit code by that tool's rules", async () => {
    const dir = tmp();
    // SSE on, no key: the AWS managed key. cfn-nag, KICS and AWS Config pass it; Checkov, Trivy and strict do not.
    writeFileSync(path.join(dir, 'managed.yaml'), table('      SSESpecification:\n        SSEEnabled: true\n'));
    const code = async (...extra: string[]) => (await runCli(['scan', ...extra, 'managed.yaml'], dir)).code;
    expect(await code()).toBe(1);
    for (const p of ['cfn-nag', 'kics', 'aws-config']) expect(await code('--profile', p), p).toBe(0);
    for (const p of ['checkov', 'trivy', 'cfn-guard']) expect(await code('--profile', p), p).toBe(1);
    // A guard suppression of its KMS rule counts under strict (the same rule) and cfn-guard, not under checkov.
    writeFileSync(
      path.join(dir, 'managed.yaml'),
      table('', '    Metadata:\n      guard:\n        SuppressedRules:\n          - DYNAMODB_TABLE_ENCRYPTED_KMS\n'),
    );
    expect(await code()).toBe(0);
    expect(await code('--profile', 'checkov')).toBe(1);
  });

  it('text output with --verbose names the rules a non-compliant table fails, and a suppressed table still lists them', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'open.yaml'), table('      SSESpecification:\n        SSEEnabled: false\n'));
    // The default line is short: status, address, one reason; the rules with --verbose (and in JSON).
    expect((await runCli(['scan', 'open.yaml'], dir)).stdout).not.toContain('fails CKV_AWS_119');
    const r = await runCli(['scan', '--verbose', 'open.yaml'], dir);
    expect(r.stdout).toMatch(
      /Orders {2}aws-owned .*\(fails CKV_AWS_119, AVD-AWS-0025, 4bd21e68-38c1-4d58-acdc-6a14b203237f, W74, DYNAMODB_TABLE_ENCRYPTED_KMS, DYNAMODB_TABLE_MUST_BE_ENCRYPTED\)/,
    );
    writeFileSync(
      path.join(dir, 'open.yaml'),
      table('', '    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - id: W74\n            reason: test data\n'),
    );
    const s = (await scanJson(dir, ['open.yaml'])).tables[0];
    expect(s.status).toBe('suppressed');
    expect(s.peers['cfn-nag']).toEqual(['W74']);
  });

  it('a Terraform table with replicas in Regions that have no provider alias is left alone, with what to add', async () => {
    const text =
      'resource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "id"\n\n  replica {\n    region_name = "eu-west-1"\n  }\n}\n';
    const r = await processMemory([{ path: 'main.tf', text }], 'fix');
    const t = r.outcomes[0].tables[0];
    expect(t.fixed).not.toBe(true);
    expect(t.message).toContain('no provider "aws" configuration with an alias for replica region "eu-west-1"');
    expect(r.output.get('main.tf')).toBe(text);
  });
});
