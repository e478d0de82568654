/**
 * A `Fn::Transform` key beside a table's other keys (src/formats/yaml/cfnTransform.ts): AWS::Include
 * or a macro puts a snippet (or its output) into the table's Properties, the resource or its
 * SSESpecification at deploy, which may set the encryption. Such a table is `unknown`, its reason
 * naming the transform, and a fix leaves the file as it is: in YAML and JSON templates, SAM,
 * serverless.yml and serverless.ts alike. A table beside it, without one, is fixed.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const INCLUDE =
  "Properties include Fn::Transform AWS::Include ./table-common.yaml: what it inserts, maybe the table's encryption, is not known";

async function run(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'fix');
  expect(r.outcomes[0].error).toBeUndefined();
  return { by: new Map(r.outcomes[0].tables.map((t) => [t.address, t])), out: r.output.get(path) ?? text };
}

const body = (indent: string, extra: string) =>
  `${indent}  Type: AWS::DynamoDB::Table\n${indent}  Properties:\n${indent}    KeySchema: [{ AttributeName: id, KeyType: HASH }]\n${extra}`;

const include = (indent: string) =>
  `${indent}    Fn::Transform:\n${indent}      Name: AWS::Include\n${indent}      Parameters:\n${indent}        Location: ./table-common.yaml\n`;

/** Tables (indented for `Resources:` at `indent`): one per placement of a transform, and a plain one. */
const tables = (indent: string) =>
  `${indent}Included:\n${body(indent, include(indent))}` +
  `${indent}Macro:\n${body(indent, `${indent}    Fn::Transform: { Name: TableDefaults, Parameters: { Encryption: standard } }\n`)}` +
  `${indent}InSse:\n${body(indent, `${indent}    SSESpecification:\n${indent}      SSEEnabled: true\n${include(`${indent}  `)}`)}` +
  `${indent}OnResource:\n${indent}  Fn::Transform: { Name: AWS::Include, Parameters: { Location: s3://b/table.yaml } }\n${body(indent, '')}` +
  `${indent}Plain:\n${body(indent, '')}`;

function expectLeft(by: Awaited<ReturnType<typeof run>>['by'], out: string, text: string) {
  expect(by.get('Included')).toMatchObject({ status: 'unknown', fixable: false, message: expect.stringContaining(INCLUDE) });
  expect(by.get('Macro')?.message).toContain('Properties include Fn::Transform TableDefaults (a macro): what it inserts');
  expect(by.get('InSse')?.message).toContain('SSESpecification includes Fn::Transform AWS::Include ./table-common.yaml');
  expect(by.get('OnResource')?.message).toContain('the resource includes Fn::Transform AWS::Include s3://b/table.yaml');
  for (const t of ['Included', 'Macro', 'InSse', 'OnResource']) expect(by.get(t)?.status, t).toBe('unknown');
  expect(by.get('Plain')?.fixed).toBe(true);
  // Only the plain table is changed: nothing is added beside a transform.
  expect(out).not.toContain('IncludedKey');
  expect(out).not.toContain('MacroKey');
  expect(out).not.toContain('OnResourceKey');
  expect(out.split('SSESpecification').length - 1).toBe(text.split('SSESpecification').length);
}

describe('a Fn::Transform key in a table', () => {
  it('CloudFormation YAML: Properties, the resource, SSESpecification', async () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${tables('  ')}`;
    const { by, out } = await run('template.yaml', text);
    expectLeft(by, out, text);
  });

  it('through a merge key', async () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  Common: &common\n${include('').replace(/^ {4}/gm, '    ')}Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      <<: *common\n      KeySchema: []\n`;
    const { by, out } = await run('template.yaml', text);
    expect(by.get('T')?.status).toBe('unknown');
    expect(by.get('T')?.message).toContain(INCLUDE);
    expect(out).toBe(text);
  });

  it('JSON', async () => {
    const text = JSON.stringify(
      {
        AWSTemplateFormatVersion: '2010-09-09',
        Resources: {
          T: {
            Type: 'AWS::DynamoDB::Table',
            Properties: { KeySchema: [], 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: './table-common.yaml' } } },
          },
        },
      },
      null,
      2,
    );
    const { by, out } = await run('template.json', text);
    expect(by.get('T')).toMatchObject({ status: 'unknown', fixable: false, message: expect.stringContaining(INCLUDE) });
    expect(out).toBe(text);
  });

  it('SAM: a SimpleTable, with Globals', async () => {
    const text = `Transform: AWS::Serverless-2016-10-31\nGlobals:\n  SimpleTable:\n    SSESpecification:\n      SSEEnabled: true\nResources:\n  T:\n    Type: AWS::Serverless::SimpleTable\n    Properties:\n      PrimaryKey: { Name: id, Type: String }\n${include('  ')}`;
    const { by, out } = await run('template.yaml', text);
    expect(by.get('T')?.status).toBe('unknown');
    expect(by.get('T')?.message).toContain(INCLUDE);
    expect(out).toBe(text);
  });

  it('serverless.yml', async () => {
    const text = `service: s\nprovider:\n  name: aws\nresources:\n  Resources:\n${tables('    ')}`;
    const { by, out } = await run('serverless.yml', text);
    expectLeft(by, out, text);
  });

  it('serverless.ts', async () => {
    const text = `import type { AWS } from '@serverless/typescript';
const config: AWS = {
  service: 's',
  provider: { name: 'aws', runtime: 'nodejs20.x' },
  resources: {
    Resources: {
      Included: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { KeySchema: [], 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: './table-common.yaml' } } },
      },
      OnResource: { Type: 'AWS::DynamoDB::Table', 'Fn::Transform': { Name: 'TableDefaults' }, Properties: { KeySchema: [] } },
      Plain: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [] } },
    },
  },
};
module.exports = config;
`;
    const { by, out } = await run('serverless.ts', text);
    expect(by.get('Included')).toMatchObject({ status: 'unknown', fixable: false, message: expect.stringContaining(INCLUDE) });
    expect(by.get('OnResource')?.message).toContain('the resource includes Fn::Transform TableDefaults (a macro)');
    expect(by.get('Plain')?.fixed).toBe(true);
    expect(out).not.toContain('IncludedKey');
    expect(out).not.toContain('OnResourceKey');
  });
});
