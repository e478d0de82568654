/**
 * CloudFormation refuses a template of more than 500 resources. A per-table fix adds a key and an
 * alias per table: on a large template (an Amplify Gen1 API stack, say) it took the stack past the
 * limit, and the deploy failed. Such a fix is declined with the ways out.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (name: string) =>
  `  ${name}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]\n      BillingMode: PAY_PER_REQUEST\n`;

describe("CloudFormation's 500 resources", () => {
  const big = (topics: number, tables: string[]) =>
    `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${Array.from({ length: topics }, (_, i) => `  Topic${i}:\n    Type: AWS::SNS::Topic\n`).join('')}${tables.map((t) => table(t)).join('')}`;

  it('a fix that would take a template past 500 resources is declined with the way out; one that fits is made', async () => {
    const text = big(496, ['Orders', 'Carts']);
    const perTable = await processMemory([{ path: 't.yaml', text }], 'fix', {});
    expect(perTable.output.get('t.yaml') ?? text).toBe(text);
    const t = perTable.outcomes[0].tables;
    expect(t.map((x) => [x.fixed, x.fixable])).toEqual([
      [undefined, false],
      [undefined, false],
    ]);
    expect(t[0].message).toContain(
      "Not fixable automatically: the template holds 498 resources, and the 4 a fix adds (a key and an alias per table) would take it past CloudFormation's 500: the stack would not deploy. Use --key-strategy shared (one key for the template), use --kms-key-arn with an existing key (adds none), or move resources to a nested stack",
    );
    // One key and alias for both: 500, which CloudFormation takes.
    const shared = await processMemory([{ path: 't.yaml', text }], 'fix', { keyStrategy: 'shared' });
    expect(shared.outcomes[0].tables.map((x) => x.fixed)).toEqual([true, true]);
    expect([...shared.output.get('t.yaml')!.matchAll(/^ {2}\w+:$/gm)]).toHaveLength(500);
  });

  it('a SAM template: the resources the transform adds count (a role per function without one, a resource per event, the implicit API)', async () => {
    const fn = (i: number, events: string) =>
      `  Fn${i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n${events}`;
    const api = '      Events:\n        Get:\n          Type: Api\n          Properties: {Path: /x, Method: get}\n';
    const sam = (functions: number) =>
      `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n${table('Orders')}${Array.from({ length: functions }, (_, i) => fn(i, i === 0 ? api : '')).join('')}`;
    // 1 table + 246 functions + 246 roles + 1 event + 3 (implicit API, deployment, stage) = 497: a key and an alias fit.
    expect((await processMemory([{ path: 't.yaml', text: sam(246) }], 'fix', {})).outcomes[0].tables[0].fixed).toBe(true);
    // 247 functions: 499 once transformed, 501 with the fix.
    const r = await processMemory([{ path: 't.yaml', text: sam(247) }], 'fix', {});
    expect(r.outcomes[0].tables[0].fixed).toBeUndefined();
    expect(r.outcomes[0].tables[0].message).toContain(
      'the template holds 499 resources once the SAM transform has added its own (251 at least), and the 2 a fix adds',
    );
  });
});
