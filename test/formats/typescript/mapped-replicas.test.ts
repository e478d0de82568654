/**
 * Replicas built with `.map` (aws-cdk-examples' global-table-with-cmk: `props.tableReplicaRegions.map((c) =>
 * ({ region: c.region, sseSpecification: { kmsMasterKeyId: Fn.importValue(c.keyExportName) } }))`) were
 * `unknown` ("replicas is ...map(...)"): every element is the callback's object, so its key decides for all
 * (detect.ts mappedObject). Never fixed: a key written there would serve every Region.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const cfn = (replicas: string) => `import { Fn, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

const REGIONS = ['us-east-1', 'us-west-2'];

export class S extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new dynamodb.CfnGlobalTable(this, 'Global', {
      attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }],
      keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
      billingMode: 'PAY_PER_REQUEST',
      sseSpecification: { sseEnabled: true, sseType: 'KMS' },
      replicas: ${replicas},
    });
  }
}
`;

async function table(text: string) {
  const r = await processMemory([{ path: 'stack.ts', text }], 'fix');
  return { t: r.outcomes[0].tables[0], out: r.output.get('stack.ts') };
}

it("a key in the callback's object: customer-managed, arrow or block body", async () => {
  const key = 'sseSpecification: { kmsMasterKeyId: Fn.importValue(`key-${region}`) }';
  expect((await table(cfn(`REGIONS.map((region) => ({ region, ${key} }))`))).t.status).toBe('customer-managed');
  expect((await table(cfn(`REGIONS.map(function (region) { const r = region; return { region: r, ${key} }; })`))).t.status).toBe(
    'customer-managed',
  );
});

it('no key there: the AWS managed key, not fixed (one key would serve every Region); anything else: unknown', async () => {
  const text = cfn('REGIONS.map((region) => ({ region }))');
  const none = await table(text);
  expect(none.t.status).toBe('aws-managed');
  expect(none.t.fixable).toBe(false);
  expect(none.out ?? text).toBe(text);
  // Two returns, or a callback that returns no object literal: not read.
  const two =
    "REGIONS.map((region) => { if (region === 'x') return { region }; return { region, sseSpecification: { kmsMasterKeyId: 'k' } }; })";
  expect((await table(cfn(two))).t.status).toBe('unknown');
  expect((await table(cfn('REGIONS.map(makeReplica)'))).t.status).toBe('unknown');
});
