/**
 * The generated CloudFormation keys and peer scanners (research: Checkov CKV_AWS_33 and cfn-nag F76
 * fail any `*` principal, whatever its conditions; KICS 2844c749 fails any PendingWindowInDays): in
 * every expected CloudFormation output, a drop-in key carries both inline suppressions with the one
 * stated reason (and, in a serverless.yml, Checkov's comment form, the only one its serverless
 * runner reads), an iam key none; no key sets PendingWindowInDays; the wildcard principal is never
 * bare and always comes with kms:CallerAccount.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ANY_PRINCIPAL_REASON } from '../../../src/rule/keyPolicy.js';
import { fixtureCases } from '../../helpers/fixture-cases.js';
import { joinUnderIndented } from '../../../src/formats/yaml/underIndented.js';

const TAGS = ['Ref', 'Sub', 'GetAtt', 'Join', 'Equals', 'If', 'ImportValue', 'Condition'].flatMap((n) => [
  { tag: `!${n}`, resolve: (v: unknown) => ({ [n]: v }) },
  { tag: `!${n}`, collection: 'seq' as const, resolve: (v: unknown) => ({ [n]: v }) },
]);

interface Key {
  Metadata?: {
    checkov?: { skip?: { id: string; comment?: string }[] };
    cfn_nag?: { rules_to_suppress?: { id: string; reason?: string }[] };
  };
  Properties?: {
    PendingWindowInDays?: unknown;
    KeyPolicy?: {
      Statement?: { Sid?: string; Effect?: string; Principal?: unknown; Condition?: { StringEquals?: Record<string, unknown> } }[];
    };
  };
}

function newKeys(input: string, expected: string): [string, Key][] {
  const resources = (t: string) => {
    // Values continued no deeper than their key (flow-under-indented) read as kmsfix reads them.
    const d = parse(joinUnderIndented(t)?.text ?? t, { customTags: TAGS, merge: true }) as {
      Resources?: Record<string, { Type?: string }>;
      resources?: { Resources?: Record<string, { Type?: string }> };
    };
    return d.Resources ?? d.resources?.Resources ?? {};
  };
  const before = resources(input);
  return Object.entries(resources(expected)).filter(([id, r]) => r?.Type === 'AWS::KMS::Key' && !(id in before)) as [string, Key][];
}

describe('generated CloudFormation keys and the rules that judge a * principal', () => {
  let checked = 0;
  for (const c of fixtureCases('cloudformation')) {
    if (c.options.kmsKeyArn) continue;
    it(c.name, () => {
      const mode = c.options.keyPolicy ?? 'drop-in';
      c.expected.forEach((out, i) => {
        for (const [id, key] of newKeys(c.input[i].text, out.text)) {
          checked++;
          // Written only when the key settings ask for another window than the default 30 days (KICS 2844c749).
          const window = (c.options.key as { deletionWindowDays?: number } | undefined)?.deletionWindowDays;
          expect(key.Properties?.PendingWindowInDays, id).toBe(window === undefined || window === 30 ? undefined : window);
          for (const s of key.Properties?.KeyPolicy?.Statement ?? []) {
            expect(s.Principal, id).not.toBe('*');
            // An Allow to * is this account's, through DynamoDB; the Deny of key: deny_direct_grants limits every caller.
            if ((s.Principal as { AWS?: unknown })?.AWS === '*' && s.Effect !== 'Deny')
              expect(Object.keys(s.Condition?.StringEquals ?? {}), id).toContain('kms:CallerAccount');
            if (s.Effect === 'Deny') expect(s.Sid, id).toBe('DenyGrantsOutsideAWSServices');
          }
          if (mode === 'iam') {
            expect(key.Metadata, id).toBeUndefined();
            continue;
          }
          expect(key.Metadata?.checkov?.skip, id).toEqual([{ id: 'CKV_AWS_33', comment: ANY_PRINCIPAL_REASON }]);
          expect(key.Metadata?.cfn_nag?.rules_to_suppress, id).toEqual([{ id: 'F76', reason: ANY_PRINCIPAL_REASON }]);
          if (/^service:/m.test(out.text)) {
            // Inside the key's lines: the line after its logical ID.
            expect(out.text, id).toMatch(
              new RegExp(`\\n\\s+${id}:\\r?\\n\\s+# checkov:skip=CKV_AWS_33:${ANY_PRINCIPAL_REASON.replace(/[.*()/]/g, '\\$&')}\\r?\\n`),
            );
          }
        }
      });
    });
  }
  it('checked keys in every mode', () => {
    expect(checked).toBeGreaterThan(10);
  });
});
