/**
 * Amplify Gen2 data models: each `a.model({...})` of an `a.schema({...})` (from `@aws-amplify/backend`)
 * is a DynamoDB table that Amplify creates through its own custom resource, with
 * `TableEncryption.DEFAULT` (`sseSpecification: { sseEnabled: false }`: the AWS owned key) unless
 * amplify/backend.ts sets `sseSpecification` on `backend.data.resources.cfnResources.amplifyDynamoDbTables`.
 * Reported, never fixed: the setting lives in backend.ts, with a key kmsfix does not write there.
 */
import path from 'node:path';
import type { LineIndex } from '../../core/text.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { EncryptionFacts, Setting, Vocabulary } from '../../rule/facts.js';
import { snippet } from './lookup.js';
import type { TsTable } from './tableTypes.js';
import { readImports } from './imports.js';
import { parseTypeScript, propertyName, stringValue, ts, unwrap } from './parse.js';

const MODULE = '@aws-amplify/backend';

/** Does the file hold Amplify data models (cheap: asked of every TypeScript file)? */
export function mayHoldModels(text: string): boolean {
  return text.includes('.model(') && text.includes(MODULE);
}

const WORDS: Vocabulary = {
  names: {
    container: 'a.model()',
    block: 'sseSpecification',
    enabled: "the sseEnabled Amplify gives a data model's table (TableEncryption.DEFAULT)",
    key: 'kmsMasterKeyId',
  },
};

const STEP =
  "Amplify creates a data model's table through its own custom resource, which kmsfix does not rewrite: in amplify/backend.ts, " +
  'create a KMS key with rotation in `Stack.of(backend.data)` whose key policy lets this account use it through DynamoDB (the ' +
  "statement kmsfix writes for a CDK table: kms:CallerAccount and kms:ViaService dynamodb.<Region>; without it Amplify's table " +
  'manager and the AppSync data sources are denied), then set `table.sseSpecification = { sseEnabled: true, sseType: "KMS", ' +
  'kmsMasterKeyId: key.keyArn }` on each table of `backend.data.resources.cfnResources.amplifyDynamoDbTables`';

/** The `a` of `import { a } from '@aws-amplify/backend'` (its local name), if the file imports it. */
function schemaBuilder(sf: ts.SourceFile): string | undefined {
  for (const i of readImports(sf)) {
    if (i.module !== MODULE) continue;
    const a = i.named.find((n) => n.imported === 'a' && !n.typeOnly);
    if (a) return a.local;
  }
  return undefined;
}

/** The innermost call of a chain (`a.model({...}).authorization(...)` -> `a.model({...})`). */
function chainBase(e: ts.Expression): ts.CallExpression | undefined {
  let cur = unwrap(e);
  while (
    ts.isCallExpression(cur) &&
    ts.isPropertyAccessExpression(cur.expression) &&
    ts.isCallExpression(unwrap(cur.expression.expression))
  )
    cur = unwrap(cur.expression.expression);
  return ts.isCallExpression(cur) ? cur : undefined;
}

/** Is `call` `<a>.<name>(...)`? */
function isBuilderCall(call: ts.CallExpression | undefined, a: string, name: string): call is ts.CallExpression {
  const callee = call?.expression;
  return (
    !!callee &&
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === a &&
    callee.name.text === name
  );
}

/** `const Todo = a.model({...})` of the file, by name: a shorthand `{ Todo }` in the schema names it. */
function modelConsts(sf: ts.SourceFile, a: string): Map<string, ts.CallExpression> {
  const out = new Map<string, ts.CallExpression>();
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const base = d.initializer ? chainBase(d.initializer) : undefined;
      if (ts.isIdentifier(d.name) && isBuilderCall(base, a, 'model')) out.set(d.name.text, base);
    }
  }
  return out;
}

interface Model {
  name: string;
  call: ts.CallExpression;
}

/** The models of the file's `a.schema({...})` calls. */
function modelsOf(sf: ts.SourceFile, a: string): Model[] {
  const consts = modelConsts(sf, a);
  const out: Model[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isBuilderCall(node, a, 'schema')) {
      const arg = node.arguments[0] && unwrap(node.arguments[0]);
      if (arg && ts.isObjectLiteralExpression(arg))
        for (const p of arg.properties) {
          if (p.kind === ts.SyntaxKind.ShorthandPropertyAssignment) {
            const name = (p as unknown as { name: ts.Identifier }).name.text;
            const call = consts.get(name);
            if (call) out.push({ name, call });
          } else if (ts.isPropertyAssignment(p)) {
            const base = chainBase(p.initializer);
            const name = propertyName(p.name);
            if (name !== undefined && isBuilderCall(base, a, 'model')) out.push({ name, call: base });
          }
        }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** What amplify/backend.ts sets as the models' tables' sseSpecification: for one model by name, or for all (`*`). */
type Overrides = Map<string, { setting: Setting; where: string }>;

function backendOverrides(backend: SourceFile | undefined): Overrides {
  const out: Overrides = new Map();
  if (!backend?.text.includes('amplifyDynamoDbTables') || !backend.text.includes('sseSpecification')) return out;
  const sf = parseTypeScript(backend.path, backend.text);
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.name.text === 'sseSpecification'
    ) {
      const target = unwrap(node.left.expression);
      const access =
        target.kind === ts.SyntaxKind.ElementAccessExpression
          ? (target as unknown as { expression: ts.Expression; argumentExpression: ts.Expression })
          : undefined;
      const one = access?.expression.getText(sf).includes('amplifyDynamoDbTables') ? stringValue(access.argumentExpression) : undefined;
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      out.set(one ?? '*', { setting: sseSetting(sf, unwrap(node.right)), where: `amplify/${path.basename(backend.path)}:${line}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** An sseSpecification as backend.ts writes it, read as the switch the rule decides on. */
function sseSetting(sf: ts.SourceFile, value: ts.Expression): Setting {
  const source = snippet(sf, value);
  if (!ts.isObjectLiteralExpression(value)) return { state: 'expression', source };
  const prop = (name: string) =>
    value.properties.find((p) => ts.isPropertyAssignment(p) && propertyName(p.name) === name) as ts.PropertyAssignment | undefined;
  if (prop('kmsMasterKeyId')) return { state: 'literal', source, means: 'customer-managed' };
  const enabled = prop('sseEnabled')?.initializer.kind;
  if (enabled === ts.SyntaxKind.TrueKeyword) return { state: 'literal', source, means: 'aws-managed' };
  if (enabled === ts.SyntaxKind.FalseKeyword || !prop('sseEnabled')) return { state: 'literal', source, means: 'aws-owned' };
  return { state: 'expression', source };
}

function factsOf(override: { setting: Setting; where: string } | undefined): EncryptionFacts {
  const obstacles: EncryptionFacts['obstacles'] = [{ kind: 'code-shape', step: STEP }];
  if (!override)
    return {
      peerKind: 'code',
      words: WORDS,
      settings: { model: 'sse', block: { state: 'literal', source: '' }, enabled: { state: 'literal', source: 'false', bool: false } },
      obstacles,
    };
  const choice = { ...override.setting, source: `${override.setting.source}, set in ${override.where}` };
  return { peerKind: 'code', words: { names: { choice: 'sseSpecification' } }, settings: { model: 'choice', choice }, obstacles };
}

/**
 * The data models of an Amplify Gen2 data resource (amplify/data/resource.ts) as tables, with what
 * amplify/backend.ts (beside the file's folder) sets for them.
 */
export async function amplifyModelTables(file: SourceFile, sf: ts.SourceFile, lines: LineIndex, context?: DiskContext): Promise<TsTable[]> {
  const a = schemaBuilder(sf);
  const models = a ? modelsOf(sf, a) : [];
  if (models.length === 0) return [];
  const above = context ? await context.folder(file, '..') : undefined;
  const overrides = backendOverrides(above?.find((f) => /^backend\.[cm]?ts$/.test(path.basename(f.path))));
  return models.map(({ name, call }): TsTable => {
    const pos = lines.position(call.getStart(sf));
    return {
      line: pos.line,
      column: pos.column,
      format: 'cdk',
      type: 'Amplify data model (a.model)',
      generation: 'cdk-v2',
      address: name,
      kind: 'Table',
      framework: 'cdk',
      node: call,
      encryption: factsOf(overrides.get(name) ?? overrides.get('*')),
      suppressions: [],
    };
  });
}
