/**
 * CDKTF tables created in a loop, each through the loop's own provider: the account, partition and
 * Region lookups cannot leave the loop (they go through that provider), so their ids are derived from
 * the table's id, as its key's are (constant ids made synth fail on the second iteration: "There is
 * already a Construct with name 'CallerIdentityProvider'"; checked with cdktf 0.20 on the fixed file).
 * A destructured loop variable (`[name, provider]`) counts as the id's name.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const HEAD = `import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";

export class MyStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const west = new AwsProvider(this, "west", { region: "us-west-2", alias: "west" });
`;
const TABLE = `new DynamodbTable(this, name, { name, hashKey: "id", attribute: [{ name: "id", type: "S" }], provider });`;

it.each([
  ['for...of', `    for (const [name, provider] of [["a", undefined], ["b", west]] as const) {\n      ${TABLE}\n    }\n`],
  ['forEach', `    ([["a", undefined], ["b", west]] as const).forEach(([name, provider]) => {\n      ${TABLE}\n    });\n`],
])('%s: the lookups through the loop’s provider get ids from the table’s', async (_, loop) => {
  const text = `${HEAD}${loop}  }\n}\n`;
  const r = await processMemory([{ path: 'main.ts', text }], 'fix');
  const out = r.output.get('main.ts')!;
  expect(r.outcomes[0].tables[0].fixed).toBe(true);
  // Read on one line: a head past the width puts each argument on a line of its own.
  const flat = out.replace(/\(\s*\n\s*/g, '(').replace(/,\s*\n\s*/g, ', ');
  for (const kind of ['CallerIdentity', 'Partition', 'Region'])
    expect(flat).toContain(`new DataAws${kind}(this, \`\${name}${kind}Provider\`, {`);
  expect(out).not.toMatch(/new DataAws\w+\(this, "/);
});
