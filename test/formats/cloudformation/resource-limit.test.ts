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
});
