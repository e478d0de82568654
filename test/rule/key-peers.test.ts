/**
 * The table of what peer scanners say about a generated key (src/rule/peers/keyRules.ts,
 * generatedKeyFacts) rests on what the transforms really write: here the same facts are read back
 * from every CloudFormation, Serverless and Terraform fixture output (the policy's statements,
 * rotation, PendingWindowInDays, the inline suppressions each scanner reads in that format), and the
 * rules must give the same verdicts on both.
 */
import { describe, expect, it } from 'vitest';
import { parse as hcl2json } from '@cdktf/hcl2json';
import { generatedKeyFacts, keyVerdicts, type KeyFacts, type KeyFormat, type KeyStatementFacts } from '../../src/rule/peers/keyRules.js';
import type { KeyPolicyMode } from '../../src/rule/keyPolicy.js';
import { fixtureCases } from '../helpers/fixture-cases.js';
import type { PolicyDocument } from '../helpers/kms-policy-eval.js';
import { cfnKeyPolicies, cfnResources, terraformKeyPolicies } from '../helpers/kms-policy-extract.js';

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function statements(doc: PolicyDocument): KeyStatementFacts[] {
  return doc.Statement.map((s) => ({
    effect: s.Effect,
    principal: s.Principal === '*' ? '*' : { aws: list(s.Principal.AWS), service: list(s.Principal.Service) },
    actions: list(s.Action),
    resources: list(s.Resource ?? '*'),
    condition: s.Condition !== undefined,
  }));
}

/** Inline `checkov:skip=ID` comments in a piece of text. */
const checkovComments = (text: string) => [...text.matchAll(/#\s*checkov:skip=([A-Za-z_\d-]+)/g)].map((m) => `checkov:${m[1]}`);

/** The lines of one resource of a YAML template: from its logical ID to the next line at its indent or less. */
function resourceText(text: string, id: string): string {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => new RegExp(`^(\\s*)["']?${id}["']?\\s*:`).test(l));
  const indent = /^\s*/.exec(lines[start])![0].length;
  let end = start + 1;
  while (end < lines.length && (lines[end].trim() === '' || /^\s*/.exec(lines[end])![0].length > indent)) end++;
  return lines.slice(start, end).join('\n');
}

function cfnFacts(input: string, output: string, serverless: boolean): KeyFacts[] {
  const before = cfnResources(input);
  const resources = cfnResources(output);
  return cfnKeyPolicies(output)
    .filter((k) => !(k.key in before))
    .map((k) => {
      const r = resources[k.key];
      const md = (r.Metadata ?? {}) as { checkov?: { skip?: { id: string }[] }; cfn_nag?: { rules_to_suppress?: { id: string }[] } };
      // Checkov's serverless runner reads comments only; cfn-nag does not read serverless.yml.
      const suppressions = serverless
        ? // A stage's resources read from custom (`<stage>.<id>`, kms-policy-extract.ts): the logical ID's own line.
          checkovComments(resourceText(output, k.key.replace(/^.*\./, '')))
        : [
            ...(md.checkov?.skip ?? []).map((x) => `checkov:${x.id}`),
            ...(md.cfn_nag?.rules_to_suppress ?? []).map((x) => `cfn-nag:${x.id}`),
          ];
      if (!k.policy) throw new Error(`${k.key}: ${k.problem}`);
      return {
        format: (serverless ? 'serverless' : 'cloudformation') as KeyFormat,
        statements: statements(k.policy),
        policyDocument: false,
        pendingWindowInDays: r.Properties?.PendingWindowInDays !== undefined,
        rotation: r.Properties?.EnableKeyRotation === true,
        suppressions,
      };
    });
}

async function terraformFacts(input: { path: string; text: string }[], output: { path: string; text: string }[]): Promise<KeyFacts[]> {
  const parse = (files: { path: string; text: string }[]) =>
    Promise.all(files.map(async (f) => (f.path.endsWith('.json') ? JSON.parse(f.text) : await hcl2json(f.path, f.text))));
  const before = new Set(terraformKeyPolicies(await parse(input)).map((k) => k.key));
  const parsed = await parse(output);
  const hcl = output.filter((f) => !f.path.endsWith('.json'));
  return terraformKeyPolicies(parsed)
    .filter((k) => !before.has(k.key) && k.key.startsWith('aws_kms_key.'))
    .map((k) => {
      if (!k.policy) throw new Error(`${k.key}: ${k.problem}`);
      const name = k.key.slice('aws_kms_key.'.length);
      // Terraform JSON: each level an object or an array of objects (fixtures/terraform/tf-json-array-levels).
      const each = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v : v ? [v] : []) as Record<string, unknown>[];
      const key = parsed
        .flatMap((p) => each(p.resource))
        .flatMap((r) => each(r.aws_kms_key))
        .map((k) => k[name])
        .find(Boolean);
      const body = (Array.isArray(key) ? key[0] : key) as { policy: string; enable_key_rotation?: boolean };
      const doc = /data\.aws_iam_policy_document\.([\w-]+)\.json/.exec(body.policy)![1];
      // The comments inside the policy document's block (Checkov reads them there).
      const block =
        hcl.map((f) => new RegExp(`data "aws_iam_policy_document" "${doc}" \\{[\\s\\S]*?\\n\\}`).exec(f.text)?.[0]).find(Boolean) ?? '';
      return {
        format: 'terraform' as KeyFormat,
        statements: statements(k.policy),
        policyDocument: true,
        pendingWindowInDays: false,
        rotation: body.enable_key_rotation === true,
        suppressions: checkovComments(block),
      };
    });
}

describe('what the transforms write around a generated key matches the docs/scanner-parity.md table of peer verdicts', () => {
  const seen: Record<string, number> = {};
  for (const family of ['cloudformation', 'terraform'] as const) {
    for (const c of fixtureCases(family)) {
      if (c.options.kmsKeyArn) continue;
      it(`${family}/${c.name}`, async () => {
        const mode = (c.options.keyPolicy as KeyPolicyMode | undefined) ?? 'drop-in';
        const facts =
          family === 'terraform'
            ? await terraformFacts(c.input, c.expected)
            : c.expected.flatMap((out, i) =>
                cfnFacts(
                  c.input[i].text,
                  out.text,
                  /serverless\.ya?ml$|^template\.yml$/.test(out.path) && /^\s*resources\s*:/m.test(out.text),
                ),
              );
        for (const f of facts) {
          // tf.json has no comments: Checkov's inline skips cannot be written there.
          if (family === 'terraform' && c.expected.every((x) => x.path.endsWith('.json'))) continue;
          // A deletion window other than 30 days (key settings) is written, and KICS 2844c749 fails it, as docs/scanner-parity.md says.
          const window = (c.options.key as { deletionWindowDays?: number } | undefined)?.deletionWindowDays;
          const pendingWindowInDays = window !== undefined && window !== 30;
          expect(keyVerdicts(f)).toEqual(keyVerdicts({ ...generatedKeyFacts(f.format, mode), pendingWindowInDays }));
          seen[`${f.format} ${mode}`] = (seen[`${f.format} ${mode}`] ?? 0) + 1;
        }
      });
    }
  }
  it('read keys of every format and mode the fixtures have', () => {
    expect(Object.keys(seen).sort()).toEqual(['cloudformation drop-in', 'cloudformation iam', 'serverless drop-in', 'terraform drop-in']);
  });
});
