/**
 * A CDK table's alias is its name read at deploy time; only a name that may hold a `.` (which a KMS
 * alias may not) is rewritten there (fix.ts aliasNameOf). A name given by a `const` of the file holding
 * a literal is that literal (aws-cdk-examples' websocket chat: `tableName: tableName` with `const
 * tableName = "simplechat_connections"` got `Fn.join('-', Fn.split('.', table.tableName))`).
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const stack = (decl: string) => `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export class S extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    ${decl}
    const table = new dynamodb.Table(this, 'Connections', {
      tableName: tableName,
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    });
  }
}
`;

async function alias(decl: string): Promise<string | undefined> {
  const out = (await processMemory([{ path: 'stack.ts', text: stack(decl) }], 'fix')).output.get('stack.ts');
  return /addAlias\(([\s\S]*?)\);/
    .exec(out ?? '')?.[1]
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/,$/, '');
}

it("a const holding a literal name: the table's name as it is, or the literal made alias-safe", async () => {
  expect(await alias("const tableName = 'simplechat_connections';")).toBe('`alias/dynamodb/${table.tableName}`');
  expect(await alias("const tableName = 'chat.v1';")).toBe("'alias/dynamodb/chat-v1'");
  // Not a const (it may change), or not a literal: the name may hold a `.` at deploy time.
  expect(await alias("let tableName = 'chat';")).toContain('Fn.split');
  expect(await alias('const tableName = `${id}.chat`;')).toContain('Fn.split');
});
