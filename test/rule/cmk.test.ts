/**
 * The CMK rule over neutral facts (src/rule/cmk.ts, evaluate.ts): a table of facts -> verdict, in
 * each format's vocabulary (the words the formats really pass, imported from their detect.ts; Terraform's words.ts). The
 * same facts give the same status in every vocabulary; only the words differ.
 */
import { describe, expect, it } from 'vitest';
import { WORDS as CFN } from '../../src/formats/cloudformation/words.js';
import { detectCloudFormation } from '../../src/formats/cloudformation/detect.js';
import { WORDS as PULUMI_YAML } from '../../src/formats/pulumi-yaml/words.js';
import { detectTerraform } from '../../src/formats/terraform/detect.js';
import { WORDS as TF } from '../../src/formats/terraform/words.js';
import { WORDS as TS } from '../../src/formats/typescript/words.js';
import { detectTypeScript } from '../../src/formats/typescript/detect.js';
import { assess, messageOf, ownKeyFix, switchOnlyFix } from '../../src/rule/cmk.js';
import { judge } from '../../src/rule/evaluate.js';
import {
  ABSENT,
  type EncryptionFacts,
  type Obstacle,
  type Replicas,
  type Setting,
  type Settings,
  type Vocabulary,
} from '../../src/rule/facts.js';
import { EXPLAIN } from '../../src/rule/status.js';
import type { TableFacts } from '../../src/core/types.js';

const lit = (source: string, more: Partial<Setting> = {}): Setting => ({ state: 'literal', source, ...more });
const expr = (source: string, more: Partial<Setting> = {}): Setting => ({ state: 'expression', source, ...more });
const ref = (source: string): Setting => ({ state: 'reference', source });
const unreadable = (why: string): Setting => ({ state: 'unreadable', source: why });
const BLOCK = lit('');

const facts = (words: Vocabulary, settings: Settings, more: Partial<EncryptionFacts> = {}): EncryptionFacts => ({
  peerKind: 'code',
  words,
  settings,
  obstacles: [],
  ...more,
});

/** Status and message, as a report shows them before suppressions. */
const verdict = (f: EncryptionFacts) => {
  const a = assess(f);
  return { status: a.status, message: messageOf(a), ...(a.blocker === undefined ? {} : { blocker: a.blocker }) };
};

const owned = (reason: string) => ({ status: 'aws-owned', message: `${reason}: ${EXPLAIN.awsOwned}` });
const managed = (reason: string) => ({ status: 'aws-managed', message: `${reason}: ${EXPLAIN.awsManaged}` });
const unknown = (reason: string) => ({ status: 'unknown', message: `${reason}: ${EXPLAIN.unknown}` });
const customer = (reason: string) => ({ status: 'customer-managed', message: reason });

describe('one SSE block, in each format vocabulary', () => {
  // The same neutral facts, and what each vocabulary makes of them.
  const cases: { facts: Settings; cfn: object; tf: object; pulumiYaml: object; cfnTable: object; tfShaped: object }[] = [
    {
      facts: { model: 'sse', block: ABSENT },
      cfn: owned('No SSESpecification'),
      tf: owned('no server_side_encryption block'),
      pulumiYaml: owned('No serverSideEncryption'),
      cfnTable: owned('No sseSpecification'),
      tfShaped: owned('No serverSideEncryption'),
    },
    {
      facts: { model: 'sse', block: expr('!Ref Sse') },
      cfn: unknown('SSESpecification is !Ref Sse'),
      tf: unknown('server_side_encryption is !Ref Sse'),
      pulumiYaml: unknown('serverSideEncryption is !Ref Sse'),
      cfnTable: unknown('sseSpecification is !Ref Sse'),
      tfShaped: unknown('serverSideEncryption is !Ref Sse'),
    },
    {
      facts: { model: 'sse', block: BLOCK, enabled: ABSENT, key: ABSENT },
      cfn: owned('SSESpecification has no SSEEnabled (false by default)'),
      tf: owned('server_side_encryption.enabled is not set'),
      pulumiYaml: owned('serverSideEncryption is not enabled'),
      cfnTable: owned('sseSpecification has no sseEnabled (false by default)'),
      tfShaped: owned('serverSideEncryption.enabled is not true'),
    },
    {
      facts: { model: 'sse', block: BLOCK, enabled: lit('false', { bool: false }), key: ref('k') },
      cfn: owned('SSEEnabled is false'),
      tf: owned('server_side_encryption.enabled = false'),
      pulumiYaml: owned('serverSideEncryption is not enabled'),
      cfnTable: owned('sseEnabled is false'),
      tfShaped: owned('serverSideEncryption.enabled is not true'),
    },
    {
      facts: { model: 'sse', block: BLOCK, enabled: expr('var.on') },
      cfn: unknown('SSEEnabled is var.on'),
      tf: unknown('server_side_encryption.enabled is the expression `var.on`'),
      pulumiYaml: unknown('enabled is var.on'),
      cfnTable: unknown('sseEnabled is var.on'),
      tfShaped: unknown('serverSideEncryption.enabled is var.on'),
    },
    {
      // A literal that is not a boolean is as undecided as an expression.
      facts: { model: 'sse', block: BLOCK, enabled: lit('yes') },
      cfn: unknown('SSEEnabled is yes'),
      tf: unknown('server_side_encryption.enabled is the expression `yes`'),
      pulumiYaml: unknown('enabled is yes'),
      cfnTable: unknown('sseEnabled is yes'),
      tfShaped: unknown('serverSideEncryption.enabled is yes'),
    },
    {
      facts: { model: 'sse', block: BLOCK, enabled: lit('true', { bool: true }), key: ABSENT },
      cfn: managed('SSE is enabled with no KMSMasterKeyId'),
      tf: managed('no server_side_encryption.kms_key_arn'),
      pulumiYaml: managed('SSE is enabled with no kmsKeyArn'),
      cfnTable: managed('encryption is enabled with no kmsMasterKeyId'),
      tfShaped: managed('encryption is enabled with no kmsKeyArn'),
    },
    {
      facts: {
        model: 'sse',
        block: BLOCK,
        enabled: lit('true', { bool: true }),
        key: lit('"alias/aws/dynamodb"', { text: 'alias/aws/dynamodb' }),
      },
      cfn: managed('KMSMasterKeyId is "alias/aws/dynamodb"'),
      tf: managed('kms_key_arn = "alias/aws/dynamodb"'),
      pulumiYaml: managed('kmsKeyArn is "alias/aws/dynamodb"'),
      cfnTable: managed('kmsMasterKeyId is "alias/aws/dynamodb"'),
      tfShaped: managed('kmsKeyArn is "alias/aws/dynamodb"'),
    },
    {
      facts: { model: 'sse', block: BLOCK, enabled: lit('true', { bool: true }), key: ref('aws_kms_key.k.arn') },
      cfn: customer('Encrypted with customer-managed key aws_kms_key.k.arn'),
      tf: customer('encrypted with the customer-managed key aws_kms_key.k.arn'),
      pulumiYaml: customer('Encrypted with customer-managed key aws_kms_key.k.arn'),
      cfnTable: customer('Encrypted with customer-managed key aws_kms_key.k.arn'),
      tfShaped: customer('Encrypted with customer-managed key aws_kms_key.k.arn'),
    },
    {
      facts: { model: 'sse', block: unreadable('serverSideEncryption may come from the spread ...defaults') },
      cfn: unknown('serverSideEncryption may come from the spread ...defaults'),
      tf: unknown('serverSideEncryption may come from the spread ...defaults'),
      pulumiYaml: unknown('serverSideEncryption may come from the spread ...defaults'),
      cfnTable: unknown('serverSideEncryption may come from the spread ...defaults'),
      tfShaped: unknown('serverSideEncryption may come from the spread ...defaults'),
    },
  ];
  const vocabularies = { cfn: CFN, tf: TF.table, pulumiYaml: PULUMI_YAML, cfnTable: TS.CfnTable, tfShaped: TS.PulumiTable } as const;

  for (const c of cases) {
    for (const [name, words] of Object.entries(vocabularies)) {
      it(`${name}: ${JSON.stringify(c.facts)}`, () => {
        expect(verdict(facts(words, c.facts))).toEqual(c[name as keyof typeof vocabularies]);
      });
    }
  }

  it('the same facts give the same status in every vocabulary; only the words differ', () => {
    for (const c of cases) {
      const statuses = new Set(Object.values(vocabularies).map((w) => assess(facts(w, c.facts)).status));
      expect(statuses.size).toBe(1);
    }
  });
});

describe('the key', () => {
  const on = (key: Setting): Settings => ({ model: 'sse', block: BLOCK, enabled: lit('true', { bool: true }), key });

  it('names the AWS managed key: its alias or ARN, null, an empty string, or an expression known to end with the alias', () => {
    for (const key of [
      lit('alias/aws/dynamodb', { text: 'alias/aws/dynamodb' }),
      lit('arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb', { text: 'arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb' }),
      lit('null'),
      lit("''", { text: '' }),
      expr("!Sub 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/dynamodb'", {
        text: 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/dynamodb',
      }),
    ]) {
      expect(assess(facts(CFN, on(key))).status, key.source).toBe('aws-managed');
    }
  });

  it('any other literal, reference or expression is a customer-managed key; an unreadable one is unknown', () => {
    expect(verdict(facts(CFN, on(lit('arn:aws:kms:eu-west-1:1:key/k', { text: 'arn:aws:kms:eu-west-1:1:key/k' }))))).toEqual(
      customer('Encrypted with customer-managed key arn:aws:kms:eu-west-1:1:key/k'),
    );
    expect(assess(facts(CFN, on(expr("!Sub 'arn:aws:kms:${AWS::Region}:1:key/k'")))).status).toBe('customer-managed');
    expect(verdict(facts(CFN, on(unreadable('KMSMasterKeyId is chosen by Fn::If (!If [c, a, b])'))))).toEqual(
      unknown('KMSMasterKeyId is chosen by Fn::If (!If [c, a, b])'),
    );
  });

  it('an SSEType that is not a literal is unknown (CloudFormation), after the switch', () => {
    const s: Settings = { model: 'sse', block: BLOCK, enabled: lit('true', { bool: true }), sseType: expr('!Ref T'), key: ABSENT };
    expect(verdict(facts(CFN, s))).toEqual(unknown('SSEType is !Ref T'));
    expect(assess(facts(CFN, { ...s, sseType: lit('KMS') })).status).toBe('aws-managed');
  });

  it('settings the format does not have are not asked for: a Terraform replica resource has only its key', () => {
    expect(verdict(facts(TF['table-replica'], { model: 'sse', key: ABSENT }))).toEqual(managed('no kms_key_arn'));
    expect(verdict(facts(TF.module, { model: 'sse', enabled: ABSENT, key: ABSENT }))).toEqual(
      owned('server_side_encryption_enabled is not set'),
    );
  });

  it('what holds the settings cannot be read: unknown', () => {
    expect(verdict(facts(CFN, { model: 'unreadable', container: expr('!If [c, {}, {}]') }))).toEqual(
      unknown('Properties is !If [c, {}, {}]'),
    );
  });
});

describe('a choice of key (CDK)', () => {
  const choice = (s: Setting, more: { key?: Setting; enabled?: Setting } = {}): Settings => ({ model: 'choice', choice: s, ...more });
  const sym = (source: string, means: Setting['means']) => ({ state: 'reference' as const, source, means });

  it('Table: TableEncryption members, encryptionKey, serverSideEncryption, and the default', () => {
    expect(verdict(facts(TS.Table, choice(sym('TableEncryption.AWS_MANAGED', 'aws-managed'))))).toEqual(
      managed('encryption is TableEncryption.AWS_MANAGED'),
    );
    expect(verdict(facts(TS.Table, choice(sym('TableEncryption.CUSTOMER_MANAGED', 'customer-managed'))))).toEqual(
      customer('encryption is TableEncryption.CUSTOMER_MANAGED: CDK creates a customer-managed key for the table'),
    );
    expect(verdict(facts(TS.Table, choice(sym('TableEncryption.CUSTOMER_MANAGED', 'customer-managed'), { key: ref('key') })))).toEqual(
      customer('Encrypted with customer-managed key key'),
    );
    expect(verdict(facts(TS.Table, choice(expr('props.encryption'))))).toEqual(unknown('encryption is props.encryption'));
    expect(verdict(facts(TS.Table, choice(ABSENT, { key: ref('key') })))).toEqual(customer('Encrypted with customer-managed key key'));
    expect(verdict(facts(TS.Table, choice(ABSENT, { enabled: lit('true', { bool: true }) })))).toEqual(
      managed('serverSideEncryption is true'),
    );
    expect(verdict(facts(TS.Table, choice(ABSENT, { enabled: expr('flag') })))).toEqual(unknown('serverSideEncryption is flag'));
    expect(verdict(facts(TS.Table, choice(ABSENT, { enabled: lit('false', { bool: false }) })))).toEqual(
      owned('No encryption (TableEncryption.DEFAULT)'),
    );
  });

  it('TableV2: TableEncryptionV2 calls and the default', () => {
    expect(verdict(facts(TS.TableV2, choice(ABSENT)))).toEqual(owned('No encryption (TableEncryptionV2.dynamoOwnedKey())'));
    expect(verdict(facts(TS.TableV2, choice(sym('TableEncryptionV2.customerManagedKey(key)', 'customer-managed'))))).toEqual(
      customer('Encrypted with customer-managed key (encryption is TableEncryptionV2.customerManagedKey(key))'),
    );
  });
});

describe('replicas', () => {
  const top: Settings = { model: 'sse', block: BLOCK, enabled: lit('true', { bool: true }) };
  const replica = (region: string, local: boolean, key: Setting) => ({
    source: region,
    readable: true,
    region: { source: region, local },
    key,
  });
  const own = (items: Replicas['items'], fix: Replicas['fix'] = 'local'): Replicas => ({ keys: 'own', list: lit('[...]'), items, fix });
  const ALIAS = lit('alias/aws/dynamodb', { text: 'alias/aws/dynamodb' });

  it("a global table: the replicas' keys decide; a fix sets the key of the one replica in the stack's Region", () => {
    const one = facts(CFN, top, { replicas: own([replica('!Ref AWS::Region', true, ABSENT)]) });
    expect(assess(one)).toEqual({
      status: 'aws-managed',
      reason: 'SSE is enabled with no replica !Ref AWS::Region KMSMasterKeyId',
      replica: 0,
    });
    const done = facts(CFN, top, { replicas: own([replica('!Ref AWS::Region', true, ref('!Ref Key'))]) });
    expect(verdict(done)).toEqual(customer('Every replica is encrypted with a customer-managed key'));
  });

  it('a global table with a replica elsewhere, or two to set, is left to the user, with the Regions', () => {
    const remote = assess(
      facts(CFN, top, { replicas: own([replica('!Ref AWS::Region', true, ABSENT), replica('eu-west-1', false, ALIAS)]) }),
    );
    expect(remote.status).toBe('aws-managed');
    expect(remote.blocker).toBe(
      'a KMS key serves one Region: deploy a customer-managed key (or a multi-Region replica key) in eu-west-1 ' +
        "and set each such replica's SSESpecification.KMSMasterKeyId to its ARN; kmsfix never half-fixes a global table",
    );
    expect(remote.replica).toBeUndefined();
    const twoLocal = assess(facts(CFN, top, { replicas: own([replica('a', true, ABSENT), replica('b', true, ABSENT)]) }));
    expect(twoLocal.blocker).toContain('in each replica Region and');
  });

  it('the first replica whose key cannot be read decides an unknown status (and no blocker)', () => {
    const f = facts(CFN, top, {
      replicas: own([replica('a', true, ALIAS), replica('b', false, unreadable('first')), replica('c', false, unreadable('second'))]),
    });
    expect(verdict(f)).toEqual(unknown('first'));
  });

  it("a global table's own settings come first; a list that cannot be read blocks the fix", () => {
    const f = facts(CFN, { model: 'sse', block: ABSENT }, { replicas: { keys: 'own', list: expr('!Ref R'), items: [], fix: 'local' } });
    expect(verdict(f)).toEqual({ ...owned('No SSESpecification'), blocker: 'Replicas is not a plain list: set each replica key by hand' });
    const g = facts(CFN, top, { replicas: { keys: 'own', list: ABSENT, items: [], fix: 'local' } });
    expect(verdict(g)).toEqual(unknown('Replicas is '));
  });

  it('a format whose fix sets no replica key blocks every global table it would fix', () => {
    const f = facts(TS.CfnGlobalTable, { model: 'sse', block: ABSENT }, { replicas: own([], 'none') });
    expect(verdict(f)).toEqual({
      ...owned('No sseSpecification'),
      blocker:
        'a KMS key serves one Region: deploy a customer-managed key (or a multi-Region replica key) in each replica Region and set ' +
        "each such replica's key ARN by hand; kmsfix never half-fixes a global table",
    });
  });

  it("replicas that override the table's key: one without a key of its own decides, and is left to the user", () => {
    const cmk: Settings = { model: 'sse', block: BLOCK, enabled: lit('true', { bool: true }), key: ref('key.arn') };
    const override = (items: Replicas['items'], list: Setting = lit('[...]')): Replicas => ({ keys: 'override', list, items, fix: 'none' });
    const noKey = { source: '{ regionName: "a" }', readable: true, key: ABSENT };
    const f = assess(facts(TS.PulumiTable, cmk, { replicas: override([noKey]) }));
    expect(f.status).toBe('aws-managed');
    expect(f.reason).toBe('encryption is enabled with no replica kmsKeyArn');
    expect(f.blocker).toContain("each such replica's key ARN by hand");
    expect(assess(facts(TS.PulumiTable, cmk, { replicas: override([], ABSENT) })).status).toBe('customer-managed');
    expect(verdict(facts(TS.PulumiTable, cmk, { replicas: override([{ source: 'x', readable: false, key: ABSENT }]) }))).toEqual(
      unknown('replica x'),
    );
    // A table the fix would change, with replicas: left to the user; with none (or an empty list): fixable.
    const off: Settings = { model: 'sse', block: ABSENT };
    expect(assess(facts(TS.PulumiTable, off, { replicas: override([noKey]) })).blocker).toBeDefined();
    expect(assess(facts(TS.PulumiTable, off, { replicas: override([]) })).blocker).toBeUndefined();
  });
});

describe('obstacles', () => {
  const off: Settings = { model: 'sse', block: ABSENT };
  const blockerOf = (words: Vocabulary, settings: Settings, obstacles: Obstacle[]) => assess(facts(words, settings, { obstacles })).blocker;

  it('count for a table a fix would change; a few also for an unknown one; none for a customer-managed one', () => {
    const unknownTable: Settings = { model: 'sse', block: expr('var.sse') };
    const cmk: Settings = { model: 'sse', block: BLOCK, enabled: lit('true', { bool: true }), key: ref('k') };
    expect(blockerOf(TS.TableV2, off, [{ kind: 'region-agnostic-stack' }])).toMatch(/^its stack is Region-agnostic/);
    expect(blockerOf(TS.TableV2, off, [{ kind: 'region-agnostic-stack', by: 'pulumi-cdk' }])).toMatch(
      /@pulumi\/cdk Stack.*props: \{ env: app\.env \}/,
    );
    expect(blockerOf(TS.TableV2, unknownTable, [{ kind: 'region-agnostic-stack' }])).toBeUndefined();
    expect(blockerOf(TF.table, unknownTable, [{ kind: 'dynamic-replicas' }])).toMatch(/^its replicas come from a dynamic "replica" block/);
    expect(blockerOf(TF.table, cmk, [{ kind: 'dynamic-replicas' }])).toBeUndefined();
  });

  it('the first in the rule order is the blocker, whatever order the format found them in', () => {
    const policy: Obstacle = { kind: 'resource-policy', policy: 'aws_dynamodb_resource_policy.p', others: ['444455556666'] };
    const provider: Obstacle = { kind: 'replica-provider', region: '"eu-west-1"', alias: 'eu_west_1' };
    expect(blockerOf(TF.table, off, [policy, provider])).toMatch(
      /^no provider "aws" configuration with an alias for replica region "eu-west-1"/,
    );
    const grants: Obstacle = { kind: 'cross-account-grants', grants: ['account 1'] };
    const anchor: Obstacle = { kind: 'yaml-anchor', anchor: 'p', holds: 'container', sites: ['Resources.Copy.Metadata.Props'] };
    expect(blockerOf(CFN, off, [anchor, grants])).toMatch(/^its ResourcePolicy lets in account 1,/);
  });

  it("are worded in the format's terms", () => {
    const policy: Obstacle = {
      kind: 'resource-policy',
      policy: 'aws_dynamodb_resource_policy.p',
      others: ['444455556666', '*'],
      ownAccounts: "the provider's allowed_account_ids",
    };
    expect(blockerOf(TF.module, off, [policy])).toBe(
      'its resource policy aws_dynamodb_resource_policy.p grants principals of account 444455556666 and any account ("*"), and ' +
        "a key kmsfix generates lets only the table's own account use it (kms:CallerAccount), so they would lose access. " +
        'By hand: give the table a key whose policy also lets those accounts use it through DynamoDB (kms:CallerAccount), and set ' +
        "server_side_encryption_kms_key_arn to it (if 444455556666 is the table's own account, list it in the provider's allowed_account_ids and kmsfix fixes the table)",
    );
    const anchor: Obstacle = { kind: 'yaml-anchor', anchor: 'sse', holds: 'block', sites: ['outputs.sse'] };
    expect(blockerOf(PULUMI_YAML, off, [anchor])).toBe(
      'its serverSideEncryption is the YAML anchor &sse, which outputs.sse also uses (*sse): changing it would change them too; ' +
        'give this table its own serverSideEncryption and run kmsfix again',
    );
    const many: Obstacle = { kind: 'cross-account-grants', grants: ['a', 'b', 'c', 'd', 'e'] };
    expect(blockerOf(CFN, off, [many])).toMatch(/^its ResourcePolicy lets in a, b, c and 2 more, which/);
  });
});

describe('judge: what a report shows', () => {
  const table = (encryption: EncryptionFacts, suppressions: TableFacts['suppressions'] = []): TableFacts => ({
    line: 1,
    column: 1,
    format: 'cloudformation',
    type: 'AWS::DynamoDB::Table',
    address: 'T',
    encryption,
    suppressions,
  });
  const managedCfn = facts(
    CFN,
    { model: 'sse', block: BLOCK, enabled: lit('true', { bool: true, raw: true }), key: ABSENT },
    { peerKind: 'cfn-table' },
  );

  it('peer verdicts come from the raw side of the same facts', () => {
    expect(judge(table(managedCfn)).peers).toEqual({
      checkov: ['CKV_AWS_119'],
      trivy: ['AVD-AWS-0025'],
      kics: [],
      'cfn-nag': [],
      'cfn-guard': ['DYNAMODB_TABLE_ENCRYPTED_KMS'],
      'aws-config': [],
    });
  });

  it('a suppression under strict, under its own tool, and not under another', () => {
    const t = table(managedCfn, [{ tool: 'checkov', text: 'checkov:skip=CKV_AWS_119' }]);
    const strict = judge(t);
    expect(strict.status).toBe('suppressed');
    expect(strict.message).toBe(
      `Suppressed by checkov:skip=CKV_AWS_119; without it: aws-managed: SSE is enabled with no KMSMasterKeyId: ${EXPLAIN.awsManaged}`,
    );
    expect(strict.compliant).toBe(true);
    expect(strict.fixable).toBe(false);
    expect(judge(t, { profile: 'checkov' }).compliant).toBe(true);
    const trivy = judge(t, { profile: 'trivy' });
    expect([trivy.status, trivy.compliant]).toEqual(['aws-managed', false]);
    // Fixing follows kmsfix's own rule whatever the profile: suppressed under strict, so not fixed.
    expect(trivy.fixable).toBe(false);
  });

  it('the AWS managed key accepted; test code left alone unless asked; a blocker told when the table fails', () => {
    expect(judge(table(managedCfn), { acceptAwsManaged: true })).toMatchObject({ compliant: true, fixable: false });
    const inTests = judge(table(managedCfn), { test: true });
    expect(inTests).toMatchObject({ fixable: false, testCode: true });
    expect(inTests.message).toMatch(/\. Left alone: test code \(fixed with --include-tests\)$/);
    expect(judge(table(managedCfn), { test: true, includeTests: true })).toMatchObject({ fixable: true });
    const blocked = { ...managedCfn, obstacles: [{ kind: 'yaml-merge-key' } as Obstacle] };
    const j = judge(table(blocked));
    expect(j.fixable).toBe(false);
    expect(j.blocker).toBe('Properties comes from a YAML merge key (<<): give the table its own Properties (e.g. `<<: *defaults` in it)');
    expect(j.message).toMatch(/\. Not fixable automatically: Properties comes from a YAML merge key/);
    expect(judge(table(blocked), { acceptAwsManaged: true }).message).not.toMatch(/Not fixable/);
  });
});

describe('formats adapt, the rule decides: from source to verdict', () => {
  const file = (path: string, text: string) => ({ path, absPath: `/${path}`, text });

  it('a global table with two replicas whose keys cannot be read names the first, in CloudFormation as in CDK', async () => {
    const cfn = detectCloudFormation(
      file(
        't.yaml',
        'Resources:\n  G:\n    Type: AWS::DynamoDB::GlobalTable\n    Properties:\n      SSESpecification:\n        SSEEnabled: true\n' +
          '      Replicas:\n        - Region: a\n          SSESpecification:\n            KMSMasterKeyId: !If [c, x, y]\n' +
          '        - Region: b\n          SSESpecification:\n            KMSMasterKeyId: { a: b }\n',
      ),
    );
    expect(judge(cfn.tables[0]).message).toBe(`KMSMasterKeyId is chosen by Fn::If (!If [c, x, y]): ${EXPLAIN.unknown}`);
    const cdk = detectTypeScript(
      file(
        's.ts',
        "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nnew dynamodb.CfnGlobalTable(this, 'G', { keySchema: [], sseSpecification: { sseEnabled: true }, " +
          'replicas: [{ region: "a", sseSpecification: { ...first } }, { region: "b", sseSpecification: { ...second } }] });\n',
      ),
    );
    expect(judge(cdk.tables[0]).message).toBe(`kmsMasterKeyId may come from the spread ...first: ${EXPLAIN.unknown}`);
  });

  it('peers read the raw side: a module call by its inputs or a block in it, a template whose Properties cannot be read as no block', async () => {
    const tf = await detectTerraform(
      file(
        'main.tf',
        'module "m" {\n  source = "terraform-aws-modules/dynamodb-table/aws"\n  server_side_encryption {\n    enabled = false\n  }\n}\n',
      ),
    );
    const j = judge(tf.tables[0]);
    expect([j.status, j.peers]).toEqual([
      'aws-owned',
      { kics: ['ce089fd4-1406-47bd-8aad-c259772bb294'], 'aws-config': ['DYNAMODB_TABLE_ENCRYPTED_KMS'] },
    ]);
    const cfn = detectCloudFormation(file('t.yaml', 'Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties: !If [c, {}, {}]\n'));
    expect(judge(cfn.tables[0])).toMatchObject({
      status: 'unknown',
      peers: {
        checkov: ['CKV_AWS_119'],
        trivy: ['AVD-AWS-0025'],
        kics: ['c8dee387-a2e6-4a73-a942-183c975549ac', '4bd21e68-38c1-4d58-acdc-6a14b203237f'],
        'cfn-nag': ['W74'],
        'cfn-guard': ['DYNAMODB_TABLE_ENCRYPTED_KMS', 'DYNAMODB_TABLE_MUST_BE_ENCRYPTED'],
        'aws-config': ['DYNAMODB_TABLE_ENCRYPTED_KMS'],
      },
    });
  });
});

describe('a switch off beside a key of the table’s own (switchedOff: a fix turns the switch on alone)', () => {
  const off = lit('false', { bool: false });
  const sse = (key: Setting, more: Partial<Extract<Settings, { model: 'sse' }>> = {}): Settings => ({
    model: 'sse',
    block: BLOCK,
    enabled: off,
    key,
    ...more,
  });
  it('a customer-managed key: the switch alone (the table stays aws-owned until then)', () => {
    const f = facts(TF.table, sse(ref('aws_kms_key.orders.arn')));
    expect([assess(f).status, switchOnlyFix(f), ownKeyFix(f)]).toEqual(['aws-owned', true, true]);
  });
  it('the AWS managed key, a key that cannot be read, no key, a switch read through an input: as any switched-off table', () => {
    for (const s of [
      sse(lit('"alias/aws/dynamodb"', { text: 'alias/aws/dynamodb' })),
      sse(unreadable('the key is a placeholder')),
      sse(ABSENT),
      sse(ref('k'), { enabled: lit('false', { bool: false, via: 'parameter On' }) }),
      sse(ref('k'), { enabled: expr('var.on') }),
    ])
      expect(switchOnlyFix(facts(TF.table, s)), JSON.stringify(s)).toBe(false);
  });
  it('CloudFormation without SSEType: the switch and the type, the key kept', () => {
    const f = facts(CFN, sse(ref('OrdersKey'), { keyNeedsType: true, sseType: ABSENT }));
    expect(ownKeyFix(f)).toBe(true);
  });
  it('a replica without a key of its own: the fix must give it one (as today)', () => {
    const replicas: Replicas = {
      keys: 'override',
      list: lit(''),
      items: [{ source: 'replica {}', readable: true, region: { source: 'us-west-2', local: false }, key: ABSENT }],
      fix: 'all',
    };
    expect(switchOnlyFix(facts(TF.table, sse(ref('k')), { replicas }))).toBe(false);
  });
});
