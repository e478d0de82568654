/**
 * The names a CDK fix gives a table's key: the variable in camelCase with an acronym as one word, and
 * the construct id with the table id's own separator (aws-solutions/iot-device-simulator's
 * `IDS-Simulations-Table` gave `iDSSimulationsTableKey` and `IDS-Simulations-TableKey`).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

async function fixed(id: string) {
  const text = `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    new dynamodb.Table(this, '${id}', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  }
}
`;
  const r = await processMemory([{ path: 'lib/s.ts', text }], 'fix');
  return r.outcomes[0].newText ?? '';
}

/** The code on one line: a call's arguments each on a line of their own read as one. */
const flat = (s: string) => s.replace(/\s*\n\s*/g, ' ').replace(/\( /g, '(');

describe("a CDK table key's variable and id", () => {
  it.each([
    ['IDS-Simulations-Table', 'idsSimulationsTableKey', 'IDS-Simulations-Table-Key'],
    ['URLTable', 'urlTableKey', 'URLTableKey'],
    ['user-ID', 'userIdKey', 'user-IDKey'],
    ['Orders', 'ordersKey', 'OrdersKey'],
    ['orders-table', 'ordersTableKey', 'orders-table-key'],
  ])('%s: %s, %s', async (id, variable, keyId) => {
    const out = await fixed(id);
    // A head past the width puts each argument on a line of its own (as Prettier does): read on one line.
    expect(flat(out)).toContain(`const ${variable} = new kms.Key(this, '${keyId}'`);
  });
});

it('an id that is all expressions names the key after the variable holding the table, else `table` (not propsStagePropsServiceNameKeyKey)', async () => {
  const text = (table: string) => `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string, props: { stage: string; serviceName: string }) {
    super(scope, id);
    for (const key of ['a', 'b']) {
      ${table}new dynamodb.Table(this, \`\${props.stage}\${props.serviceName}\${key}\`, { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    }
  }
}
`;
  const out = async (table: string) => (await processMemory([{ path: 'lib/s.ts', text: text(table) }], 'fix')).outcomes[0].newText ?? '';
  expect(flat(await out(''))).toContain('const tableKey = new kms.Key(this, `${props.stage}${props.serviceName}${key}Key`');
  expect(await out('const users = ')).toContain('const usersKey = new kms.Key(');
});
