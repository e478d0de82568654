/**
 * The fix of CloudFormation resources written as object literals (a Serverless Framework
 * `serverless.ts`, read by resources.ts): the table's `Properties` get `SSESpecification: {
 * SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [<key>, 'Arn'] } }`, and its
 * `Resources` object the key and alias a serverless.yml gets (yaml/cfnKeyResources.ts: the
 * one key policy, rotation, the key settings), written as TypeScript in the file's style. The
 * Framework resolves `${...}` in a serverless.ts too, so a Fn::Sub is written as a Fn::Join.
 */
import { serving } from '../../core/edits.js';
import { groupBy, uniqueName } from '../../core/lists.js';
import type { FixOptions } from '../../core/types.js';
import { keyArnKinds } from '../../rule/keyArn.js';
import { describeKey } from '../../rule/keySettings.js';
import {
  aliasResource,
  keyResource,
  nameMayHoldDot,
  policyRetention,
  strongestRetention,
  type KeyRetention,
} from '../yaml/cfnKeyResources.js';
import { COMMENT, Intrinsic, YamlAlias, getAtt, subToJoin, type Value } from '../yaml/values.js';
import { arr, obj, raw, str, type Code } from './code.js';
import { lookup } from './lookup.js';
import type { TsTable } from './tableTypes.js';
import { isTrue, logicalId, resourcesOf, stringAt } from './resources.js';
import { applySettings, insertProps, type EditCtx } from './objects.js';
import { isNullish, propertyName, stringValue, ts, unwrap } from './parse.js';

/** A CloudFormation value as TypeScript: intrinsic functions in their long form, a Sub as a Join. */
export function codeOf(v: Value): Code {
  if (typeof v === 'string') return str(v);
  if (typeof v === 'number' || typeof v === 'boolean') return raw(String(v));
  if (v instanceof YamlAlias) throw new Error('a YAML alias has no TypeScript form');
  if (v instanceof Intrinsic) {
    if (v.fn === 'Fn::Sub' && typeof v.arg === 'string') return codeOf(subToJoin(v.arg));
    return obj([[v.fn, codeOf(v.arg)]]);
  }
  if (Array.isArray(v)) return arr(v.map(codeOf));
  return obj(Object.entries(v).flatMap(([k, x]): [string, Code][] => (k === COMMENT ? [] : [[k, codeOf(x)]])));
}

function sse(ctx: EditCtx, t: TsTable, key: Code): void {
  const resource = t.node as ts.ObjectLiteralExpression;
  const settings = [
    { key: 'SSEEnabled', value: raw('true'), keep: isTrue },
    { key: 'SSEType', value: str('KMS'), keep: (e: ts.Expression) => stringValue(unwrap(e)) === 'KMS' },
    { key: 'KMSMasterKeyId', value: key },
  ];
  applySettings(ctx, resource, [{ key: 'Properties', nested: [{ key: 'SSESpecification', nested: settings }] }]);
}

/** Plan the fix of `tables` (AWS::DynamoDB::Table resources of the file); returns the addresses fixed. */
export function planResources(ctx: EditCtx, tables: TsTable[], options: FixOptions): string[] {
  const { sf } = ctx;
  if (options.kmsKeyArn) {
    for (const t of tables) {
      const from = ctx.edits.length;
      // An ARN as a string; a property chain (`process.env.KEY_ARN`, `config.keyArn`) as the code it is.
      const arn = options.kmsKeyArn.trim();
      sse(ctx, t, keyArnKinds(arn).includes('typescript') ? raw(arn) : str(arn));
      serving(ctx.edits, from, [t.address]);
    }
    return tables.map((t) => t.address);
  }
  // One Resources object at a time: its new keys and aliases go at its end, after what it holds.
  for (const [resources, mine] of groupBy(tables, resourcesOf)) {
    const taken = new Set(
      resources.properties.map((p) => (p.name ? propertyName(p.name as ts.PropertyName) : undefined)).filter((n) => n !== undefined),
    );
    const unique = (base: string) => uniqueName(base, taken);
    const props = (t: TsTable) => t.node as ts.ObjectLiteralExpression;
    // A TableName that may hold a `.` (a KMS alias name cannot): a string whose text or variables may, or any other expression.
    const dotted = (t: TsTable) => {
      const p = lookup(sf, props(t), 'Properties');
      const o = p.kind === 'value' ? unwrap(p.value) : undefined;
      if (!o || !ts.isObjectLiteralExpression(o)) return false;
      const name = lookup(sf, o, 'TableName');
      if (name.kind === 'absent') return false;
      const text = stringAt(sf, o, 'TableName');
      return text === undefined || nameMayHoldDot(text);
    };
    // Set to anything but false (`false`, `'false'` in any case), or may be (a spread): cloudformation/fix.ts's notFalse.
    const notFalse = (o: ts.ObjectLiteralExpression, name: string) => {
      const l = lookup(sf, o, name);
      if (l.kind !== 'value') return l.kind === 'unknown';
      const v = unwrap(l.value);
      return v.kind !== ts.SyntaxKind.FalseKeyword && stringValue(v)?.toLowerCase() !== 'false' && !isNullish(v);
    };
    const objectAt = (o: ts.ObjectLiteralExpression | undefined, name: string) => {
      const l = o && lookup(sf, o, name);
      const v = l?.kind === 'value' ? unwrap(l.value) : undefined;
      return v && ts.isObjectLiteralExpression(v) ? v : undefined;
    };
    // As cloudformation/retention.ts `keeps` reads a template's table: deletion protection and point-in-time recovery
    // keep the key as Retain (a protected table, or its 35-day backup, outlives the stack), else its policies decide.
    const retains = (t: TsTable): KeyRetention => {
      const properties = objectAt(props(t), 'Properties');
      const recovery = objectAt(properties, 'PointInTimeRecoverySpecification');
      if (
        properties &&
        (notFalse(properties, 'DeletionProtectionEnabled') || (recovery && notFalse(recovery, 'PointInTimeRecoveryEnabled')))
      )
        return 'Retain';
      return policyRetention(
        ['DeletionPolicy', 'UpdateReplacePolicy'].map((k) => {
          const value = stringAt(sf, props(t), k);
          return { written: value !== undefined, value };
        }),
      );
    };
    if (options.keyStrategy === 'shared') {
      const keyId = unique('DynamoDBTablesKey');
      const aliasId = unique(`${keyId}Alias`);
      const conditions = new Set(mine.map((t) => stringAt(sf, props(t), 'Condition')));
      const condition = conditions.size === 1 ? [...conditions][0] : undefined;
      const named = mine.find((t) => stringAt(sf, props(t), 'Condition') === condition);
      for (const t of mine) {
        const at = ctx.edits.length;
        sse(ctx, t, codeOf(getAtt(keyId, 'Arn')));
        serving(ctx.edits, at, [t.address]);
      }
      const keyAt = ctx.edits.length;
      const key = keyResource({
        description: describeKey(mine.map(logicalId), options.key?.description),
        settings: options.key,
        retain: strongestRetention(mine.map(retains)),
        condition,
        policy: options.keyPolicy,
        serverless: true,
      });
      insertProps(ctx, resources, [
        [keyId, codeOf(key)],
        [
          aliasId,
          codeOf(
            aliasResource(
              named ? logicalId(named) : 'AWS::StackName',
              keyId,
              condition,
              true,
              options.key?.alias,
              undefined,
              !!named && dotted(named),
            ),
          ),
        ],
      ]);
      // The key serves every table that names it.
      serving(
        ctx.edits,
        keyAt,
        mine.map((t) => t.address),
      );
      continue;
    }
    for (const t of mine) {
      const at = ctx.edits.length;
      const id = logicalId(t);
      const keyId = unique(`${id.replace(/[^A-Za-z0-9]/g, '') || 'Table'}Key`);
      const aliasId = unique(`${keyId}Alias`);
      sse(ctx, t, codeOf(getAtt(keyId, 'Arn')));
      const condition = stringAt(sf, props(t), 'Condition');
      const key = keyResource({
        description: describeKey([id], options.key?.description),
        retain: retains(t),
        condition,
        policy: options.keyPolicy,
        serverless: true,
        settings: options.key,
      });
      // At the end of Resources, in the tables' order (insertions at one offset apply in the order given).
      insertProps(ctx, resources, [
        [keyId, codeOf(key)],
        [aliasId, codeOf(aliasResource(id, keyId, condition, false, options.key?.alias, undefined, dotted(t)))],
      ]);
      serving(ctx.edits, at, [t.address]);
    }
  }
  return tables.map((t) => t.address);
}
