/**
 * Zero-ETL integrations in code that read a table of the file: CDK's `CfnIntegration` (aws-redshift,
 * aws-glue), Pulumi's `aws.redshift.Integration`, CDKTF's `RedshiftIntegration`, whose `sourceArn` is the
 * table's ARN (`orders.tableArn`, `orders.arn`). Such an integration reads the table as its service, which
 * a generated key's policy does not let in: the table gets the `zero-etl` obstacle (src/rule/blockers.ts),
 * as CloudFormation's and Terraform's integrations give it.
 */
import type { LineIndex } from '../../core/text.js';
import type { TsTable } from './tableTypes.js';
import { lookup } from './lookup.js';
import { newExpressions, soleSubstitution, type ts, unwrap } from './parse.js';
import { resourceArgs, tableOfArn } from './resourcePolicy.js';

/** Give each table of the file a zero-ETL integration reads the `zero-etl` obstacle. `isIntegration`: the callee is such a class (as detect.ts resolves imports). */
export function integrationTables(
  sf: ts.SourceFile,
  lines: LineIndex,
  tables: TsTable[],
  isIntegration: (callee: ts.Expression) => boolean,
): void {
  if (tables.length === 0 || !sf.text.includes('Integration') || !/\bsourceArn\b/.test(sf.text)) return;
  for (const n of newExpressions(sf)) {
    if (!isIntegration(n.expression)) continue;
    const { props, id } = resourceArgs(n);
    const source = props ? lookup(sf, props, 'sourceArn') : undefined;
    if (source?.kind !== 'value') continue;
    // A template holding the ARN alone (`${orders.tableArn}`).
    const ref = soleSubstitution(source.value) ?? unwrap(source.value);
    const t = tableOfArn(ref, /^(tableArn|arn)$/, tables);
    if (!t || t.encryption.obstacles.some((o) => o.kind === 'zero-etl')) continue;
    const where = `line ${lines.position(n.getStart(sf)).line}`;
    t.encryption.obstacles.push({
      kind: 'zero-etl',
      integrations: [`the zero-ETL integration ${id ?? n.expression.getText(sf)} (${where})`],
    });
  }
}
