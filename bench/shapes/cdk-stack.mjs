/**
 * A large AWS CDK stack file, as real CDK apps grow: a props interface, a stack with many tables
 * (Table mostly, some TableV2 and CfnTable; every encryption setting, customer-managed keys
 * included), GSIs, functions with grants, queues, topics, alarms, an HTTP API, and private helper
 * methods; 15 to 40 KB.
 */
import { WORDS, cap, comment } from './common.mjs';

function tableBlock(r, q, w, i, ind) {
  const id = `${cap(w)}${i}`;
  const v = `${w}${i}Table`;
  const kind = r.chance(0.1) ? 'v2' : r.chance(0.05) ? 'cfn' : 'table';
  let s = `${ind}${comment(r, '//')}\n`;
  if (kind === 'cfn') {
    s += `${ind}const ${v} = new dynamodb.CfnTable(this, ${q}${id}${q}, {\n${ind}  billingMode: ${q}PAY_PER_REQUEST${q},\n${ind}  attributeDefinitions: [{ attributeName: ${q}pk${q}, attributeType: ${q}S${q} }],\n${ind}  keySchema: [{ attributeName: ${q}pk${q}, keyType: ${q}HASH${q} }],\n`;
    if (r.chance(0.5)) s += `${ind}  sseSpecification: { sseEnabled: ${r.chance(0.5)} },\n`;
    return { text: `${s}${ind}});\n`, v, cfn: true };
  }
  const ctor = kind === 'v2' ? 'dynamodb.TableV2' : 'dynamodb.Table';
  s += `${ind}const ${v} = new ${ctor}(this, ${q}${id}${q}, {\n${ind}  partitionKey: { name: ${q}pk${q}, type: dynamodb.AttributeType.STRING },\n${ind}  sortKey: { name: ${q}sk${q}, type: dynamodb.AttributeType.STRING },\n`;
  if (kind === 'v2') s += `${ind}  billing: dynamodb.Billing.onDemand(),\n`;
  else s += `${ind}  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,\n`;
  if (r.chance(0.4)) s += `${ind}  ${kind === 'v2' ? 'dynamoStream' : 'stream'}: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,\n`;
  if (r.chance(0.3)) s += `${ind}  timeToLiveAttribute: ${q}expiresAt${q},\n`;
  if (r.chance(0.4)) s += `${ind}  pointInTimeRecovery: props.stage === ${q}prod${q},\n`;
  if (r.chance(0.4)) s += `${ind}  removalPolicy: props.stage === ${q}prod${q} ? cdk.RemovalPolicy.RETAIN : cdk.RemovalPolicy.DESTROY,\n`;
  const k = r.int(0, 4);
  if (kind === 'v2') {
    if (k === 1) s += `${ind}  encryption: dynamodb.TableEncryptionV2.awsManagedKey(),\n`;
    if (k === 2) s += `${ind}  encryption: dynamodb.TableEncryptionV2.dynamoOwnedKey(),\n`;
  } else {
    if (k === 1) s += `${ind}  encryption: dynamodb.TableEncryption.AWS_MANAGED,\n`;
    if (k === 2) s += `${ind}  encryption: dynamodb.TableEncryption.DEFAULT,\n`;
    if (k === 3) s += `${ind}  encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,\n${ind}  encryptionKey: this.dataKey,\n`;
  }
  s += `${ind}});\n`;
  for (let g = r.int(0, 3); g > 0; g--) {
    s += `${ind}${v}.addGlobalSecondaryIndex({\n${ind}  indexName: ${q}by-${r.pick(WORDS)}-${g}${q},\n${ind}  partitionKey: { name: ${q}g${g}${q}, type: dynamodb.AttributeType.${r.pick(['STRING', 'NUMBER'])} },\n${ind}  projectionType: dynamodb.ProjectionType.${r.pick(['ALL', 'KEYS_ONLY'])},\n${ind}});\n`;
  }
  return { text: s, v, cfn: false };
}

function functionBlock(r, q, w, i, f, table, ind) {
  const fn = `${w}${i}Fn${f}`;
  let s = `\n${ind}const ${fn} = this.nodeFunction(${q}${cap(w)}${i}Fn${f}${q}, ${q}${w}/${r.pick(['create', 'get', 'list', 'sync', 'export'])}${q}, {\n${ind}  TABLE_NAME: ${table.cfn ? `${table.v}.ref` : `${table.v}.tableName`},\n${ind}  STAGE: props.stage,\n${ind}});\n`;
  if (!table.cfn) s += `${ind}${table.v}.${r.pick(['grantReadWriteData', 'grantReadData', 'grantWriteData'])}(${fn});\n`;
  const extra = r.int(0, 3);
  if (extra === 1)
    s += `${ind}this.api.addRoutes({\n${ind}  path: ${q}/${w}/${f}${q},\n${ind}  methods: [apigw.HttpMethod.${r.pick(['GET', 'POST', 'PUT'])}],\n${ind}  integration: new integrations.HttpLambdaIntegration(${q}${cap(w)}${i}Route${f}${q}, ${fn}),\n${ind}});\n`;
  if (extra === 2)
    s += `${ind}const ${fn}Queue = new sqs.Queue(this, ${q}${cap(w)}${i}Queue${f}${q}, {\n${ind}  visibilityTimeout: cdk.Duration.seconds(${r.int(30, 900)}),\n${ind}  encryption: sqs.QueueEncryption.SQS_MANAGED,\n${ind}});\n${ind}${fn}.addEventSource(new sources.SqsEventSource(${fn}Queue, { batchSize: ${r.int(1, 10)} }));\n`;
  if (extra === 3)
    s += `${ind}new cloudwatch.Alarm(this, ${q}${cap(w)}${i}Errors${f}${q}, {\n${ind}  metric: ${fn}.metricErrors({ period: cdk.Duration.minutes(5) }),\n${ind}  threshold: ${r.int(1, 20)},\n${ind}  evaluationPeriods: 1,\n${ind}  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,\n${ind}}).addAlarmAction(new actions.SnsAction(this.alarms));\n`;
  return s;
}

export function cdkStack(r) {
  const q = r.pick(["'", "'", '"']);
  const name = `${cap(r.pick(WORDS))}${cap(r.pick(WORDS))}`;
  const imp = (what, from) => `import ${what} from ${q}${from}${q};\n`;
  let s =
    imp('* as cdk', 'aws-cdk-lib') +
    imp('* as dynamodb', 'aws-cdk-lib/aws-dynamodb') +
    imp('* as lambda', 'aws-cdk-lib/aws-lambda') +
    imp('* as nodejs', 'aws-cdk-lib/aws-lambda-nodejs') +
    imp('* as sources', 'aws-cdk-lib/aws-lambda-event-sources') +
    imp('* as sqs', 'aws-cdk-lib/aws-sqs') +
    imp('* as sns', 'aws-cdk-lib/aws-sns') +
    imp('* as kms', 'aws-cdk-lib/aws-kms') +
    imp('* as cloudwatch', 'aws-cdk-lib/aws-cloudwatch') +
    imp('* as actions', 'aws-cdk-lib/aws-cloudwatch-actions') +
    imp('* as apigw', 'aws-cdk-lib/aws-apigatewayv2') +
    imp('* as integrations', 'aws-cdk-lib/aws-apigatewayv2-integrations') +
    imp('{ Construct }', 'constructs') +
    '\n';
  s += `export interface ${name}StackProps extends cdk.StackProps {\n  /** Deployment stage: dev, staging or prod. */\n  readonly stage: string;\n  /** Memory for every function, in MB. */\n  readonly memorySize?: number;\n}\n\n`;
  s += `/**\n * ${name}: tables, functions and the HTTP API in front of them.\n * ${comment(r, '').trim()}\n */\n`;
  s += `export class ${name}Stack extends cdk.Stack {\n  private readonly api: apigw.HttpApi;\n  private readonly alarms: sns.Topic;\n  private readonly dataKey: kms.Key;\n  private readonly memorySize: number;\n\n`;
  s += `  constructor(scope: Construct, id: string, props: ${name}StackProps) {\n    super(scope, id, props);\n    this.memorySize = props.memorySize ?? ${r.pick([256, 512, 1024])};\n`;
  s += `    this.api = new apigw.HttpApi(this, ${q}Api${q}, { apiName: \`${name.toLowerCase()}-\${props.stage}\` });\n    this.alarms = new sns.Topic(this, ${q}Alarms${q});\n    this.dataKey = new kms.Key(this, ${q}DataKey${q}, { enableKeyRotation: true, alias: \`${name.toLowerCase()}-data-\${props.stage}\` });\n\n`;
  const groups = r.int(5, 14);
  for (let i = 0; i < groups; i++) {
    const w = r.pick(WORDS);
    const t = tableBlock(r, q, w, i, '    ');
    s += t.text;
    for (let f = r.int(1, 5); f > 0; f--) s += functionBlock(r, q, w, i, f, t, '    ');
    s += `    new cdk.CfnOutput(this, ${q}${cap(w)}${i}TableName${q}, { value: ${t.cfn ? `${t.v}.ref` : `${t.v}.tableName`} });\n\n`;
  }
  s += `  }\n\n`;
  s += `  /** A Node.js function with the stack's defaults. */\n  private nodeFunction(id: string, entry: string, environment: Record<string, string>): lambda.IFunction {\n    return new nodejs.NodejsFunction(this, id, {\n      entry: \`src/handlers/\${entry}.ts\`,\n      runtime: lambda.Runtime.NODEJS_22_X,\n      memorySize: this.memorySize,\n      timeout: cdk.Duration.seconds(${r.int(5, 30)}),\n      tracing: lambda.Tracing.ACTIVE,\n      environment: { ...environment, NODE_OPTIONS: ${q}--enable-source-maps${q} },\n      bundling: { minify: true, sourceMap: true },\n    });\n  }\n}\n`;
  return s;
}
