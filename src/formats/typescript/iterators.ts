/**
 * A CDKTF table created several times by Terraform (`forEach: TerraformIterator...` or `count`): the
 * fix's alias names the table (`alias/dynamodb/${tables.name}`), which CDKTF renders without an
 * instance key (`${aws_dynamodb_table.tables.name}`); Terraform refuses that ("Missing resource
 * instance key"), and one alias cannot name several instances anyway. Such a table is not fixed,
 * unless --kms-key-arn gives the key (then nothing is added beside it).
 */
import type { Obstacle } from '../../rule/facts.js';
import { lookup, snippet } from './lookup.js';
import { type ts, isNullish, unwrap } from './parse.js';

/** The `generated-key` obstacle of CDKTF table props with `forEach` or `count` set (not null or undefined). */
export function cdktfIteratorObstacle(sf: ts.SourceFile, props: ts.ObjectLiteralExpression): Obstacle | undefined {
  for (const name of ['forEach', 'count']) {
    const found = lookup(sf, props, name);
    if (found.kind !== 'value') continue;
    const v = unwrap(found.value);
    if (isNullish(v)) continue;
    const how = `${name}: ${snippet(sf, found.value)}`;
    return {
      kind: 'generated-key',
      step:
        `the table is created several times (${how}), and a key alias naming it would be rendered without an ` +
        'instance key, which Terraform refuses ("Missing resource instance key"); one alias cannot name every instance ' +
        `either. Declare the key by hand: a KmsKey, serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } on the table, ` +
        `and, for aliases, a KmsAlias with the same ${name} (its name from the iterator or count index, not from the table)`,
    };
  }
  return undefined;
}
