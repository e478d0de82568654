/**
 * Finding DynamoDB tables in CloudFormation, SAM and Serverless templates, and reading each one's
 * encryption settings into neutral facts (src/rule/facts.ts) for the rule to decide on
 * (src/rule/cmk.ts). Works on the shared node tree, so YAML and JSON behave the same.
 */
import path from 'node:path';
import { decide, fixWanted, keptKeyOf } from '../../rule/cmk.js';
import type { EncryptionFacts, Obstacle } from '../../rule/facts.js';
import { isFixableStatus } from '../../rule/status.js';
import { replicationPolicy } from '../../rule/blockers.js';
import { applyIfElse } from '../../rule/ifElse.js';
import { LineIndex } from '../../core/text.js';
import type { TableKind } from '../../rule/peers/facts.js';
import type { SourceFile } from '../../core/types.js';
import { AnchorIndex } from '../yaml/anchors.js';
import { explicitKeyIn, mayHoldExplicitKeys } from '../yaml/explicitKeys.js';
import { placeholderIn } from '../../core/placeholders.js';
import { duplicateKeyError } from '../yaml/duplicates.js';
import { ParseError } from '../../core/types.js';
import { snippet } from '../yaml/scalars.js';
import { crossAccountGrants, policyText, zeroEtlIntegrations } from './resourcePolicy.js';
import type { FileRef, FileValues } from '../serverless/fileValues.js';
import type { Environments } from '../cfn-values/environments.js';
import { deployedIn } from '../cfn-values/acrossEnvironments.js';
import { templateCautions } from './cautions.js';
import { iamRoles } from '../cfn-values/iamRoles.js';
import { TABLE_TYPES } from '../cfn-values/tableTypes.js';
import { unkeptKeyCautions } from './keptKeys.js';
import { retains } from './retention.js';
import { markUnusableCfnKeys } from './keySpec.js';
import type { ComposeFile } from '../serverless/compose.js';
import { apiGlobalTables } from './apiGlobalTables.js';
import { ifElseTables } from './ifElse.js';
import { tableAddress } from './additionalStacks.js';
import { eofBlockScalar, eofScalarWithin } from '../yaml/eofScalar.js';
import { intrinsicName } from '../cfn-values/intrinsics.js';
import { type Defaults, defaultsOf, settingsOf, sseSettingsOf } from '../cfn-values/settings.js';
import { stackPolicyDenial, stackPolicyStep } from './stackPolicy.js';
import { child, looksLikeJson, resolveAlias, scalarString, type CMap, type CNode, type CSeq } from '../yaml/tree.js';
import type { CfnDetection, CfnTable, CfnTemplate, Flavor } from './tableTypes.js';
import { WORDS } from './words.js';
import { extensionOf, extensionStep, serviceOf, simpleTableGlobals } from './inheritedSettings.js';
import { keyRefsOf, replicasOf } from './globalReplicas.js';
import { parametersOf, writtenBack } from './parameterRollback.js';
import { suppressionsOf } from './suppressions.js';
import { ambiguousPath, ambiguousTable, parsedDocs, templatesOf, yaml11 } from './templates.js';
import { loopAddress, loopChain, loopPath, readPerValue, resourceEntries } from './forEachLoops.js';
import { editThrough, replacedSites } from './anchorEdits.js';

/** How peer scanners tell the table apart. */
function peerKindOf(flavor: Flavor, kind: 'table' | 'global', type: string): TableKind {
  if (kind === 'global') return 'cfn-global-table';
  if (type === 'AWS::Serverless::SimpleTable') return 'sam-simple-table';
  return flavor === 'serverless' ? 'sls-table' : 'cfn-table';
}

/** A table of a multi-account global table, as its template says (src/rule/facts.ts multi-account-replication). */
function multiAccountObstacle(text: string, props: CNode | null | undefined, resource: CMap, global: boolean): Obstacle | undefined {
  if (global && child(props, 'GlobalTableSourceArn') !== undefined)
    return {
      kind: 'multi-account-replication',
      why: 'it is a replica, in another account, of the global table its GlobalTableSourceArn names',
      replicas: [],
    };
  return replicationPolicy('its ResourcePolicy', policyText(text, resource, global));
}

/**
 * A template the Amplify CLI (Gen1) builds into a resource's `build/` folder from its cli-inputs.json,
 * schema and override.ts at each `amplify push`: a change there is lost at the next one.
 */
const AMPLIFY_BUILD = /(?:^|\/)amplify\/backend\/(?:[^/]+\/)+build\//;

/**
 * The GraphQL API template the first Amplify CLI releases (2018-19) wrote to the API's own folder, not build/, from
 * schema.graphql at each `amplify push` (amplify-cli's awscloudformation provider, transform-graphql-schema.js:
 * `templateFileName = 'cloudformation-template.json'`, written to `${resourceDir}/${templateFileName}`): the next
 * push overwrites it (real-world round 37, aws-samples/aws-appsync-chat). A REST API's or a custom resource's
 * template (`<name>-cloudformation-template.json`) is the project's own.
 */
const AMPLIFY_LEGACY_API = /(?:^|\/)amplify\/backend\/api\/[^/]+\/cloudformation-template\.json$/;

const AMPLIFY_LEGACY_API_STEP =
  "the template is written by the Amplify CLI's GraphQL transformer from the API's schema.graphql at each `amplify push`, so a change here " +
  'would be lost: upgrade the project to a current Amplify CLI (`amplify migrate api` / `amplify upgrade`, which builds the template ' +
  "into the API's build/ folder) and set the tables' encryption with `amplify override api` (override.ts: each model table's " +
  'sseSpecification, with a customer-managed KMS key), then push';

const AMPLIFY_BUILD_STEP =
  "the template is built by the Amplify CLI (a resource's build/ folder) at each `amplify push`, so a change here would be lost: " +
  "set the table's encryption with `amplify override <category>` (its override.ts: the table's sseSpecification, with a " +
  'customer-managed KMS key) and push';

/** `files`: the values of the files a service's keys read (serverless/fileValues.ts), read after a first detection recorded them. */
export function detectCloudFormation(
  file: SourceFile,
  files?: FileValues,
  envs?: Environments,
  compose?: ComposeFile[],
  /** Read the roles the template grants DynamoDB (DiskContext.iamRoles). */
  readRoles = false,
): CfnDetection {
  const fileRefs: FileRef[] = [];
  const paramReads = { count: 0 };
  const reads: Defaults['reads'][] = [];
  const json = looksLikeJson(file.path, file.text);
  const { docs, strictError } = parsedDocs(file.text, json);
  const lines = new LineIndex(file.text);
  const templates: CfnTemplate[] = [];
  const tables: CfnTable[] = [];
  const duplicates = docs.flatMap((d) => d.duplicates ?? []);
  const error = duplicates.length > 0 ? duplicateKeyError(file.text, lines, duplicates[0], json) : undefined;
  // A document that is one resource's body is named after the file.
  const stem = path.basename(file.path).replace(/\.[^.]*$/, '');
  const amplifyBuild = AMPLIFY_BUILD.test(file.path)
    ? AMPLIFY_BUILD_STEP
    : AMPLIFY_LEGACY_API.test(file.path)
      ? AMPLIFY_LEGACY_API_STEP
      : undefined;
  const explicitKeys = !json && mayHoldExplicitKeys(file.text);
  const eofScalar = json
    ? undefined
    : eofBlockScalar(
        file.text,
        docs.map((d) => d.root),
      );
  docs.forEach((doc, docIndex) => {
    for (const template of templatesOf(doc.root, docIndex, stem)) readTemplate(doc, template);
  });
  function readTemplate(doc: (typeof docs)[number], template: CfnTemplate): void {
    if (strictError && template.flavor === 'serverless')
      throw new ParseError(
        'JSON: a trailing comma: the Serverless Framework reads a service file written in JSON with JSON.parse, which refuses it',
        strictError.line,
        strictError.column,
      );
    templates.push(template);
    if (doc.duplicates && ambiguousPath(template)) return;
    const anchors = doc.aliases ? new AnchorIndex(doc.root) : undefined;
    const replaced = anchors ? replacedSites(template) : undefined;
    const defaults =
      template.flavor === 'serverless' ? serviceOf(template, fileRefs, files, paramReads, compose) : defaultsOf(template.root, envs);
    reads.push(defaults?.reads);
    const simpleGlobals = simpleTableGlobals(template);
    const cautions = templateCautions(file.text, template);
    const apiGlobal = apiGlobalTables(file.text, template);
    // A service's IAM settings read from files (`${file(./iam.yml)}`): recorded, then read with the files (index.ts).
    const iamTemplate = template.flavor === 'serverless' ? { ...template, files: { refs: fileRefs, values: files } } : template;
    const losing = readRoles ? iamRoles(file.text, iamTemplate, path.basename(file.path)) : undefined;
    const ifElse = ifElseTables(file.text, template);
    const entries = resourceEntries(template.resources, defaults);
    const first = tables.length;
    for (const { rp, loop } of entries) {
      const resource = resolveAlias(rp.value);
      if (resource?.kind !== 'map') continue;
      const type = scalarString(child(resource, 'Type'));
      if (!type || !TABLE_TYPES.includes(type)) continue;
      // Duplicate keys: a table whose logical ID repeats, or that holds a repeated key, is not read.
      if (doc.duplicates && ambiguousTable(template, rp, doc.duplicates)) continue;
      const kind = type === 'AWS::DynamoDB::GlobalTable' ? 'global' : 'table';
      const props = child(resource, 'Properties');
      const deployed = deployedIn(resource, defaults);
      const encryption: EncryptionFacts = {
        peerKind: peerKindOf(template.flavor, kind, type),
        words: WORDS,
        settings: settingsOf(
          file.text,
          resource,
          kind === 'global',
          yaml11(template, json),
          deployed,
          type === 'AWS::Serverless::SimpleTable' ? simpleGlobals : undefined,
        ),
        obstacles: [],
      };
      if (kind === 'global') encryption.replicas = replicasOf(file.text, props, deployed);
      // A key that names a loop's identifier (`!Ref KeyArn`, `!Sub '${Pair}'`): read per value of the collection.
      if (loop) readPerValue(file.text, encryption, props, loop);
      // serverless-plugin-ifelse: what an entry removes or sets per stage.
      applyIfElse(encryption, ifElse(rp.key, type));
      // serverless.yml's resources.extensions: its Properties replace the table's, key by key, at package time.
      const extension = extensionOf(template, rp.key);
      if (extension) {
        encryption.settings =
          extension.props?.kind === 'map'
            ? sseSettingsOf(file.text, child(extension.props, 'SSESpecification'), kind === 'global', false)
            : { model: 'unreadable', container: { state: 'expression', source: snippet(file.text, extension.props ?? null) } };
        encryption.obstacles.push({ kind: 'code-shape', step: extensionStep(rp.key) });
      }
      // A key of the template DynamoDB cannot use (an asymmetric or HMAC KeySpec, a KeyUsage other than ENCRYPT_DECRYPT).
      markUnusableCfnKeys(encryption, template.resources);
      const own = type === 'AWS::DynamoDB::Table' ? cautions.tables : cautions.all;
      if (own) encryption.cautions = own;
      // What keeps a fix from being made, looked for only where the rule would fix the table.
      const a = decide(encryption);
      const localReplica = a.replica === undefined ? undefined : ((child(props, 'Replicas') as CSeq).items[a.replica] as CMap);
      const edit = anchors && isFixableStatus(a.status) && !loop ? editThrough(anchors, rp, kind, localReplica, replaced!) : undefined;
      // This account's principals the resource policy lets in (named under --key-policy iam with the roles below).
      const viaPolicy: { name: string; offset: number }[] = [];
      const grants = fixWanted(a)
        ? crossAccountGrants(file.text, template.resources, resource, kind === 'global', (name, offset) => viaPolicy.push({ name, offset }))
        : [];
      if (grants.length > 0) encryption.obstacles.push({ kind: 'cross-account-grants', grants });
      const integrations = fixWanted(a)
        ? zeroEtlIntegrations(file.text, template.resources, rp.key, tableNameInArn(child(props, 'TableName')))
        : [];
      if (integrations.length > 0) encryption.obstacles.push({ kind: 'zero-etl', integrations });
      const multiAccount = fixWanted(a) ? multiAccountObstacle(file.text, props, resource, kind === 'global') : undefined;
      if (multiAccount) encryption.obstacles.push(multiAccount);
      const joined = fixWanted(a) ? apiGlobal(rp.key, resource) : undefined;
      if (joined) encryption.obstacles.push(joined);
      // The roles a key policy that leaves all use to IAM would lock out (worded under --key-policy iam only).
      const roles = losing && fixWanted(a) ? losing(rp.key, resource, viaPolicy) : undefined;
      if (roles) encryption.cautions = [...(encryption.cautions ?? []), roles];
      if (edit?.obstacle) encryption.obstacles.push(edit.obstacle);
      // An explicit YAML key (`? T`) in the resource: declined with where it is (yaml/explicitKeys.ts).
      const explicit = explicitKeys && isFixableStatus(a.status) ? explicitKeyIn(file.text, lines, template.resources, rp) : undefined;
      if (explicit)
        encryption.obstacles.push({ kind: 'yaml-explicit-key', at: `${path.basename(file.path)}:${explicit.line}:${explicit.column}` });
      // A status a parameter's default decides: left to the parameter unless --fix-parameterised.
      // (A global table's replica keys too: `KMSMasterKeyId: !Ref ReplicaKey` of a replica.)
      const via = [...(a.via ?? []), ...(encryption.replicas?.items.flatMap((r) => (r.key.via ? [r.key.via] : [])) ?? [])];
      const parameters = via.length > 0 && isFixableStatus(a.status) ? parametersOf(via) : [];
      // What the table was with other parameter values (`d`, as Defaults), for a roll back through parameters.
      const statusWith = (d: Defaults) => {
        const global = kind === 'global';
        const inherited = type === 'AWS::Serverless::SimpleTable' ? simpleGlobals : undefined;
        const facts: EncryptionFacts = {
          ...encryption,
          settings: settingsOf(file.text, resource, global, yaml11(template, json), d, inherited),
        };
        if (global) facts.replicas = replicasOf(file.text, props, d);
        return decide(facts).status;
      };
      if (parameters.length > 0) {
        const o: Obstacle = { kind: 'parameter', decidedBy: [...new Set(via)], inputs: parameters };
        // A key without SSEType (typeOnly) was a template CloudFormation rejects: set back as written, it would be rejected
        // again; its roll back stays the AWS managed key's setting.
        if (!a.typeOnly) o.back = writtenBack(file.text, props, localReplica, parameters, deployed, statusWith);
        encryption.obstacles.push(o);
      }
      // A setting Fn::If chooses (none of its values customer-managed): left to the condition unless --fix-parameterised;
      // a switch an input gives with no Default (Branches.input), to the input, and rolled back as one a parameter decided.
      const input = encryption.settings.model === 'sse' ? encryption.settings.branches?.input : undefined;
      if (a.condition !== undefined && isFixableStatus(a.status))
        encryption.obstacles.push(
          input !== undefined
            ? {
                kind: 'parameter',
                decidedBy: [input],
                inputs: [a.condition],
                back: writtenBack(file.text, props, localReplica, [a.condition], deployed, statusWith),
              }
            : { kind: 'parameter', decidedBy: [`Fn::If on condition ${a.condition}`], inputs: [a.condition], condition: true },
        );
      if (error) encryption.obstacles.push({ kind: 'file-error', at: `${error.line}:${error.column}`, message: error.message });
      const unnamed = loop ? loopChain(loop).filter((l) => !rp.key.includes('${' + l.identifier + '}')) : [];
      if (loop && (kind === 'global' || rp.key.includes('&{') || unnamed.length > 0))
        encryption.obstacles.push({
          kind: 'for-each',
          loop: loopPath(loop),
          why:
            kind === 'global'
              ? 'a global table generated by the loop'
              : `its output key ${rp.key} does not name each table with ${(unnamed.length > 0 ? unnamed : loopChain(loop))
                  .map((l) => '${' + l.identifier + '}')
                  .join(' and ')}`,
        });
      if (template.lone)
        encryption.obstacles.push({
          kind: 'code-shape',
          step:
            "the file is one resource's body (included by `${file(...)}`), with no Resources beside it for its key: make it a file " +
            'of Resources (`Resources: ${file(...)}` in serverless.yml, the table under its logical ID in the file), then run kmsfix again',
        });
      if (amplifyBuild) encryption.obstacles.push({ kind: 'code-shape', step: amplifyBuild });
      const denial = stackPolicyDenial(template, rp.key, type);
      if (denial) encryption.obstacles.push({ kind: 'code-shape', step: stackPolicyStep(denial, rp.key) });
      // In the table's Properties, any fix's setting would follow it; elsewhere in the resource, only the key and alias.
      const eof = eofScalarWithin(eofScalar, props, [rp.value, resource]);
      if (eof) encryption.obstacles.push(eof);
      const idVariable = !loop && template.flavor === 'serverless' ? /\$\{[^}]*\}/.exec(rp.key)?.[0] : undefined;
      if (idVariable !== undefined)
        encryption.obstacles.push({
          kind: 'code-shape',
          step: `its logical ID holds the Serverless variable ${idVariable}, which the names of a generated key would have to refer to: write the logical ID literally, then run kmsfix again`,
        });
      const idPlaceholder = placeholderIn(rp.key);
      if (idPlaceholder !== undefined)
        encryption.obstacles.push({ kind: 'template-placeholder', where: 'logical ID', placeholder: idPlaceholder });
      const pos = lines.position(rp.keyStart);
      tables.push({
        line: pos.line,
        column: pos.column,
        format: template.flavor,
        type,
        address: tableAddress(template, loop ? loopAddress(loop, rp.key) : rp.key),
        encryption,
        suppressions: suppressionsOf(file.text, rp, resource, doc.root),
        template,
        resourcePair: rp,
        resource,
        kind,
        keyRefs: keyRefsOf(props, kind === 'global'),
        localReplica,
        shared: edit?.shared ?? [],
        ...(loop ? { loop } : {}),
      });
    }
    // A table kept past its stack whose key of the template is not (read on the whole template's tables: a key may be shared).
    unkeptKeyCautions(file.text, tables.slice(first), lines, path.basename(file.path));
  }
  const detection: CfnDetection = {
    tables,
    templates,
    json,
    roots: docs.map((d) => d.root),
    aliases: docs.flatMap((d) => d.aliases ?? []),
    text: file.text,
  };
  if (error) detection.error = error;
  if (fileRefs.length > 0) detection.fileRefs = fileRefs;
  if (reads.some((r) => r?.inputs)) detection.readsInputs = true;
  if (paramReads.count > 0) detection.readsParams = true;
  // The key a switched-off table's fix keeps (the commit message names it, and no new key).
  for (const t of detection.tables) {
    const kept = keptKeyOf(t.encryption);
    if (kept !== undefined) t.keptKey = kept;
    else if (retains(t, file.text) === 'Retain') t.keyRetained = true;
  }
  return detection;
}

/**
 * A table's name as an ARN built in a template writes it after `:table/`: a literal as is, `!Ref P` as `${P}`, a
 * `!Sub` template as written (`orders-${Env}`); undefined for anything else.
 */
function tableNameInArn(n: CNode | null | undefined): string | undefined {
  const literal = scalarString(n);
  const fn = n ? intrinsicName(n) : undefined;
  if (!fn) return literal;
  const arg = n!.tag ? n : n!.kind === 'map' ? resolveAlias(n!.pairs[0].value) : null;
  if (fn === 'Ref') return arg?.kind === 'scalar' ? `\${${String(arg.value)}}` : undefined;
  if (fn === 'Fn::Sub') return arg?.kind === 'scalar' ? String(arg.value) : undefined;
  return undefined;
}
