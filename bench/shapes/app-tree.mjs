/**
 * The files of an ordinary repository, for the sparse tree: application code (TypeScript handlers
 * that use the DynamoDB SDK, services, tests), package files (package.json, a large
 * package-lock.json, tsconfig.json), docs, CI workflows, docker-compose.yml and OpenAPI specs with
 * YAML anchors, Kubernetes manifests, JSON data, Python and Go, images; and the folders kmsfix
 * skips or a .gitignore hides: node_modules, cdk.out (synthesized templates holding tables), dist.
 * Each function returns { relative path: text or Buffer }.
 */
import { WORDS, cap, comment, words } from './common.mjs';
import { cfnJsonSynth } from './cfn-json.mjs';

const lines = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';

function handler(r, w) {
  const ops = words(r, r.int(2, 6));
  let s = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';\nimport type { APIGatewayProxyHandlerV2 } from 'aws-lambda';\nimport { logger } from '../lib/logger';\n\nconst client = DynamoDBDocumentClient.from(new DynamoDBClient({}));\nconst TABLE = process.env.TABLE_NAME!;\n\n`;
  for (const op of ops) {
    s += `/** ${comment(r, '').trim()} */\nexport const ${op}Handler: APIGatewayProxyHandlerV2 = async (event) => {\n  const id = event.pathParameters?.id;\n  if (!id) return { statusCode: 400, body: JSON.stringify({ message: 'id is required' }) };\n  logger.info({ id, op: '${op}' }, 'request');\n`;
    s += r.pick([
      `  const out = await client.send(new GetCommand({ TableName: TABLE, Key: { pk: \`${w}#\${id}\`, sk: 'meta' } }));\n  if (!out.Item) return { statusCode: 404, body: '' };\n  return { statusCode: 200, body: JSON.stringify(out.Item) };\n`,
      `  const body = JSON.parse(event.body ?? '{}');\n  await client.send(new PutCommand({ TableName: TABLE, Item: { pk: \`${w}#\${id}\`, sk: 'meta', ...body, updatedAt: Date.now() } }));\n  return { statusCode: 204, body: '' };\n`,
      `  const out = await client.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': \`${w}#\${id}\` }, Limit: ${r.int(10, 100)} }));\n  return { statusCode: 200, body: JSON.stringify(out.Items ?? []) };\n`,
    ]);
    s += `};\n\n`;
  }
  return s;
}

function service(r, w) {
  const n = r.int(3, 20);
  let s = `import { z } from 'zod';\n\nexport const ${cap(w)}Schema = z.object({\n  id: z.string().uuid(),\n  name: z.string().min(1),\n  createdAt: z.number().int(),\n  tags: z.array(z.string()).default([]),\n});\nexport type ${cap(w)} = z.infer<typeof ${cap(w)}Schema>;\n\n`;
  s += `export class ${cap(w)}Service {\n  constructor(private readonly repo: Map<string, ${cap(w)}>) {}\n\n`;
  for (let i = 0; i < n; i++) {
    s += `  ${r.pick(['find', 'update', 'remove', 'list', 'count', 'sync'])}${cap(r.pick(WORDS))}${i}(id: string, limit = ${r.int(1, 100)}): ${cap(w)}[] {\n    // ${comment(r, '').trim()}\n    const items = [...this.repo.values()].filter((x) => x.id !== id && x.tags.length <= limit);\n    return items.slice(0, limit).sort((a, b) => a.createdAt - b.createdAt);\n  }\n\n`;
  }
  return s + `}\n`;
}

function testFile(r, w) {
  return `import { describe, expect, it } from 'vitest';\nimport { ${cap(w)}Service } from '../src/services/${w}';\n\ndescribe('${w}', () => {\n${lines(r.int(3, 15), (i) => `  it('case ${i}', () => {\n    const s = new ${cap(w)}Service(new Map());\n    expect(s).toBeDefined();\n  });`)}});\n`;
}

function packageLock(r, name) {
  const deps = {};
  for (let i = r.int(150, 600); i > 0; i--) {
    const pkg = `${r.pick(['@types/', '@aws-sdk/', '@smithy/', '', '', ''])}${r.pick(WORDS)}-${r.pick(['utils', 'core', 'parser', 'client', 'types', 'loader'])}${i}`;
    deps[`node_modules/${pkg}`] = {
      version: `${r.int(0, 9)}.${r.int(0, 30)}.${r.int(0, 20)}`,
      resolved: `https://registry.npmjs.org/${pkg}/-/${pkg.split('/').pop()}-1.0.0.tgz`,
      integrity: `sha512-${Buffer.from(String(r.next())).toString('base64')}${'A'.repeat(60)}`,
      dev: r.chance(0.5) || undefined,
      license: r.pick(['MIT', 'Apache-2.0', 'ISC']),
    };
  }
  return (
    JSON.stringify(
      { name, version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name, version: '1.0.0' }, ...deps } },
      null,
      2,
    ) + '\n'
  );
}

function markdown(r, title) {
  return `# ${title}\n\n${lines(r.int(10, 120), () => r.pick([`Some notes about the ${r.pick(WORDS)} service and how it stores ${r.pick(WORDS)} in DynamoDB.`, '', `## ${cap(r.pick(WORDS))}`, `- ${comment(r, '').trim()}`, '```sh\nnpm run deploy -- --stage dev\n```']))}`;
}

const workflow = (r) =>
  `name: ci\non:\n  push:\n    branches: [main]\n  pull_request:\n\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n        with:\n          node-version: ${r.pick([20, 22])}\n          cache: npm\n      - run: npm ci\n      - run: npm test\n${lines(r.int(2, 12), (i) => `      - run: npm run ${r.pick(WORDS)}-${i}`)}`;

const compose = (r) =>
  `x-service: &service\n  restart: unless-stopped\n  environment: &env\n    AWS_REGION: us-east-1\n    LOG_LEVEL: debug\n  networks: [app]\n\nservices:\n  dynamodb:\n    image: amazon/dynamodb-local:latest\n    ports: ["8000:8000"]\n${lines(r.int(1, 5), (i) => `  ${r.pick(WORDS)}-${i}:\n    <<: *service\n    build: ./services/${r.pick(WORDS)}\n    environment:\n      <<: *env\n      TABLE_NAME: local-${r.pick(WORDS)}\n      DYNAMODB_ENDPOINT: http://dynamodb:8000`)}\nnetworks:\n  app: {}\n`;

function openapi(r) {
  let s = `openapi: 3.0.3\ninfo:\n  title: ${cap(r.pick(WORDS))} API\n  version: 1.0.0\ncomponents:\n  responses:\n    NotFound: &notFound\n      description: Not found\n    Error: &error\n      description: Server error\n  schemas:\n    Item:\n      type: object\n      properties:\n        id: { type: string }\n        name: { type: string }\npaths:\n`;
  for (const w of words(r, r.int(2, 8)))
    s += `  /${w}/{id}:\n    get:\n      operationId: get${cap(w)}\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema: { $ref: '#/components/schemas/Item' }\n        '404': *notFound\n        '500': *error\n`;
  return s;
}

const k8s = (r, w) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${w}\n  labels: &labels\n    app: ${w}\n    tier: backend\nspec:\n  replicas: ${r.int(1, 5)}\n  selector:\n    matchLabels: *labels\n  template:\n    metadata:\n      labels: *labels\n    spec:\n      containers:\n        - name: ${w}\n          image: registry.example.com/${w}:${r.int(1, 200)}\n          env:\n            - name: TABLE_NAME\n              value: ${w}-prod\n          resources:\n            limits: { cpu: 500m, memory: 256Mi }\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${w}\nspec:\n  selector:\n    app: ${w}\n  ports:\n    - port: 80\n      targetPort: 8080\n`;

function python(r) {
  return `"""${comment(r, '').trim()}"""\nimport json\nimport boto3\n\ndynamodb = boto3.resource("dynamodb")\n\n\n${lines(r.int(3, 20), (i) => `def job_${i}(event, context):\n    table = dynamodb.Table("${r.pick(WORDS)}")\n    item = table.get_item(Key={"pk": event["id"]}).get("Item")\n    return {"statusCode": 200, "body": json.dumps(item or {})}\n\n`)}`;
}

const go = (r, w) =>
  `package ${w}\n\nimport (\n\t"context"\n\t"fmt"\n)\n\n${lines(r.int(3, 20), (i) => `// Step${i} ${comment(r, '').trim()}\nfunc Step${i}(ctx context.Context, id string) (string, error) {\n\treturn fmt.Sprintf("%s-%d", id, ${i}), ctx.Err()\n}\n`)}`;

const binary = (r, n) => Buffer.from(Array.from({ length: n }, () => r.int(0, 255)));

/** One repository's non-infrastructure files, about `n` of them. */
export function appFiles(r, name, n) {
  const out = {};
  const deps = { '@aws-sdk/client-dynamodb': '^3.600.0', '@aws-sdk/lib-dynamodb': '^3.600.0', zod: '^3.23.0' };
  out['package.json'] =
    JSON.stringify(
      {
        name,
        version: `1.${r.int(0, 40)}.0`,
        private: true,
        type: 'module',
        scripts: { build: 'tsc', test: 'vitest run', lint: 'eslint .' },
        dependencies: deps,
        devDependencies: { typescript: '^5.6.0', vitest: '^2.1.0', '@types/aws-lambda': '^8.10.0' },
      },
      null,
      2,
    ) + '\n';
  out['package-lock.json'] = packageLock(r, name);
  out['tsconfig.json'] =
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, outDir: 'dist' }, include: ['src'] }, null, 2) +
    '\n';
  out['.gitignore'] = 'node_modules/\ndist/\ncoverage/\n*.log\n';
  out['README.md'] = markdown(r, name);
  out['CHANGELOG.md'] = markdown(r, 'Changelog');
  out['.github/workflows/ci.yml'] = workflow(r);
  if (r.chance(0.4)) out['docker-compose.yml'] = compose(r);
  if (r.chance(0.4)) out['api/openapi.yaml'] = openapi(r);
  while (Object.keys(out).length < n) {
    const w = r.pick(WORDS);
    const k = r.int(0, 19);
    const i = Object.keys(out).length;
    if (k <= 4) out[`src/handlers/${w}-${i}.ts`] = handler(r, w);
    else if (k <= 8) out[`src/services/${w}-${i}.ts`] = service(r, w);
    else if (k <= 10) out[`test/${w}-${i}.test.ts`] = testFile(r, w);
    else if (k === 11) out[`docs/${w}-${i}.md`] = markdown(r, cap(w));
    else if (k === 12) out[`deploy/k8s/${w}-${i}.yaml`] = k8s(r, w);
    else if (k === 13)
      out[`src/i18n/${w}-${i}.json`] =
        JSON.stringify(Object.fromEntries(words(r, 10).map((x) => [x, `${cap(x)} ${r.pick(WORDS)}`])), null, 2) + '\n';
    else if (k === 14) out[`scripts/${w}_${i}.py`] = python(r);
    else if (k === 15) out[`tools/${w}/${w}_${i}.go`] = go(r, w);
    else if (k === 16) out[`assets/${w}-${i}.png`] = binary(r, r.int(1000, 12000));
    else if (k === 17) out[`src/lib/${w}-${i}.js`] = service(r, w).replace(/: \w+\[\]|: string|private readonly |<[^>]+>/g, '');
    else
      out[`test/fixtures/${w}-${i}.json`] =
        JSON.stringify(
          Array.from({ length: r.int(5, 60) }, (_, j) => ({ pk: `${w}#${j}`, sk: 'meta', name: r.pick(WORDS), n: r.int(0, 1e6) })),
          null,
          2,
        ) + '\n';
  }
  return out;
}

/** Folders that kmsfix never reads: node_modules and cdk.out (skipped by name), dist (in .gitignore). */
export function skippedFiles(r, { cdk = false } = {}) {
  const out = {};
  for (const pkg of words(r, r.int(2, 8))) {
    out[`node_modules/${pkg}-lib/package.json`] = JSON.stringify({ name: `${pkg}-lib`, version: '1.0.0', main: 'index.js' }) + '\n';
    out[`node_modules/${pkg}-lib/index.js`] = service(r, pkg).replace(/: \w+\[\]|: string|private readonly |<[^>]+>/g, '');
    out[`node_modules/${pkg}-lib/README.md`] = markdown(r, pkg);
  }
  if (cdk) for (let i = r.int(1, 3); i > 0; i--) out[`cdk.out/${cap(r.pick(WORDS))}Stack${i}.template.json`] = cfnJsonSynth(r);
  for (let i = r.int(2, 10); i > 0; i--) out[`dist/${r.pick(WORDS)}-${i}.js`] = service(r, r.pick(WORDS));
  return out;
}
