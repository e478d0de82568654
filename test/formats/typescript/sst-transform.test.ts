/**
 * SST v3's global `$transform(Class, callback)` changes the args of the tables created after it and creates
 * none (https://sst.dev/docs/reference/global/#transform): it is not a table (hughescr/apartment-manager, whose
 * one table was counted twice; an `unknown` table, exit 1, in an app with none). The tables are still read.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const config = (cls: string) => `/// <reference path="./.sst/platform/config.d.ts" />
export default $config({
  app() {
    return { name: "apartment-manager", home: "aws" };
  },
  async run() {
    $transform(${cls}, (args) => {
      args.billing = "PAY_PER_REQUEST";
    });
    const table = new sst.aws.Dynamo("BuildingsUnits", { fields: { pk: "string" }, primaryIndex: { hashKey: "pk" } });
    return { table: table.name };
  },
});
`;

describe("SST's $transform", () => {
  it('$transform(sst.aws.Dynamo, ...) and $transform(aws.dynamodb.Table, ...) are no tables; the Dynamo is', async () => {
    for (const cls of ['sst.aws.Dynamo', 'aws.dynamodb.Table']) {
      const r = await processMemory([{ path: 'sst.config.ts', text: config(cls) }], 'scan');
      expect(r.outcomes[0].tables.map((t) => t.address)).toEqual(['BuildingsUnits']);
    }
  });
});
