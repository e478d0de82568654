/**
 * Deploy safety of the generated key policy: every format renders the one policy of
 * src/rule/keyPolicy.ts, and that policy, read back from each format's output, gives the same answers
 * for the callers that matter at deploy time (kms-policy-eval.ts): an app role of the account with
 * no KMS permission keeps working through DynamoDB (drop-in) or needs IAM (iam); nobody uses the key
 * directly without IAM, nor through another service or Region; another account never does; the
 * account root administers it. AWS CDK's policies are judged on synthesized templates in
 * typescript-synth.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as hcl2json } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../src/engine/memory.js';
import { holdsKeyPolicy, KEY_POLICY_MODES, policyDocument, type KeyPolicyMode } from '../../src/rule/keyPolicy.js';
import { fixtureCases, FIXTURES } from '../helpers/fixture-cases.js';
import { decide, expectedVerdicts, verdicts, ACCOUNT, REGION, type PolicyDocument } from '../helpers/kms-policy-eval.js';
import {
  cfnKeyPolicies,
  pulumiYamlKeyPolicies,
  runTsKeyPolicies,
  isServerlessTs,
  serverlessTsKeyPolicies,
  terraformKeyPolicies,
  type KeyPolicyFound,
} from '../helpers/kms-policy-extract.js';

type Family = 'cloudformation' | 'pulumi-yaml' | 'terraform' | 'typescript';

/** The key policies of a family's output files. */
async function keyPolicies(family: Family, files: MemoryFile[]): Promise<KeyPolicyFound[]> {
  if (family === 'terraform') {
    const parsed = await Promise.all(
      files.map(async (f) => (f.path.endsWith('.json') ? JSON.parse(f.text) : await hcl2json(f.path, f.text))),
    );
    return terraformKeyPolicies(parsed);
  }
  return files.flatMap((f) =>
    family === 'cloudformation'
      ? cfnKeyPolicies(f.text)
      : family === 'pulumi-yaml'
        ? pulumiYamlKeyPolicies(f.text)
        : /(?:^|\/)sst\.config\.ts$/.test(f.path)
          ? [] // an SST app's config (its globals, $config and $app, are SST's): no key of a fix's in it
          : /\.ts$|(?:^|\/)serverless\.[cm]?js$/.test(f.path)
            ? isServerlessTs(f.text)
              ? serverlessTsKeyPolicies(f.text)
              : runTsKeyPolicies(f.text)
            : [],
  );
}

/** One input per format kmsfix writes keys for (CDK: synthesized, in typescript-synth.test.ts). */
const INPUTS: { format: string; family: Family; files: string[] }[] = [
  { format: 'CloudFormation YAML', family: 'cloudformation', files: ['cloudformation/yaml-no-sse/input.yaml'] },
  { format: 'CloudFormation JSON', family: 'cloudformation', files: ['cloudformation/json-2space/input.json'] },
  { format: 'SAM', family: 'cloudformation', files: ['cloudformation/sam/input.yaml'] },
  { format: 'Serverless', family: 'cloudformation', files: ['cloudformation/serverless/input.yml'] },
  { format: 'Pulumi YAML', family: 'pulumi-yaml', files: ['pulumi-yaml/statuses/input.yaml'] },
  { format: 'Terraform', family: 'terraform', files: ['terraform/no-sse-block/input.tf'] },
  { format: 'Terraform, replicas in other Regions', family: 'terraform', files: ['terraform/replica-providers/input.tf'] },
  { format: 'Terraform JSON', family: 'terraform', files: ['terraform/tf-json/input.tf.json'] },
  { format: 'CDK for Terraform', family: 'typescript', files: ['typescript/cdktf/input.ts'] },
  { format: 'Pulumi TypeScript', family: 'typescript', files: ['typescript/pulumi/input.ts'] },
];

/** A key's verdicts, or the reason its policy could not be read (which fails the comparison). */
function judged(k: KeyPolicyFound): { key: string; verdicts: Record<string, string> | string } {
  return { key: k.key, verdicts: k.policy ? verdicts(k.policy, k.region) : `unreadable policy: ${k.problem}` };
}

function fixedFiles(files: string[], out: Map<string, string>): MemoryFile[] {
  return files.map((f) => ({
    path: path.basename(f).replace(/^input/, 'main'),
    text: out.get(path.basename(f).replace(/^input/, 'main'))!,
  }));
}

describe('the key policy, read back from every format, answers the same for every caller', () => {
  for (const denyDirectGrants of [false, true]) {
    for (const mode of KEY_POLICY_MODES) {
      for (const input of INPUTS) {
        it(`${mode}${denyDirectGrants ? ', key: deny_direct_grants' : ''}: ${input.format}`, async () => {
          const files = input.files.map((f) => ({
            path: path.basename(f).replace(/^input/, 'main'),
            text: readFileSync(path.join(FIXTURES, f), 'utf8'),
          }));
          // Replicas get keys only when their re-creation is accepted (src/rule/blockers.ts recreationEffect).
          const r = await processMemory(files, 'fix', {
            keyPolicy: mode,
            recreateReplicas: true,
            ...(denyDirectGrants ? { key: { denyDirectGrants } } : {}),
          });
          expect(r.outcomes.flatMap((o) => (o.error ? [o.error.message] : []))).toEqual([]);
          const before = new Set((await keyPolicies(input.family, files)).map((k) => k.key));
          const found = (await keyPolicies(input.family, fixedFiles(input.files, r.output))).filter((k) => !before.has(k.key));
          expect(found.length).toBeGreaterThan(0);
          for (const k of found) expect(judged(k)).toEqual({ key: k.key, verdicts: expectedVerdicts(mode, denyDirectGrants) });
        });
      }
    }
  }

  it('key: deny_direct_grants denies a grant created directly, not one DynamoDB creates for a caller', () => {
    const app = { kind: 'aws' as const, arn: `arn:aws:iam::${ACCOUNT}:role/app`, iam: ['kms:CreateGrant'] };
    const direct = { caller: app, action: 'kms:CreateGrant', context: { 'kms:CallerAccount': ACCOUNT } };
    const viaDynamo = {
      caller: app,
      action: 'kms:CreateGrant',
      context: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': `dynamodb.${REGION}.amazonaws.com`, 'kms:GrantIsForAWSResource': 'true' },
    };
    const doc = (mode: KeyPolicyMode, deny: boolean) =>
      policyDocument(
        mode,
        (t) => t.replace('{partition}', 'aws').replace('{account}', ACCOUNT).replace('{region}', REGION),
        deny,
      ) as unknown as PolicyDocument;
    for (const mode of KEY_POLICY_MODES) {
      expect(decide(doc(mode, false), direct), mode).toEqual({ decision: 'allow', by: ['AllowAccountFullAccessThroughIAM'] });
      expect(decide(doc(mode, true), direct), mode).toEqual({ decision: 'deny', by: ['DenyGrantsOutsideAWSServices'] });
      expect(decide(doc(mode, true), viaDynamo).decision, mode).toBe('allow');
    }
  });

  it('a replica key in another Region is usable through DynamoDB in its own Region only', async () => {
    const f = 'terraform/replica-providers/input.tf';
    const r = await processMemory([{ path: 'main.tf', text: readFileSync(path.join(FIXTURES, f), 'utf8') }], 'fix', {
      recreateReplicas: true,
    });
    const found = await keyPolicies('terraform', fixedFiles([f], r.output));
    const remote = found.filter((k) => k.region !== REGION);
    expect(remote.length).toBeGreaterThan(0);
    for (const k of remote) {
      if (!k.policy) throw new Error(`${k.key}: ${k.problem}`);
      const req = (region: string) => ({
        caller: { kind: 'aws' as const, arn: `arn:aws:iam::${ACCOUNT}:role/app`, iam: [] },
        action: 'kms:Decrypt',
        context: { 'kms:ViaService': `dynamodb.${region}.amazonaws.com`, 'kms:CallerAccount': ACCOUNT },
      });
      expect(decide(k.policy, req(k.region)).decision, k.key).toBe('allow');
      expect(decide(k.policy, req(REGION)).decision, k.key).toBe('deny');
    }
  });
});

describe('key: deny_direct_grants and a policy an earlier run wrote', () => {
  const TABLE = 'resource "aws_dynamodb_table" "audit" {\n  name     = "audit"\n  hash_key = "id"\n}\n';

  it('holdsKeyPolicy: the same mode, with the Deny exactly when asked', () => {
    const plain = JSON.stringify(policyDocument('drop-in', (t) => t));
    const denying = JSON.stringify(policyDocument('drop-in', (t) => t, true));
    expect([holdsKeyPolicy(plain, 'drop-in'), holdsKeyPolicy(plain, 'drop-in', true)]).toEqual([true, false]);
    expect([holdsKeyPolicy(denying, 'drop-in'), holdsKeyPolicy(denying, 'drop-in', true)]).toEqual([false, true]);
    expect(holdsKeyPolicy(JSON.stringify(policyDocument('iam', (t) => t, true)), 'drop-in', true)).toBe(false);
  });

  it('Terraform: a module policy document without the Deny is not reused for a key that must have it; one with it is', async () => {
    const fixed = readFileSync(path.join(FIXTURES, 'terraform/no-sse-block/expected.tf'), 'utf8');
    const r = await processMemory([{ path: 'main.tf', text: fixed + '\n' + TABLE }], 'fix', { key: { denyDirectGrants: true } });
    const out = r.output.get('main.tf')!;
    expect(out).toContain('data "aws_iam_policy_document" "dynamodb_kms_2" {');
    expect(out.split('DenyGrantsOutsideAWSServices').length - 1).toBe(1);
    expect(out).toContain('policy                  = data.aws_iam_policy_document.dynamodb_kms_2.json');
    // A second table, fixed with the same setting: the document with the Deny serves it.
    const again = await processMemory([{ path: 'main.tf', text: out + '\n' + TABLE.replace(/audit/g, 'ledger') }], 'fix', {
      key: { denyDirectGrants: true },
    });
    const twice = again.output.get('main.tf')!;
    expect(twice).not.toContain('dynamodb_kms_3');
    expect(twice.split('data.aws_iam_policy_document.dynamodb_kms_2.json').length - 1).toBe(2);
  });

  it('Pulumi TypeScript: a helper without the Deny is not reused; a new one, said in its comment, is written', async () => {
    const fixed = readFileSync(path.join(FIXTURES, 'typescript/pulumi/expected.ts'), 'utf8');
    const table =
      "\nexport const audit = new aws.dynamodb.Table('audit', {\n  attributes: [{ name: 'id', type: 'S' }],\n  hashKey: 'id',\n});\n";
    const r = await processMemory([{ path: 'index.ts', text: fixed + table }], 'fix', { key: { denyDirectGrants: true } });
    const out = r.output.get('index.ts')!;
    expect(out).toContain('function dynamoDbKeyPolicy2(');
    expect(out).toMatch(/used only through DynamoDB\. No\n \* grant outside AWS services\.\n \*\/\nfunction dynamoDbKeyPolicy2\(/);
    expect(out.split('DenyGrantsOutsideAWSServices').length - 1).toBe(1);
    expect(out).toContain('policy: dynamoDbKeyPolicy2(');
  });
});

describe('every key in the expected fixture outputs has the policy of its mode', () => {
  for (const family of ['cloudformation', 'pulumi-yaml', 'terraform', 'typescript'] as Family[]) {
    for (const c of fixtureCases(family)) {
      // CDK programs are judged once synthesized (typescript-synth.test.ts); --kms-key-arn generates no key.
      if (c.options.kmsKeyArn || (family === 'typescript' && c.name.startsWith('cdk-'))) continue;
      // A case kmsfix leaves as it is (its tables not fixable) has no generated key to judge, and its
      // program may require a package the stand-ins do not know (pulumi-webiny-factory: @webiny/pulumi).
      if (c.expected.every((f) => f.text === c.input.find((i) => i.path === f.path)?.text)) continue;
      // A case whose fix writes no key (a table's own key kept, SSEType added beside it: cloudformation/untyped-key-json,
      // typescript/serverless-ts-untyped-key; its switch turned on beside it: terraform/enabled-false-own-key,
      // pulumi-yaml/enabled-false-own-key, typescript/pulumi-enabled-false-own-key and cdktf-enabled-false-own-key).
      // Keys as each writes them (a TypeScript program's: Pulumi's kms.Key, CDK for Terraform's KmsKey, a serverless.ts's resource).
      const words =
        family === 'terraform'
          ? ['"aws_kms_key"']
          : family === 'pulumi-yaml'
            ? ['aws:kms:Key']
            : family === 'typescript'
              ? ['kms.Key(', 'KmsKey(', 'AWS::KMS::Key']
              : ['AWS::KMS::Key'];
      const keys = (files: typeof c.input) => files.reduce((n, f) => n + words.reduce((m, w) => m + f.text.split(w).length - 1, 0), 0);
      if (keys(c.expected) === keys(c.input)) continue;
      it(`${family}/${c.name}`, async () => {
        const before = new Set((await keyPolicies(family, c.input)).map((k) => k.key));
        const after = (await keyPolicies(family, c.expected)).filter((k) => !before.has(k.key));
        const mode = (c.options.keyPolicy as KeyPolicyMode | undefined) ?? 'drop-in';
        const deny = (c.options.key as { denyDirectGrants?: boolean } | undefined)?.denyDirectGrants === true;
        // A fix that changed the file without generating a key would leave nothing to judge here.
        expect(after.length, 'generated keys found in the expected output').toBeGreaterThan(0);
        for (const k of after) expect(judged(k)).toEqual({ key: k.key, verdicts: expectedVerdicts(mode, deny) });
      });
    }
  }
});

describe('the evaluator itself', () => {
  const allowAll: PolicyDocument = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] };
  it('denies what is explicitly denied, even when allowed', () => {
    const doc: PolicyDocument = {
      Statement: [...allowAll.Statement, { Sid: 'NoDecrypt', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:Decrypt' }],
    };
    const caller = { kind: 'aws' as const, arn: `arn:aws:iam::${ACCOUNT}:role/app`, iam: [] };
    expect(decide(doc, { caller, action: 'kms:Decrypt', context: {} })).toEqual({ decision: 'deny', by: ['NoDecrypt'] });
    expect(decide(doc, { caller, action: 'kms:Encrypt', context: {} }).decision).toBe('allow');
  });
  it('treats the account root principal as delegation to IAM', () => {
    const doc: PolicyDocument = { Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*' }] };
    const role = (iam: string[]) => ({ kind: 'aws' as const, arn: `arn:aws:iam::${ACCOUNT}:role/app`, iam });
    expect(decide(doc, { caller: role([]), action: 'kms:Decrypt', context: {} }).decision).toBe('deny');
    expect(decide(doc, { caller: role(['kms:De*']), action: 'kms:Decrypt', context: {} }).decision).toBe('allow');
  });
  it('refuses a condition operator it does not know', () => {
    const doc: PolicyDocument = {
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Condition: { ArnLike: { 'aws:PrincipalArn': 'x' } } }],
    };
    expect(() => decide(doc, { caller: { kind: 'service', service: 's' }, action: 'kms:Decrypt', context: {} })).toThrow(/ArnLike/);
  });
});
