/**
 * `@pulumi/cloud`'s `Table` (its AWS backend) and `@pulumi/cloud-aws`'s `Table`: each creates an
 * `aws.dynamodb.Table` with no `serverSideEncryption` (the AWS owned key), and takes no argument that could
 * change it (`new cloud.Table(name, primaryKey?, primaryKeyType?, opts?)`). The library is archived, but
 * programs that use it still deploy such tables: reported at the call, never fixed (the factory path of
 * detect.ts), the step naming what to write instead.
 */
import { type FactorySite, newsOfClasses } from './factories.js';
import { stringValue, type ts, unwrap } from './parse.js';

/** Constructor symbol -> its package. */
const CLASSES: Record<string, string> = { '@pulumi/cloud#Table': '@pulumi/cloud', '@pulumi/cloud-aws#Table': '@pulumi/cloud-aws' };
const NAMES = new Set(['Table']);

/** The file's Pulumi Cloud tables (`sym` resolves a callee through the file's imports). */
export function pulumiCloudSites(
  sf: ts.SourceFile,
  news: readonly ts.NewExpression[],
  sym: (e: ts.Expression) => string | undefined,
): FactorySite[] {
  const out: FactorySite[] = [];
  for (const { node, value: pkg } of newsOfClasses(news, sym, NAMES, CLASSES)) {
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
