/**
 * The tags a table's generated key takes from the table (README, "What a fix writes"): its `Tags` as written, so that
 * an SCP requiring `aws:RequestTag/...` on kms:CreateKey, cost allocation and ABAC see the key as they see the table.
 * yaml/cfnKeyResources.ts merges them with `key: tags`.
 */
import { copiedValue } from '../cfn-values/copied.js';
import { child, scalarString } from '../yaml/tree.js';
import { Intrinsic, type Value } from '../yaml/values.js';
import type { CfnTable } from './detect.js';

/**
 * A table's `Tags`: an AWS::DynamoDB::Table's list (or the function that gives it, `!If [...]`) as written; a SAM
 * SimpleTable's map as the `{Key, Value}` list a key takes. Undefined for none, a GlobalTable (tags per replica), or
 * what cannot be copied (copiedValue).
 */
export function tableTags(t: CfnTable): Value | undefined {
  const type = scalarString(child(t.resource, 'Type'));
  const tags = copiedValue(child(child(t.resource, 'Properties'), 'Tags'));
  if (tags === undefined) return undefined;
  if (type === 'AWS::DynamoDB::Table') return Array.isArray(tags) && tags.length === 0 ? undefined : tags;
  if (type === 'AWS::Serverless::SimpleTable' && typeof tags === 'object' && !Array.isArray(tags) && !(tags instanceof Intrinsic)) {
    const list = Object.entries(tags).map(([Key, v]) => ({ Key, Value: v }));
    return list.length ? list : undefined;
  }
  return undefined;
}

/**
 * The tags of a key shared by `tables`: theirs when every table has the same (none otherwise), and no table is in a
 * Fn::ForEach body (its tags may name the loop's identifier, which the shared key, outside the loop, does not have).
 */
export function sharedTags(tables: CfnTable[]): Value | undefined {
  if (tables.some((t) => t.loop)) return undefined;
  const all = tables.map(tableTags);
  const first = JSON.stringify(all[0]);
  return all[0] !== undefined && all.every((x) => JSON.stringify(x) === first) ? all[0] : undefined;
}
