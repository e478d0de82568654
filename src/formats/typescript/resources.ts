/**
 * CloudFormation resources written as TypeScript object literals: a Serverless Framework service file
 * (`serverless.ts`, the aws-nodejs-typescript template) declares `resources: { Resources: { Orders: {
 * Type: 'AWS::DynamoDB::Table', Properties: {...} } } }`. Each DynamoDB table there is read as
 * CloudFormation reads it (`SSESpecification`: `SSEEnabled`, `KMSMasterKeyId`; a global table's
 * replica keys) and reported; fixResources.ts fixes a table (a global table is left to the user).
 */
import { ABSENT, type EncryptionFacts, type Setting } from '../../rule/facts.js';
import type { LineIndex } from '../../core/text.js';
import { cfnSettings, keyOf, lookup, objectAt, replicasOf, settingOf, suppressionsOf, unreadable, WORDS, type TsTable } from './detect.js';
import { propertyName, stringValue, ts, unwrap } from './parse.js';

const TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable']);
const NAMES = { block: 'SSESpecification', enabled: 'SSEEnabled', key: 'KMSMasterKeyId' };

const STEP =
  "a global table written in TypeScript (a serverless.ts): give each replica's SSESpecification a KMSMasterKeyId of a key in its " +
  'Region by hand; kmsfix never half-fixes a global table';

/** A global table replica's key: SSESpecification.KMSMasterKeyId. */
function replicaKey(sf: ts.SourceFile, replica: ts.ObjectLiteralExpression): Setting {
  const spec = lookup(sf, replica, NAMES.block);
  if (spec.kind === 'unknown') return { state: 'unreadable', source: spec.why };
  const o = objectAt(sf, replica, NAMES.block);
  return o ? settingOf(sf, o, NAMES.key, keyOf(sf)) : ABSENT;
}

function factsOf(sf: ts.SourceFile, resource: ts.ObjectLiteralExpression, global: boolean): EncryptionFacts {
  const props = lookup(sf, resource, 'Properties');
  if (props.kind === 'unknown') return unreadable(props.why);
  const value = props.kind === 'value' ? unwrap(props.value) : undefined;
  if (value && !ts.isObjectLiteralExpression(value)) return unreadable(`Properties is ${value.getText(sf)}, not an object literal`);
  const facts: EncryptionFacts = { peerKind: 'code', words: WORDS.CfnResource, settings: { model: 'sse', block: ABSENT }, obstacles: [] };
  if (value) facts.settings = cfnSettings(sf, value, !global, NAMES);
  if (global)
    facts.replicas = replicasOf(sf, value ?? ts.factory.createObjectLiteralExpression(), 'Replicas', 'own', (o) => replicaKey(sf, o));
  // kmsfix fixes a table resource (fixResources.ts), not a global table's replicas.
  if (global) facts.obstacles.push({ kind: 'code-shape', step: STEP });
  return facts;
}

/** The DynamoDB tables of `Resources: { ... }` object literals in the file. */
export function resourceTables(sf: ts.SourceFile, lines: LineIndex): TsTable[] {
  const out: TsTable[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAssignment(n) && propertyName(n.name) === 'Resources') {
      const resources = unwrap(n.initializer);
      if (ts.isObjectLiteralExpression(resources)) {
        for (const p of resources.properties) {
          const id = ts.isPropertyAssignment(p) ? propertyName(p.name) : undefined;
          const resource = id !== undefined ? unwrap((p as ts.PropertyAssignment).initializer) : undefined;
          if (!resource || !ts.isObjectLiteralExpression(resource)) continue;
          const typeOf = lookup(sf, resource, 'Type');
          const type = typeOf.kind === 'value' ? stringValue(unwrap(typeOf.value)) : undefined;
          if (!type || !TYPES.has(type)) continue;
          const pos = lines.position(p.getStart(sf));
          out.push({
            line: pos.line,
            column: pos.column,
            format: 'serverless',
            type,
            generation: 'serverless',
            address: id!,
            kind: 'CfnResource',
            framework: 'serverless',
            node: resource,
            encryption: factsOf(sf, resource, type === 'AWS::DynamoDB::GlobalTable'),
            suppressions: suppressionsOf(sf, p),
          });
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}
