/**
 * AWS Solutions Constructs that create a DynamoDB table: `new LambdaToDynamoDB(this, 'Feed', { dynamoTableProps })`,
 * DynamoDBStreamsToLambda, ApiGatewayToDynamoDB and the rest of the family taking `dynamoTableProps`. Given no
 * existing table (`existingTableObj`, `existingTableInterface`), each runs `new dynamodb.Table(this, 'DynamoTable',
 * consolidateProps(GetDefaultTableProps(p), p))` (@aws-solutions-constructs/core, dynamodb-table-helper), whose
 * defaults set `encryption: TableEncryption.AWS_MANAGED` and let the caller's `dynamoTableProps` win, key by key. No
 * `new` names a table class, so these tables were a silent miss. Each is reported at the construct, its status read
 * from its `dynamoTableProps` over that default, and never fixed: it goes through the factory path of detect.ts
 * (factories.ts), as a table created through a call is.
 */
import type { Setting } from '../../rule/facts.js';
import { type FactorySite, newsOfClasses } from './factories.js';
import { lookup, snippet } from './lookup.js';
import { objectOf } from './options.js';
import { stringValue, type ts, isNullish, unwrap } from './parse.js';

/** Constructor symbol -> its package (the module it is imported from); every one of them takes `dynamoTableProps`. */
const CONSTRUCTS: Record<string, string> = {};
for (const [pkg, name] of [
  ['aws-lambda-dynamodb', 'LambdaToDynamoDB'],
  ['aws-apigateway-dynamodb', 'ApiGatewayToDynamoDB'],
  ['aws-dynamodbstreams-lambda', 'DynamoDBStreamsToLambda'],
  ['aws-dynamodbstreams-lambda-elasticsearch-kibana', 'DynamoDBStreamsToLambdaToElasticSearchAndKibana'],
  ['aws-dynamodbstreams-pipes-stepfunctions', 'DynamoDBStreamsToPipesToStepfunctions'],
  ['aws-fargate-dynamodb', 'FargateToDynamoDB'],
  ['aws-iot-lambda-dynamodb', 'IotToLambdaToDynamoDB'],
  // Their deprecated names (renamed in 1.115, removed after 2.25): the same props.
  ['aws-dynamodb-stream-lambda', 'DynamoDBStreamToLambda'],
  ['aws-dynamodb-stream-lambda-elasticsearch-kibana', 'DynamoDBStreamToLambdaToElasticSearchAndKibana'],
]) {
  CONSTRUCTS[`@aws-solutions-constructs/${pkg}#${name}`] = `@aws-solutions-constructs/${pkg}`;
}

/** The constructs' names, to pass over most `new x.Y(...)` of a file before resolving their class. */
const NAMES = new Set(Object.keys(CONSTRUCTS).map((k) => k.split('#')[1]));

/** The props naming an existing table, in which case the construct creates none. */
const EXISTING = ['existingTableObj', 'existingTableInterface'];

/** The key choice the constructs' defaults give a table whose `dynamoTableProps` set no `encryption`. */
function defaultChoice(name: string): Setting {
  return {
    state: 'reference',
    source: `TableEncryption.AWS_MANAGED (${name}'s default, which dynamoTableProps do not override)`,
    means: 'aws-managed',
  };
}

function stepOf(name: string): string {
  return (
    `the table is created by ${name} (AWS Solutions Constructs), which kmsfix does not rewrite: set dynamoTableProps: ` +
    '{ encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: key } by hand, with key a kms.Key that has ' +
    "enableKeyRotation: true (both: an encryptionKey alone leaves the construct's default AWS_MANAGED beside it, which CDK refuses)"
  );
}

/**
 * The file's Solutions Constructs that create a table (`sym` resolves a callee through the file's imports),
 * as sites of the factory path: the arguments `new Table(scope, id, props)` gets are the construct's scope,
 * its id and its `dynamoTableProps` (none when absent: the defaults alone), read over the default choice.
 */
export function solutionsConstructSites(
  sf: ts.SourceFile,
  news: readonly ts.NewExpression[],
  sym: (e: ts.Expression) => string | undefined,
): FactorySite[] {
  const out: FactorySite[] = [];
  for (const { node, symbol, value: pkg } of newsOfClasses(news, sym, NAMES, CONSTRUCTS)) {
    const name = symbol.split('#')[1];
    const [scope, id, props] = node.arguments ?? [];
    const cls = { kind: 'Table' as const, framework: 'cdk' as const, type: `${pkg}.${name}` };
    const site = (args: FactorySite['args'], more: Partial<FactorySite>): FactorySite => ({
      call: node,
      cls,
      args,
      address: id ? (stringValue(unwrap(id)) ?? id.getText(sf)) : '(no id)',
      step: stepOf(name),
      propsName: 'dynamoTableProps',
      ...more,
    });
    const literal = props ? objectOf(props)?.literal : undefined;
    if (!literal) {
      const what = props ? snippet(sf, props) : 'absent';
      out.push(
        site([scope, id], {
          unreadable: `its props are ${what}, not an object literal: whether it creates a table, and how, is not written here`,
        }),
      );
      continue;
    }
    const given = lookup(sf, literal, 'dynamoTableProps');
    if (given.kind === 'unknown') {
      out.push(site([scope, id], { unreadable: given.why }));
      continue;
    }
    if (given.kind === 'value' && !isNullish(unwrap(given.value))) {
      // dynamoTableProps beside an existing table is an error of the construct: with them, it creates the table.
      out.push(site([scope, id, given.value], { defaultChoice: defaultChoice(name) }));
      continue;
    }
    const existing = EXISTING.map((k) => lookup(sf, literal, k));
    if (existing.some((l) => l.kind === 'value' && !isNullish(unwrap(l.value)))) continue;
    const hidden = existing.find((l) => l.kind === 'unknown');
    if (hidden?.kind === 'unknown') out.push(site([scope, id], { unreadable: hidden.why }));
    else out.push(site([scope, id], { defaultChoice: defaultChoice(name) }));
  }
  return out;
}
