/**
 * The tables of a file's calls of local modules (`module "orders" { source = "../../" }`): the module's tables,
 * evaluated with the call's inputs, fixed at the call when variables feed their switch and key (`callTables`), with
 * what stands in the way (the module's table fixed in place, override files, a count or region the call decides, a
 * resource policy an input gives, replicas) and a module's replica resource joining a table of the file
 * (`globalTableReplicas`).
 */
import path from 'node:path';
import { calledModule, obstaclesThrough, tableOutputs } from './callers.js';
import { LineIndex } from '../../core/text.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { Obstacle, Vocabulary } from '../../rule/facts.js';
import { addGlobalTableReplica } from '../../rule/blockers.js';
import type { TfDetection, TfTable } from './detect.js';
import { boolOf, keyRawOf, rawOf } from './settings.js';
import { PHRASES } from './words.js';
import { directVariable, evaluate, moduleEnv, variablesRead, type ModuleFile } from './evaluate.js';
import { awsManagedKeyDataIn, managedKeysIn } from './managedKeyData.js';
import { eachCollection } from './inputUses.js';
import { instanceKey } from './instanceKeys.js';
import { attr, dynamicBlocks, type HAttr, type HBlock } from './parse.js';
import { blockComments, moduleTableSuppressions, suppressionsOf } from './suppress.js';
import type { JBlock } from './tfjson.js';
import { isRootModule } from './rootModule.js';
import { SHAPE, isOverrideFile, namesSet } from './overrides.js';
import { setOutside } from './varSources.js';
import { isModuleFile, moduleFiles, nameOf, withManagedKeys, type ModuleScope } from './moduleScope.js';
import { inputsOf, sseSettings } from './inputSettings.js';
import { markSetOutside } from './outsideSettings.js';
import { EMPTY_COLLECTION } from './inputSwitches.js';
import { addedInput } from './addedInput.js';
import { callSource, missingFolder, tableLike } from './callSource.js';
import { dataArgReading } from './dataArgReader.js';

/** Attributes of a module call that are not inputs. */
const META = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);

/**
 * Does a scan of a called module's folder (`files`) fix its table in place: a sign of a root module (a lock file...),
 * and no call of it in the folders around it (callers.ts: then it is a child module, whatever its lock file says)?
 */
async function fixedInPlace(files: SourceFile[], context: DiskContext | undefined): Promise<boolean> {
  const one = files.find(isModuleFile);
  return !!context && !!one && (await isRootModule([], files)) && !(await calledModule(one, context));
}

/** The tables of the file's calls of local modules (`calls`: inputUses.ts), evaluated with each call's inputs, added to `det`. */
export async function callTables(
  file: SourceFile,
  det: TfDetection,
  context: DiskContext | undefined,
  calls: HBlock[],
  scope: ModuleScope,
): Promise<void> {
  const { siblings, ownFile, env, root, calledBy: called, outside, whoSets } = scope;
  const lines = new LineIndex(file.text);
  for (const call of calls) {
    const rel = await callSource(file, call, lines, det, env, context, whoSets);
    if (rel === undefined) continue;
    const files = await context?.folder(file, rel);
    // (In memory, a folder no file is in has no files: it is not there either.)
    if (!files?.length) {
      // A folder that is not in the checkout (a sibling repository's module, `../../mantle/modules/dynamodb`: round 36,
      // j0nathan-ll0yd/aws-cloudformation-media-downloader) was a silent "0 tables": say so. A git or registry source
      // is not read by design (docs/limitations.md); a local one is, so one kmsfix cannot find is worth a note: for a
      // call that looks like a table's (that repository's 27 missing calls were 26 Lambda, EventBridge... modules).
      if (context && tableLike(call, rel) && (await missingFolder(file, rel, context))) {
        const at = lines.position(call.start);
        (det.notes ??= []).push(
          `${file.path}:${at.line}:${at.column}: module "${call.labels[0]}" calls ${rel}, a folder that does not exist: ` +
            'kmsfix could not read the tables it may declare. Scan a checkout that has that folder (a sibling repository at that path) to check them',
        );
      }
      continue;
    }
    const module = await moduleFiles(files);
    const inputs = new Map<string, string>();
    for (const item of call.items) if (item.kind === 'attr' && !META.has(item.name)) inputs.set(item.name, item.value);
    const label = call.labels[0];
    // The module's KMS data sources naming the AWS managed key, for a map entry of its own that reads one.
    const callEnv = withManagedKeys(moduleEnv(module.files, [], { label, inputs, env: env(), dir: rel }), managedKeysIn(module.files, rel));
    /** The text the call gives the module's variable `v`: its input, else the variable's default (override files merged). */
    const inputText = (v: string) => inputs.get(v) ?? callEnv.vars.get(v)?.expr;
    // The module's tables the call creates: not those whose `count` it sets to 0 (`var.create_table && !var.autoscaling_enabled ? 1 : 0`),
    // nor those whose `for_each` it gives an empty collection (`names = []`).
    const tables = module.blocks.filter(({ file: f, block: b }) => {
      if (b.type !== 'resource' || b.labels[0] !== 'aws_dynamodb_table' || b.labels.length !== 2) return false;
      // A block of an override file is merged into its primary one (overrides.ts), not a table of its own.
      if (isOverrideFile(nameOf(f))) return false;
      const count = attr(b, 'count');
      const n = count ? evaluate(count.value, callEnv) : undefined;
      const each = attr(b, 'for_each');
      const eachVar = each && directVariable(each.value, callEnv);
      const eachText = each && (eachVar ? inputText(eachVar) : each.value);
      return !(n?.known && (n.value === 0 || n.value === false)) && !(eachText !== undefined && EMPTY_COLLECTION.test(eachText.trim()));
    });
    globalTableReplicas(det, module.blocks, inputs, label, rel);
    if (tables.length === 0) continue;
    const pos = lines.position(call.start);
    const callSuppressions = suppressionsOf(det.hcl ? blockComments(file.text, det.hcl.comments, call) : ((call as JBlock).comments ?? []));
    let outputs: Map<string, Set<string>> | undefined;
    let inPlace: Promise<boolean> | undefined;
    for (const { file: mf, block: tb, comments } of tables) {
      const moduleFile = path.posix.normalize(path.posix.join(rel, nameOf(mf)));
      const where = `${moduleFile}:${new LineIndex(mf.text).position(tb.start).line}`;
      const tableName = `aws_dynamodb_table.${tb.labels[1]}`;
      const words: Vocabulary = {
        names: {
          block: 'server_side_encryption',
          enabled: 'server_side_encryption.enabled',
          key: 'server_side_encryption.kms_key_arn',
          keyAttribute: 'kms_key_arn',
        },
        phrases: { ...PHRASES, blockAbsent: `no {block} block in ${tableName} (${where})` },
      };
      const moduleTops = module.files.flatMap((f) => f.tops);
      // An override file's block of the table: its server_side_encryption replaces the table's (overrides.ts).
      const override = module.blocks.find(
        ({ file: f, block: b }) => isOverrideFile(nameOf(f)) && b.type === tb.type && b.labels.join('.') === tb.labels.join('.'),
      );
      const overrideSets = override ? namesSet(override.block) : [];
      const overridden = overrideSets.filter((n) => n === 'server_side_encryption' || n === 'replica');
      const read = overridden.length === 1 && overridden[0] === 'server_side_encryption' ? override!.block : tb;
      const { settings, sse, evaluated } = sseSettings(read, () => callEnv, where, moduleTops);
      const overrideWhere =
        override &&
        `${path.posix.normalize(path.posix.join(rel, nameOf(override.file)))}:${new LineIndex(override.file.text).position(override.block.start).line}`;
      if (override && overridden.length > 0 && read === tb && settings.model === 'sse')
        settings.block = {
          state: 'unreadable',
          source: `the override file ${overrideWhere} sets ${overridden.join(', ')} of ${tableName}, which Terraform merges into this block`,
        };
      // A key read through the module's data source of the AWS managed key (`data "aws_kms_alias"` of alias/aws/dynamodb),
      // its name evaluated with the call's inputs where it reads them (this folder's variables the call passes: `dataFed`).
      const dataFed =
        settings.model === 'sse'
          ? await awsManagedKeyDataIn(settings.key, module.files, rel, (arg) =>
              dataArgReading(
                arg,
                callEnv,
                (vars) => vars.flatMap((v) => (inputs.has(v) ? variablesRead(inputs.get(v)!, env()) : [])),
                root,
                // Var-files count for a root module's call (a call in a module others call: its callers', module-inputs).
                async () => (context && (await root()) ? outside() : undefined),
              ),
            )
          : [];
      const enabledVar = sse && directVariable(attr(sse, 'enabled')?.value ?? '', callEnv);
      const keyVar = sse && directVariable(attr(sse, 'kms_key_arn')?.value ?? '', callEnv);
      // A key the call passes each of its instances from its own for_each or count (`kms_key_arn = each.value.kms_key_arn`,
      // `local.tables[count.index].kms_key_arn`): entry by entry, as a table's own key is read (instanceKey).
      const keyInput = keyVar ? inputs.get(keyVar) : undefined;
      const passed = settings.model === 'sse' ? settings.key : undefined;
      const perInstance =
        keyInput !== undefined && (passed?.state === 'reference' || passed?.state === 'expression')
          ? instanceKey(keyInput, eachCollection(call), env(), passed.raw)
          : undefined;
      if (perInstance && settings.model === 'sse') settings.key = perInstance;
      // This folder's variables the call passes to the table's switch and key (the collection it repeats over, for an entry's key).
      const callerVars = (a: HAttr) =>
        inputsOf(a, callEnv, moduleTops).flatMap((v) => (inputs.has(v) ? variablesRead(inputs.get(v)!, env()) : []));
      const repeated = `${keyInput} ${attr(call, 'for_each')?.value ?? ''} ${attr(call, 'count')?.value ?? ''}`;
      const fed = [
        ...new Set([
          ...(evaluated.length > 0 && sse ? [attr(sse, 'enabled'), attr(sse, 'kms_key_arn')].flatMap((a) => (a ? callerVars(a) : [])) : []),
          ...(perInstance?.state === 'literal' ? variablesRead(repeated, env()) : []),
          ...dataFed,
        ]),
      ];
      const callObstacles: Obstacle[] = [];
      if (fed.length > 0 && !(await root())) {
        // A call in a module others call (root -> app -> table module): the key it passes is its own callers' choice
        // (storacha/storoku's layout); a key written here would override the one they pass.
        const by = await called();
        callObstacles.push({ kind: 'module-inputs', inputs: fed.map((v) => `var.${v}`), ...(by ? { calledBy: by } : {}) });
      } else if (evaluated.length > 0 && sse && context && (await root())) {
        // (The switch's values per var-file are not evaluated through the call: both true and false are counted.)
        const step = await markSetOutside(
          settings,
          words,
          { enabled: attr(sse, 'enabled'), key: attr(sse, 'kms_key_arn') },
          callerVars,
          outside,
        );
        if (step) callObstacles.push(step);
      }
      // Every entry the AWS managed key, in a collection a var-file or terragrunt sets: not known, as any value they set.
      const why =
        perInstance?.state === 'literal' && fed.length > 0 && context && (await root()) ? setOutside(fed, await outside()) : undefined;
      if (why && settings.model === 'sse')
        settings.key = { state: 'unreadable', source: `kms_key_arn = ${keyInput!.trim()}: ${why}`, raw: perInstance!.raw };
      const obstacles: Obstacle[] = callObstacles;
      // A module folder with a sign of a root module (a lock file...) that sees no call of it around it (callers.ts) has
      // its table fixed in place where a scan reads that folder: a key passed here as well would go unused, and both keys'
      // aliases would have one name (round 36: AlreadyExistsException at apply). One of the two is fixed, never both.
      if (keyVar && (await (inPlace ??= fixedInPlace(files, context))))
        obstacles.push({
          kind: 'code-shape',
          step:
            `the module's folder (${rel}) has a sign of a root module (a provider or backend configuration, a lock file or tfvars) ` +
            `and no call of it in the three folders above or below it, so kmsfix fixes ${tableName} (${where}) in place where it scans ` +
            `that folder, and a key passed here would go unused: fix the module's table there, or scan a tree where this call is ` +
            `within three folders of the module (kmsfix then takes the module as the reusable one it is and fixes this call)`,
        });
      // Only what the encryption reads or a fix follows keeps the table from a fix (as for the module's own row).
      const blocking = overrideSets.filter((n) => n === 'server_side_encryption' || n === 'replica' || SHAPE.has(n));
      if (override && blocking.length > 0)
        obstacles.push({
          kind: 'code-shape',
          step: `the override file ${overrideWhere} sets ${blocking.join(', ')} of ${tableName}: give the table its key by hand (kmsfix does not write override files)`,
        });
      // What this folder does with the table through the call (callers.ts): the module's own row says it too.
      await obstaclesThrough(
        { label, file, folder: [file, ...siblings] },
        (outputs ??= tableOutputs(module.files.flatMap((f) => f.tops))),
        tb.labels[1],
        obstacles,
        {
          file,
          tops: ownFile.tops,
        },
      );
      for (const r of dynamicBlocks(tb, 'replica')) {
        const each = attr(r, 'for_each');
        const v = each && directVariable(each.value, callEnv);
        // Replicas only when the call passes them: a dynamic block over a variable the call leaves at an empty default, or sets to one, makes none.
        const given = v && inputText(v);
        if (given !== undefined && EMPTY_COLLECTION.test(given.trim())) continue;
        obstacles.push(v && inputs.has(v) ? { kind: 'module-replica-regions' } : { kind: 'dynamic-replicas' });
      }
      // A table the module creates only when an input says so (`count = var.create ? 1 : 0`): the key and
      // alias beside the call would be created either way.
      const count = attr(tb, 'count');
      const made = count ? evaluate(count.value, callEnv) : undefined;
      const countAt = count && !(made?.known && typeof made.value === 'number' && made.value >= 1) ? obstacles.length : undefined;
      if (count && countAt !== undefined)
        obstacles.push({
          kind: 'generated-key',
          step:
            `${tableName} (${where}) has count = ${count.value.trim()}, which the call decides with a value the code does not tell, ` +
            `and a key and alias beside the call would be created even when the module creates no table: create them by hand with ` +
            `the same condition (count), and pass the key to the module's key input`,
        });
      // The key beside the call is created through the call's provider, in its Region. A region that is
      // null with the call's inputs (terraform-aws-modules' `region = var.region`, default null) is the provider's.
      const region = attr(tb, 'region');
      const written = region && region.lit?.type !== 'null' ? region : undefined;
      const regionValue = written && evaluate(written.value, callEnv);
      if (written && !(regionValue?.known && regionValue.value === null))
        obstacles.push({
          kind: 'code-shape',
          step:
            `${tableName} (${where}) sets region = ${written.value.trim()}, and a key kmsfix creates beside the call would be in the Region ` +
            `of the call's provider: create a key in the table's Region by hand and pass it as the module's key input`,
        });
      for (const { block: p } of module.blocks) {
        if (p.type !== 'resource' || p.labels[0] !== 'aws_dynamodb_resource_policy') continue;
        const policy = attr(p, 'policy');
        const fed = [...(policy?.value.matchAll(/\bvar\.([A-Za-z_][\w-]*)/g) ?? [])].map((m) => m[1]).find((v) => inputs.has(v));
        if (fed)
          obstacles.push({
            kind: 'resource-policy',
            policy: `aws_dynamodb_resource_policy.${p.labels[1]} of the module (input ${fed})`,
            unreadable: inputs.get(fed)!.trim(),
            others: [],
          });
      }
      // A switch the module sets to true itself needs no input: the call passes only the key.
      const missing = [
        ...(enabledVar || boolOf(attr(sse, 'enabled')) === true ? [] : ['server_side_encryption.enabled']),
        ...(keyVar ? [] : ['server_side_encryption.kms_key_arn']),
      ];
      // The module's variables those settings read through an expression (`var.on && var.kms_key_arn != null ? var.kms_key_arn : null`).
      const reads = [
        ...new Set(
          missing.flatMap((n) => {
            const a = sse && attr(sse, n === 'server_side_encryption.enabled' ? 'enabled' : 'kms_key_arn');
            return a ? variablesRead(a.value, callEnv) : [];
          }),
        ),
      ];
      // The module's table takes its other setting from an input: a scan of its folder leaves it (module-inputs), so the step is the input to add.
      const add =
        missing.length > 0 && reads.length === 0 && !(await (inPlace ??= fixedInPlace(files, context)))
          ? addedInput(sse, callEnv)
          : undefined;
      // No key beside the call either way: the module's table takes its settings from no input the call can pass, and
      // none is to be added. The module-literal step (kmsfix fixes the table in the module's folder, count and all) is the
      // one; the count step's "pass the key to the module's key input" named an input the module does not have, while the
      // same run's fix gave the module's table its key (real-world round 45, F2).
      if (countAt !== undefined && missing.length > 0 && reads.length === 0 && !add) obstacles.splice(countAt, 1);
      const nameAttr = attr(tb, 'name');
      const name = nameAttr ? evaluate(nameAttr.value, callEnv) : undefined;
      const nameVar = nameAttr && directVariable(nameAttr.value, callEnv);
      const table: TfTable = {
        line: pos.line,
        column: pos.column,
        format: 'terraform',
        type: 'module',
        address: tables.length === 1 ? `module.${label}` : `module.${label}.${tableName}`,
        kind: 'module',
        label,
        block: call,
        encryption: {
          peerKind: 'tf-table',
          words,
          settings,
          obstacles: [
            ...obstacles,
            ...(missing.length
              ? [
                  {
                    kind: 'module-literal' as const,
                    where: `${tableName}, ${where}`,
                    missing,
                    module: { file: moduleFile, address: tableName },
                    ...(reads.length > 0 ? { reads } : {}),
                    ...(add ? { addInput: add } : {}),
                  },
                ]
              : []),
          ],
        },
        // The call's own, and the table's in the module: a suppression there is the team's word for every instance.
        suppressions: [...callSuppressions, ...moduleTableSuppressions(mf.text, comments, tb, moduleFile)],
        local: {
          enabledVar,
          keyVar,
          nameOutput: nameOutputOf(module.files, tb.labels[1]),
          ...(name?.known && typeof name.value === 'string' ? { name: name.value, nameKnown: true as const } : { name: label }),
          nameInput: nameVar ? inputs.get(nameVar) : undefined,
        },
        keyRef: keyVar ? inputs.get(keyVar) : undefined,
      };
      if (settings.model === 'sse') {
        // Peers evaluate the module as the call configures it.
        settings.peerBlock = settings.block?.state === 'absent' ? 'missing' : 'present';
        if (settings.enabled && settings.enabled.raw === undefined) settings.enabled.raw = rawOf(attr(sse, 'enabled'));
        if (settings.key && settings.key.raw === undefined) settings.key.raw = keyRawOf(attr(sse, 'kms_key_arn'));
      }
      det.tables.push(table);
    }
  }
}

/** The module's output that gives its table's name or id (`module.x.<output>`). */
function nameOutputOf(files: ModuleFile[], label: string): string | undefined {
  const re = new RegExp(`aws_dynamodb_table\\.${label}(\\[[^\\]]*\\])?\\.(name|id)\\b`);
  for (const f of files)
    for (const t of f.tops) if (t.type === 'output' && t.labels.length === 1 && re.test(t.attr('value')?.value ?? '')) return t.labels[0];
  return undefined;
}

/**
 * A replica resource of a local module whose `global_table_arn` is an input the call sets to a table
 * of this file (`global_table_arn = aws_dynamodb_table.orders.arn`): that table's global table has a
 * replica declared apart, and DynamoDB changes a global table's encryption for every replica at once,
 * so the table is not fixed alone (obstacle global-table-members, as for a replica resource of its own module).
 */
function globalTableReplicas(det: TfDetection, blocks: { block: HBlock }[], inputs: Map<string, string>, label: string, rel: string): void {
  for (const { block: rb } of blocks) {
    if (rb.type !== 'resource' || rb.labels[0] !== 'aws_dynamodb_table_replica' || rb.labels.length !== 2) continue;
    const input = /^var\.([A-Za-z_][\w-]*)$/.exec(attr(rb, 'global_table_arn')?.value.trim() ?? '')?.[1];
    const passed = input ? inputs.get(input)?.trim() : undefined;
    const named = passed ? /^aws_dynamodb_table\.([\w-]+)(\[[^\]]*\])?\.arn$/.exec(passed)?.[1] : undefined;
    const table = named ? det.tables.find((t) => t.kind === 'table' && t.label === named) : undefined;
    if (table) addGlobalTableReplica(table.encryption.obstacles, `module.${label} (aws_dynamodb_table_replica.${rb.labels[1]} of ${rel})`);
  }
}
