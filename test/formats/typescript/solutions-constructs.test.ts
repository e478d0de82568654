/**
 * AWS Solutions Constructs that create a DynamoDB table (LambdaToDynamoDB, DynamoDBStreamsToLambda,
 * ApiGatewayToDynamoDB...) were a silent miss: no `new` names a table class, yet each one given no existing
 * table creates one, with `encryption: TableEncryption.AWS_MANAGED` under its `dynamoTableProps`
 * (@aws-solutions-constructs/core). Each is reported at the construct, never fixed
 * (src/formats/typescript/solutionsConstructs.ts). Statuses of every shape: fixtures/typescript/cdk-solutions-constructs.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { typescriptEntry } from '../../../src/formats/typescript/entry.js';

async function scan(text: string, path = 'stack.ts') {
  const r = await processMemory([{ path, text }], 'fix', {});
  expect(r.outcomes[0]?.error).toBeUndefined();
  expect(r.output.get(path) ?? text).toBe(text);
  return r.outcomes[0]?.tables ?? [];
}

const STEP =
  'Not fixable automatically: the table is created by LambdaToDynamoDB (AWS Solutions Constructs), which kmsfix does not ' +
  'rewrite: set dynamoTableProps: { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: key } by hand';

const stack = (body: string, imports = '') => `import { Stack } from 'aws-cdk-lib';
import { LambdaToDynamoDB } from '@aws-solutions-constructs/aws-lambda-dynamodb';
${imports}
export class FeedStack extends Stack {
  constructor(scope: any, id: string, props: any) {
    super(scope, id);
${body}
  }
}
`;

describe('AWS Solutions Constructs', () => {
  it('a construct importing nothing else of DynamoDB: its table is reported, aws-managed by default, never fixed', async () => {
    const text = stack("    new LambdaToDynamoDB(this, 'LambdaDDB', { lambdaFunctionProps: props.fn });");
    // The family's prefilter lets the file in (it names no other DynamoDB module); not one importing another construct.
    expect(typescriptEntry.prefilter(text)).toBe(true);
    expect(typescriptEntry.prefilter("import { LambdaToSqs } from '@aws-solutions-constructs/aws-lambda-sqs';")).toBe(false);
    const tables = await scan(text);
    expect(tables).toHaveLength(1);
    expect(tables[0]).toMatchObject({
      address: 'LambdaDDB',
      line: 7,
      status: 'aws-managed',
      fixable: false,
      format: 'cdk',
      type: '@aws-solutions-constructs/aws-lambda-dynamodb.LambdaToDynamoDB',
    });
    expect(tables[0].message).toContain("encryption is TableEncryption.AWS_MANAGED (LambdaToDynamoDB's default");
    expect(tables[0].message).toContain(STEP);
  });

  it('an encryptionKey alone keeps the default AWS_MANAGED beside it (CDK refuses the pair): not customer-managed', async () => {
    const tables = await scan(
      stack(
        "    const key = new kms.Key(this, 'K', { enableKeyRotation: true });\n" +
          "    new LambdaToDynamoDB(this, 'Keyed', { dynamoTableProps: { partitionKey: props.pk, encryptionKey: key } });\n" +
          "    new LambdaToDynamoDB(this, 'Chosen', { dynamoTableProps: { partitionKey: props.pk, encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: key } });",
        "import * as kms from 'aws-cdk-lib/aws-kms';\nimport { TableEncryption } from 'aws-cdk-lib/aws-dynamodb';",
      ),
    );
    const by = new Map(tables.map((t) => [t.address, t]));
    expect(by.get('Keyed')).toMatchObject({ status: 'aws-managed', fixable: false });
    expect(by.get('Chosen')).toMatchObject({ status: 'customer-managed' });
  });

  it('given an existing table it creates none; props kmsfix cannot read leave the table unknown, with the step', async () => {
    const tables = await scan(
      stack(
        "    new LambdaToDynamoDB(this, 'Reader', { existingTableObj: props.table });\n" +
          "    new streams.DynamoDBStreamsToLambda(this, 'Stream', { existingTableInterface: props.table });\n" +
          "    new LambdaToDynamoDB(this, 'Passed', props.feed);\n" +
          "    new LambdaToDynamoDB(this, 'Spread', { ...props.feed, lambdaFunctionProps: props.fn });\n" +
          "    new LambdaToDynamoDB(this, 'Nothing', { dynamoTableProps: undefined, existingTableObj: undefined });",
        "import * as streams from '@aws-solutions-constructs/aws-dynamodbstreams-lambda';",
      ),
    );
    const by = new Map(tables.map((t) => [t.address, t]));
    expect([...by.keys()].sort()).toEqual(['Nothing', 'Passed', 'Spread']);
    expect(by.get('Passed')).toMatchObject({ status: 'unknown', fixable: false });
    expect(by.get('Passed')!.message).toContain('its props are props.feed, not an object literal');
    expect(by.get('Passed')!.message).toContain(STEP);
    expect(by.get('Spread')!.status).toBe('unknown');
    expect(by.get('Spread')!.message).toContain('may come from the spread ...props.feed');
    expect(by.get('Nothing')!.status).toBe('aws-managed');
  });

  it('a class of the same name from elsewhere is not one of them; a suppression comment counts', async () => {
    const tables = await scan(`import { Stack } from 'aws-cdk-lib';
import { LambdaToDynamoDB } from './constructs';
import { LambdaToDynamoDB as Real } from '@aws-solutions-constructs/aws-lambda-dynamodb';

export class FeedStack extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    new LambdaToDynamoDB(this, 'Local', {});
    // kmsfix:ignore a cache, rebuilt on deploy
    new Real(this, 'Cache', {});
  }
}
`);
    expect(tables.map((t) => [t.address, t.status])).toEqual([['Cache', 'suppressed']]);
  });
});
