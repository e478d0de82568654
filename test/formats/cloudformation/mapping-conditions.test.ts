/**
 * Conditions that read the template's Mappings (`Fn::FindInMap` inside `Fn::Equals`). kmsfix evaluated
 * conditions over parameters only, and only in the environments of a SAM configuration: a table whose
 * `SSESpecification: !If [EncryptResourceData, {customer-managed key}, {SSEEnabled: false}]` reads a
 * condition comparing a Mapping of literal keys to "True" (aws-solutions/aws-ops-automator, five tables)
 * was unknown, though every deploy takes the customer-managed branch. A lookup is now read: literal names
 * and keys, a parameter's value in each environment or its AllowedValues, and any key of the level for a
 * pseudo parameter (AWS::Region) or a parameter that may be anything (a deploy looking up a key the Mapping
 * lacks fails). A condition true in some deploys and false in others stays unknown, as before.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** A template whose table's SSESpecification is the customer-managed key where `condition` is true, nothing else. */
const template = (mappings: string, condition: string, parameters = '') => `AWSTemplateFormatVersion: '2010-09-09'
${parameters ? `Parameters:\n${parameters}` : ''}
Mappings:
${mappings}
Conditions:
  Encrypt: ${condition}
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      SSESpecification: !If
        - Encrypt
        - SSEEnabled: true
          SSEType: KMS
          KMSMasterKeyId: ${ARN}
        - SSEEnabled: false
`;

const REGIONS = `  Regions:
    us-east-1: {Encrypt: 'yes', Other: 'yes'}
    eu-west-1: {Encrypt: 'no', Other: 'yes'}`;
const STAGES = `  Stages:
    dev: {Encrypt: 'no'}
    prod: {Encrypt: 'yes'}
    qa: {Encrypt: 'yes'}`;
const STAGE = (allowed: string) => `  Stage:\n    Type: String\n    Default: prod\n${allowed ? `    AllowedValues: ${allowed}\n` : ''}`;

async function scan(files: Record<string, string>) {
  const r = await processMemory(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    'scan',
  );
  const t = r.outcomes.find((o) => o.file.path === 'app/template.yaml')!.tables[0];
  return { status: t.status, fixable: t.fixable, reason: t.reason };
}

describe('a condition that reads a Mapping', () => {
  it.each([
    [
      'literal keys (the ops-automator shape)',
      `  Settings:\n    Resources: {EncryptResourceData: 'True'}`,
      "!Equals [!FindInMap [Settings, Resources, EncryptResourceData], 'True']",
    ],
    [
      'the long form, inside Fn::Not',
      `  Settings:\n    Resources: {Plain: 'False'}`,
      "{Fn::Not: [{Fn::Equals: [{Fn::FindInMap: [Settings, Resources, Plain]}, 'True']}]}",
    ],
    [
      'AWS::Region: every Region of the Mapping gives the same value',
      REGIONS,
      "!Equals [!FindInMap [Regions, !Ref 'AWS::Region', Other], 'yes']",
    ],
    [
      'a parameter whose AllowedValues each give the same value',
      STAGES,
      "!Equals [!FindInMap [Stages, !Ref Stage, Encrypt], 'yes']",
      STAGE('[prod, qa]'),
    ],
    [
      'a parameter of any value: the keys the Mapping holds (any other fails the deploy)',
      `  Stages:\n    dev: {Encrypt: 'yes'}\n    prod: {Encrypt: 'yes'}`,
      "!Equals [!FindInMap [Stages, !Ref Stage, Encrypt], 'yes']",
      STAGE(''),
    ],
    [
      'a key that is itself a lookup',
      `${STAGES}\n  Pick:\n    Default: {Stage: prod}`,
      "!Equals [!FindInMap [Stages, !FindInMap [Pick, Default, Stage], Encrypt], 'yes']",
    ],
    [
      'two lookups compared',
      `${STAGES}\n  Want:\n    Default: {Value: 'yes'}`,
      '!Equals [!FindInMap [Stages, qa, Encrypt], !FindInMap [Want, Default, Value]]',
    ],
  ])('%s: customer-managed in every deploy', async (_, mappings, condition, parameters = '') => {
    const r = await scan({ 'app/template.yaml': template(mappings, condition, parameters) });
    expect(r.status).toBe('customer-managed');
    expect(r.reason).toMatch(/condition Encrypt, true in every deploy/);
  });

  it('false in every deploy: the branch without a key decides (AWS owned, left to the condition)', async () => {
    const r = await scan({ 'app/template.yaml': template(STAGES, "!Equals [!FindInMap [Stages, dev, Encrypt], 'yes']") });
    expect(r).toMatchObject({ status: 'aws-owned', fixable: false });
  });

  it.each([
    ['AWS::Region, whose Regions give different values', REGIONS, "!Equals [!FindInMap [Regions, !Ref 'AWS::Region', Encrypt], 'yes']", ''],
    [
      'a parameter whose AllowedValues give different values',
      STAGES,
      "!Equals [!FindInMap [Stages, !Ref Stage, Encrypt], 'yes']",
      STAGE('[dev, prod]'),
    ],
    [
      "a parameter of any value, the Mapping's values differ",
      STAGES,
      "!Equals [!FindInMap [Stages, !Ref Stage, Encrypt], 'yes']",
      STAGE(''),
    ],
    ['a Mapping the template lacks', STAGES, "!Equals [!FindInMap [Missing, prod, Encrypt], 'yes']", ''],
    ['a key no entry holds (every deploy fails)', STAGES, "!Equals [!FindInMap [Stages, prod, Nothing], 'yes']", ''],
    ['a value that is not a string', `  Stages:\n    prod: {Encrypt: [a, b]}`, "!Equals [!FindInMap [Stages, prod, Encrypt], 'yes']", ''],
    ['a lookup compared with an import', STAGES, '!Equals [!FindInMap [Stages, prod, Encrypt], !ImportValue Shared]', ''],
    [
      'a DefaultValue (AWS::LanguageExtensions) that differs, for a key the Mapping may lack',
      `  Stages:\n    prod: {Encrypt: 'yes'}`,
      "!Equals [!FindInMap [Stages, !Ref 'AWS::Region', Encrypt, {DefaultValue: 'no'}], 'yes']",
      '',
    ],
  ])('%s: unknown, as before', async (_, mappings, condition, parameters) => {
    const r = await scan({ 'app/template.yaml': template(mappings, condition, parameters) });
    expect(r.status).toBe('unknown');
  });

  it('conditions naming one another twice over, eighteen deep: each read once, decided', async () => {
    const chain = Array.from({ length: 18 }, (_, i) => `  C${i + 1}: !And [{Condition: C${i}}, {Condition: C${i}}]`).join('\n');
    const text = template(STAGES, '{Condition: C18}').replace(
      'Conditions:\n',
      `Conditions:\n  C0: !Equals [!FindInMap [Stages, prod, Encrypt], 'yes']\n${chain}\n  Loop: !Not [{Condition: Loop}]\n`,
    );
    expect((await scan({ 'app/template.yaml': text })).status).toBe('customer-managed');
    expect((await scan({ 'app/template.yaml': text.replace('{Condition: C18}', '{Condition: Loop}') })).status).toBe('unknown');
  });

  it('a Mappings section kmsfix cannot read (Fn::Transform): unknown, as before', async () => {
    const text = template(STAGES, "!Equals [!FindInMap [Stages, prod, Encrypt], 'yes']").replace(
      `Mappings:\n${STAGES}`,
      "Mappings:\n  Fn::Transform: {Name: AWS::Include, Parameters: {Location: 's3://bucket/mappings.yaml'}}",
    );
    expect((await scan({ 'app/template.yaml': text })).status).toBe('unknown');
  });
});

describe('a lookup keyed by a parameter, in each environment of a SAM configuration', () => {
  const toml = (envs: Record<string, string>) =>
    `version = 0.1\n${Object.entries(envs)
      .map(([env, stage]) => `[${env}.deploy.parameters]\nstack_name = "app-${env}"\nparameter_overrides = "Stage=${stage}"\n`)
      .join('')}`;
  const text = template(STAGES, "!Equals [!FindInMap [Stages, !Ref Stage, Encrypt], 'yes']", STAGE('[dev, prod, qa]'));

  it('every environment picks a stage whose value is yes: customer-managed, naming the environments', async () => {
    const r = await scan({ 'app/template.yaml': text, 'app/samconfig.toml': toml({ default: 'prod', staging: 'qa' }) });
    expect(r.status).toBe('customer-managed');
    expect(r.reason).toMatch(/condition Encrypt in app\/samconfig\.toml \(default, staging: true\)/);
  });

  it('one environment picks dev: unknown (customer-managed in one, AWS owned in the other)', async () => {
    const r = await scan({ 'app/template.yaml': text, 'app/samconfig.toml': toml({ default: 'prod', dev: 'dev' }) });
    expect(r.status).toBe('unknown');
  });

  it('every environment picks dev: AWS owned, left to the condition', async () => {
    const r = await scan({ 'app/template.yaml': text, 'app/samconfig.toml': toml({ default: 'dev', sandbox: 'dev' }) });
    expect(r).toMatchObject({ status: 'aws-owned', fixable: false });
  });
});
