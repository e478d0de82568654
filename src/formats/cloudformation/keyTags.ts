/**
 * The tags a table's generated key takes from the table (docs/formats/cloudformation.md, "What a fix writes"): its `Tags` as written, so that
 * an SCP requiring `aws:RequestTag/...` on kms:CreateKey, cost allocation and ABAC see the key as they see the table.
 * yaml/cfnKeyResources.ts merges them with `key: tags`.
 */
import { copiedValue } from '../cfn-values/copied.js';
import { child, ownPair, scalarString } from '../yaml/tree.js';
import { Intrinsic, YamlAlias, type Value } from '../yaml/values.js';
import type { CfnTable } from './tableTypes.js';

/**
 * A table's `Tags`: an AWS::DynamoDB::Table's list (or the function that gives it, `!If [...]`) as written; a SAM
 * SimpleTable's map as the `{Key, Value}` list a key takes. Undefined for none, a GlobalTable (tags per replica), or
 * what cannot be copied (copiedValue).
 */
export function tableTags(t: CfnTable): Value | undefined {
  const type = scalarString(child(t.resource, 'Type'));
  const tags = copiedValue(child(child(t.resource, 'Properties'), 'Tags'));
  if (tags === undefined) return undefined;
  let list: Value;
  if (type === 'AWS::DynamoDB::Table') list = tags;
  else if (type === 'AWS::Serverless::SimpleTable' && typeof tags === 'object' && !Array.isArray(tags) && !(tags instanceof Intrinsic)) {
    list = Object.entries(tags).map(([Key, v]) => ({ Key, Value: v }));
  } else return undefined;
  // A tag that names a resource of the template (`!GetAtt Role.Arn`) would make the key depend on it, and that
  // resource may depend on the table, which depends on the key: a circular dependency. Such tags are not copied.
  const isResource = (id: string) => ownPair(t.template.resources, id) !== undefined;
  if (!Array.isArray(list)) return namesResource(list, isResource) ? undefined : list;
  const kept = list.filter((item) => !namesResource(item, isResource));
  return kept.length ? kept : undefined;
}

/** Whether a value names a resource through Ref, Fn::GetAtt or a Fn::Sub's `${Id}` / `${Id.Attribute}`. */
function namesResource(v: Value, isResource: (id: string) => boolean): boolean {
  if (v instanceof Intrinsic) {
    if (v.fn === 'Ref' && typeof v.arg === 'string') return isResource(v.arg);
    if (v.fn === 'Fn::GetAtt') {
      const id = Array.isArray(v.arg) ? v.arg[0] : v.arg;
      if (typeof id === 'string' && isResource(id.split('.')[0])) return true;
    }
    if (v.fn === 'Fn::Sub') {
      const template = Array.isArray(v.arg) ? v.arg[0] : v.arg;
      if (typeof template === 'string') {
        for (const m of template.matchAll(/\$\{([^!}][^}]*)\}/g)) if (isResource(m[1].trim().split('.')[0])) return true;
      }
    }
    return namesResource(v.arg, isResource);
  }
  if (Array.isArray(v)) return v.some((x) => namesResource(x, isResource));
  if (typeof v === 'object' && !(v instanceof YamlAlias)) return Object.values(v).some((x) => namesResource(x, isResource));
  return false;
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
