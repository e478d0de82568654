/**
 * AWS CDK constructs in a CDK for Terraform program, through `@cdktf/aws-cdk`'s `AwsTerraformAdapter`:
 * each CloudFormation resource is turned into a Terraform resource by a mapping. A file that
 * registers its own mapping (`registerMapping('AWS::DynamoDB::Table', { resource: ... })`) maps the
 * properties it knows and deletes them; the adapter throws at synth on any property left over
 * ("cannot map some properties of AWS::DynamoDB::Table: SSESpecification"). A fix adds
 * `SSESpecification` to the table (and a key and an alias, which a mapping of `AWS::KMS::Key` or
 * `AWS::KMS::Alias` may not handle either), so the CDK tables of such a file are not fixed: the step
 * says what the mapping must handle. Without a mapping of its own the adapter goes through Cloud
 * Control, which takes every property: the tables are fixed.
 */
import type { LineIndex } from '../../core/text.js';
import type { TsTable } from './tableTypes.js';
import { stringValue, ts } from './parse.js';

const MAPPED = new Set(['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::KMS::Key', 'AWS::KMS::Alias']);

export function adapterMappings(sf: ts.SourceFile, lines: LineIndex, tables: TsTable[]): void {
  if (!/registerMapping\s*\(/.test(sf.text) || !/['"]@cdktf\/aws-cdk(?:\/[^'"]*)?['"]/.test(sf.text)) return;
  const cdk = tables.filter((t) => t.framework === 'cdk' && t.kind !== 'CfnResource');
  if (cdk.length === 0) return;
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const callee = n.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const type = name === 'registerMapping' && n.arguments[0] ? stringValue(n.arguments[0]) : undefined;
      if (type !== undefined && MAPPED.has(type))
        found.push(`registerMapping('${type}', ...) at line ${lines.position(n.getStart(sf)).line}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  if (found.length === 0) return;
  for (const t of cdk)
    t.encryption.obstacles.push({
      kind: 'code-shape',
      step:
        `the file maps CDK resources to Terraform itself (${found.join(', ')}), and @cdktf/aws-cdk's adapter throws at synth on a ` +
        "property a mapping leaves over: a fix's SSESpecification (and its AWS::KMS::Key and AWS::KMS::Alias) would stop the program " +
        "from synthesizing. Map SSESpecification in the table's mapping (server_side_encryption { enabled, kms_key_arn }), and the " +
        "key's and alias's properties if the file maps AWS::KMS::Key or AWS::KMS::Alias too, then give the table its key by hand",
    });
}
