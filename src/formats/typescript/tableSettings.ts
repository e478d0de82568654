/** The encryption props a TypeScript fix sets on a table, by its class, to use its key. */
import { call, raw, str, type Code } from './code.js';
import type { TsTable } from './tableTypes.js';
import { CDK_DYNAMODB, type Ref } from './keys.js';
import type { Setting } from './objects.js';
import { stringValue, ts, unwrap } from './parse.js';

const isTrue = (e: ts.Expression | undefined) => e !== undefined && unwrap(e).kind === ts.SyntaxKind.TrueKeyword;

export function keyRefForTable(t: TsTable, keyVar: string): string {
  if (t.framework === 'cdk') return t.kind === 'CfnTable' ? `${keyVar}.keyArn` : keyVar;
  return `${keyVar}.arn`;
}

export function tableSettings(t: TsTable, ref: Ref, key: Code, sym: (e: ts.Expression) => string | undefined): Setting[] {
  switch (t.kind) {
    case 'Table':
      return [
        {
          key: 'encryption',
          value: raw(ref(CDK_DYNAMODB, ['TableEncryption', 'CUSTOMER_MANAGED'])),
          keep: (e) => sym(unwrap(e)) === `${CDK_DYNAMODB}#TableEncryption.CUSTOMER_MANAGED`,
        },
        { key: 'encryptionKey', value: key },
        { key: 'serverSideEncryption', remove: true },
      ];
    case 'TableV2':
      return [{ key: 'encryption', value: call(ref(CDK_DYNAMODB, ['TableEncryptionV2', 'customerManagedKey']), key) }];
    case 'CfnTable':
      return [
        {
          key: 'sseSpecification',
          nested: [
            { key: 'sseEnabled', value: raw('true'), keep: isTrue },
            { key: 'sseType', value: str('KMS'), keep: (e) => stringValue(unwrap(e)) === 'KMS' },
            { key: 'kmsMasterKeyId', value: key },
          ],
        },
      ];
    case 'DynamodbTable':
    case 'PulumiTable':
      return [
        {
          key: 'serverSideEncryption',
          nested: [
            { key: 'enabled', value: raw('true'), keep: isTrue },
            { key: 'kmsKeyArn', value: key },
          ],
        },
      ];
    case 'CfnGlobalTable':
    case 'NativeTable':
    case 'NativeGlobalTable':
    case 'DynamodbTableReplica':
    case 'PulumiTableReplica':
    case 'TableV2MultiAccountReplica':
    case 'CfnResource':
      throw new Error(`${t.kind} is never fixed`);
  }
}
