/**
 * `@pulumi/cloud`'s `Table` (its AWS backend) and `@pulumi/cloud-aws`'s `Table`: each creates an
 * `aws.dynamodb.Table` with no `serverSideEncryption` (the AWS owned key), and takes no argument that could
 * change it (`new cloud.Table(name, primaryKey?, primaryKeyType?, opts?)`). The library is archived, but
 * programs that use it still deploy such tables: reported at the call, never fixed (the factory path of
 * detect.ts), the step naming what to write instead.
 */
import type { FactorySite } from './factories.js';
import { stringValue, ts, unwrap } from './parse.js';

/** Constructor symbol -> its package. */
const CLASSES: Record<string, string> = { '@pulumi/cloud#Table': '@pulumi/cloud', '@pulumi/cloud-aws#Table': '@pulumi/cloud-aws' };

/** The file's Pulumi Cloud tables (`sym` resolves a callee through the file's imports). */
export function pulumiCloudSites(
  sf: ts.SourceFile,
  news: readonly ts.NewExpression[],
  sym: (e: ts.Expression) => string | undefined,
): FactorySite[] {
  const out: FactorySite[] = [];
  for (const node of news) {
    const callee = node.expression;
    if (ts.isPropertyAccessExpression(callee) ? callee.name.text !== 'Table' : !ts.isIdentifier(callee)) continue;
    const symbol = sym(callee);
    const pkg = symbol === undefined ? undefined : CLASSES[symbol];
    if (!pkg) continue;
    const name = node.arguments?.[0];
    out.push({
      call: node,
      cls: { kind: 'PulumiTable', framework: 'pulumi', type: `${pkg}.Table` },
      // The table's args are the library's own, with no serverSideEncryption: none to read here.
      args: [name, undefined],
      noEncryption: true,
      address: name ? (stringValue(unwrap(name)) ?? name.getText(sf)) : '(no name)',
      step:
        `the table is created by ${pkg}'s Table, which takes no encryption setting and which kmsfix does not rewrite: ` +
        'replace it with an aws.dynamodb.Table with serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } (key: an ' +
        'aws.kms.Key with enableKeyRotation: true), or give it a transformations resource option that sets that',
    });
  }
  return out;
}
