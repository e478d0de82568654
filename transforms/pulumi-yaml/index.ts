/**
 * Pulumi YAML programs: `resources:` of `type: aws:dynamodb:Table`, with `serverSideEncryption`
 * as in the Terraform provider. A fix adds an `aws:kms:Key` (rotation, the shared key policy via
 * fn::toJSON) and an `aws:kms:Alias`, and the account/partition/region variables the policy needs.
 * Reuses the CloudFormation family's YAML tree, style detection and map edits.
 */
import { DEFAULT_KEY_POLICY, KEY_SETTINGS, keyDescription, policyDocument, splitPlaceholders, type KeyPolicyMode, type Placeholder } from '../../src/keyPolicy.js';
import type { SseFacts } from '../../src/peers/facts.js';
import { EXPLAIN, isAwsManagedKeyRef, type Status } from '../../src/status.js';
import { commentSuppressions } from '../../src/suppressions.js';
import { LineIndex, commentLinesAbove } from '../../src/text.js';
import type { DetectedTable, Detection, FilePlan, FixOptions, GroupMember, SourceFile, Transform } from '../../src/types.js';
import { boolOf, checkPlaceholders, snippet } from '../cloudformation/detect.js';
import { applySettings, insertPairs, uniqueName, type Ctx } from '../cloudformation/fix.js';
import { detectStyle } from '../cloudformation/style.js';
import { child, parseYaml, scalarString, type CMap, type CNode, type CPair } from '../cloudformation/tree.js';
import type { Value } from '../cloudformation/values.js';

interface Program {
  root: CMap;
  resources: CMap;
}

interface PulumiTable extends DetectedTable {
  program: Program;
  pair: CPair;
  resource: CMap;
}

interface PulumiDetection extends Detection {
  tables: PulumiTable[];
  programs: Program[];
  roots: (CNode | null)[];
}

function isYamlProgram(root: CNode | null): root is CMap {
  if (root?.kind !== 'map') return false;
  const runtime = child(root, 'runtime');
  return scalarString(runtime) === 'yaml' || scalarString(child(runtime, 'name')) === 'yaml';
}

function verdict(text: string, props: CNode | null | undefined): { status: Status; message: string; facts: SseFacts } {
  const sse = child(props, 'serverSideEncryption');
  if (sse === undefined || sse === null || (sse.kind === 'scalar' && sse.value === null)) {
    return { status: 'aws-owned', message: `No serverSideEncryption: ${EXPLAIN.awsOwned}`, facts: { kind: 'pulumi-yaml-table', block: 'missing' } };
  }
  if (sse.kind !== 'map') {
    return { status: 'unknown', message: `serverSideEncryption is ${snippet(text, sse)}: ${EXPLAIN.unknown}`, facts: { kind: 'pulumi-yaml-table', block: 'unresolved' } };
  }
  const enabledNode = child(sse, 'enabled');
  const keyNode = child(sse, 'kmsKeyArn');
  const enabled = boolOf(enabledNode);
  const facts: SseFacts = {
    kind: 'pulumi-yaml-table',
    block: 'present',
    enabled: enabledNode === undefined ? undefined : enabled === 'unknown' ? { unresolved: snippet(text, enabledNode) } : enabled,
    key: keyNode === undefined ? undefined : (scalarString(keyNode) ?? { unresolved: snippet(text, keyNode) }),
  };
  if (enabledNode === undefined || enabled === false) {
    return { status: 'aws-owned', message: `serverSideEncryption is not enabled: ${EXPLAIN.awsOwned}`, facts };
  }
  if (enabled === 'unknown') return { status: 'unknown', message: `enabled is ${snippet(text, enabledNode)}: ${EXPLAIN.unknown}`, facts };
  const key = scalarString(keyNode);
  if (keyNode === undefined || (key !== undefined && isAwsManagedKeyRef(key))) {
    return { status: 'aws-managed', message: `${keyNode ? `kmsKeyArn is ${snippet(text, keyNode)}` : 'SSE is enabled with no kmsKeyArn'}: ${EXPLAIN.awsManaged}`, facts };
  }
  return { status: 'customer-managed', message: `Encrypted with customer-managed key ${snippet(text, keyNode)}`, facts };
}

function detect(file: SourceFile): PulumiDetection {
  checkPlaceholders(file.text);
  const docs = parseYaml(file.text);
  const lines = new LineIndex(file.text);
  const tables: PulumiTable[] = [];
  const programs: Program[] = [];
  for (const doc of docs) {
    if (!isYamlProgram(doc.root)) continue;
    const resources = child(doc.root, 'resources');
    if (resources?.kind !== 'map') continue;
    const program = { root: doc.root, resources };
    programs.push(program);
    for (const pair of resources.pairs) {
      const resource = pair.value;
      if (resource?.kind !== 'map' || scalarString(child(resource, 'type')) !== 'aws:dynamodb:Table') continue;
      const v = verdict(file.text, child(resource, 'properties'));
      const pos = lines.position(pair.keyStart);
      tables.push({
        line: pos.line,
        column: pos.column,
        format: 'pulumi-yaml',
        type: 'aws:dynamodb:Table',
        address: pair.key,
        status: v.status,
        message: v.message,
        facts: v.facts,
        suppressions: commentLinesAbove(file.text, pair.keyStart).flatMap((c) => commentSuppressions(c)),
        program,
        pair,
        resource,
      });
    }
  }
  return { tables, programs, roots: docs.map((d) => d.root) };
}

const VARIABLES: Record<Placeholder, [string, Value]> = {
  account: ['kmsfixAccountId', { 'fn::invoke': { function: 'aws:getCallerIdentity', return: 'accountId' } }],
  partition: ['kmsfixPartition', { 'fn::invoke': { function: 'aws:getPartition', return: 'partition' } }],
  region: ['kmsfixRegion', { 'fn::invoke': { function: 'aws:getRegion', return: 'name' } }],
};

function interpolate(template: string): string {
  return splitPlaceholders(template)
    .map((p) => (typeof p === 'string' ? p : '${' + VARIABLES[p.placeholder][0] + '}'))
    .join('');
}

function policy(mode: KeyPolicyMode): Value {
  return { 'fn::toJSON': policyDocument(mode, interpolate) as Value };
}

function fix(group: GroupMember<PulumiDetection>[], options: FixOptions): Map<string, FilePlan> {
  const plans = new Map<string, FilePlan>();
  for (const { file, detection, targets } of group) {
    const chosen = detection.tables.filter((t) => targets.includes(t.address));
    if (chosen.length === 0) continue;
    const ctx: Ctx = { text: file.text, json: false, style: detectStyle(file.text, detection.roots, 'pulumi-yaml', false), edits: [] };
    for (const program of detection.programs) {
      const mine = chosen.filter((t) => t.program === program);
      if (mine.length === 0) continue;
      const variables = child(program.root, 'variables');
      const taken = new Set([...program.resources.pairs.map((p) => p.key), ...(variables?.kind === 'map' ? variables.pairs.map((p) => p.key) : [])]);
      for (const t of mine) {
        const keyName = options.kmsKeyArn ? undefined : uniqueName(`${t.address}Key`, taken);
        const arn = options.kmsKeyArn ?? '${' + keyName + '.arn}';
        applySettings(ctx, t.resource, [
          {
            key: 'properties',
            nested: [
              {
                key: 'serverSideEncryption',
                nested: [
                  { key: 'enabled', value: true, replace: (n) => boolOf(n) !== true },
                  { key: 'kmsKeyArn', value: arn, replace: () => true },
                ],
              },
            ],
          },
        ]);
        if (keyName) {
          const aliasName = uniqueName(`${keyName}Alias`, taken);
          const key: Value = {
            type: 'aws:kms:Key',
            properties: {
              description: keyDescription([t.address]),
              enableKeyRotation: KEY_SETTINGS.enableKeyRotation,
              deletionWindowInDays: KEY_SETTINGS.pendingWindowInDays,
              policy: policy(options.keyPolicy ?? DEFAULT_KEY_POLICY),
            },
          };
          const alias: Value = { type: 'aws:kms:Alias', properties: { name: 'alias/dynamodb/${' + t.address + '.name}', targetKeyId: '${' + keyName + '.keyId}' } };
          insertPairs(ctx, program.resources, [[keyName, key], [aliasName, alias]], t.pair);
        }
      }
      if (!options.kmsKeyArn) {
        // The policy's account, partition and region: declared once per program, after the resources' edits.
        const have = new Set(variables?.kind === 'map' ? variables.pairs.map((p) => p.key) : []);
        const missing = Object.values(VARIABLES).filter(([name]) => !have.has(name));
        if (missing.length > 0) {
          if (variables?.kind === 'map') insertPairs(ctx, variables, missing);
          else insertPairs(ctx, program.root, [['variables', Object.fromEntries(missing)]]);
        }
      }
    }
    plans.set(file.path, { edits: ctx.edits, fixed: chosen.map((t) => t.address) });
  }
  return plans;
}

export const pulumiYaml: Transform<PulumiDetection> = { name: 'pulumi-yaml', detect, fix };
