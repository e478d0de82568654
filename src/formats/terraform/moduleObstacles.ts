/**
 * Obstacles that depend on the module, not only on the table's own block (moduleObstacles): the module's
 * other files it reads for them (providers, resource policies, replace_triggered_by), an OpenTofu twin,
 * a file that cannot be read, old versions (versionObstacles.ts), a key's placement and its replicas'
 * Regions (replicaKeys.ts), global tables (globalTables.ts), resource policies, zero-ETL integrations and,
 * for a child module's table, its callers (callers.ts).
 */
import path from 'node:path';
import { decide, fixWanted } from '../../rule/cmk.js';
import { WAIVABLE } from '../../rule/blockers.js';
import type { Obstacle } from '../../rule/facts.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { attr } from './parse.js';
import type { TfDetection } from './detect.js';
import { isModuleFileName } from './entry.js';
import { AWS_REPLICA_KEYS_SINCE, awsProviderMajor, providersByRegion } from './module.js';
import { placementObstacle, type Placement } from './placement.js';
import { calledModule, callerObstacles } from './callers.js';
import { endpointsObstacle } from './endpoints.js';
import { resourcePolicyObstacle, zeroEtlIntegrations } from './resourcePolicy.js';
import { holdsTriggers, type ModuleFile, replaceTriggerObstacle, TRIGGER_WORD } from './replaceTriggers.js';
import { holdsWord, siblingBlocks, summarize, type TopBlock } from './topBlocks.js';
import { isRootModule } from './rootModule.js';
import { needsReplicaKeys, replicaKeys, tablePlace } from './replicaKeys.js';
import { fixEdits } from './ownObstacles.js';
import { olderProvider, replicaKeysPin, terraform011Block, terraform011Tags } from './versionObstacles.js';
import { globalTableMembers, legacyGlobalTable } from './globalTables.js';

/**
 * The module's other files that may hold what an obstacle depends on: provider configurations, `data
 * "aws_region"` through an alias (a replica's Region: also one the callers pass, configuration_aliases),
 * resource policies, replica resources, legacy global tables, zero-ETL integrations.
 */
const PROVIDERS_OR_POLICIES =
  /provider\s*"aws"|"provider"\s*:|data\s+"aws_region"|aws_dynamodb_resource_policy|aws_dynamodb_table_replica|aws_dynamodb_global_table|_integration"/;

/** ...and, once the module has a resource policy, the policy documents, locals, variables and service principals it may read. */
const POLICY_PARTS = /aws_iam_policy_document|locals|aws_service_principal|variable/;

/** Whether a file's text matches PROVIDERS_OR_POLICIES (0), POLICY_PARTS (1): per file object, as each of a module's files asks of all the others. */
const holds = new WeakMap<SourceFile, [boolean, boolean?]>();

function providersOrPolicies(file: SourceFile): boolean {
  let h = holds.get(file);
  // Both forms name `provider`, or the policy's type: a word search first (the regular expression has no fixed start to search for).
  const t = file.text;
  if (!h) holds.set(file, (h = [(t.includes('provider') || t.includes('aws_dynamodb_')) && PROVIDERS_OR_POLICIES.test(t)]));
  return h[0];
}

function policyParts(file: SourceFile): boolean {
  const h = holds.get(file) ?? [providersOrPolicies(file)];
  h[1] ??= POLICY_PARTS.test(file.text);
  holds.set(file, h);
  return h[1];
}

/** This file's blocks, and those of the module's other files that obstacles depend on (fix.ts reads them). */
async function moduleTops(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<TopBlock[]> {
  const own = summarize(det, file.text);
  // The engine reads the module's other files (none in memory, where every file is passed).
  const siblings = context ? await context.siblings() : [];
  const first = await siblingBlocks(siblings.filter(providersOrPolicies));
  const all = [...own, ...first];
  if (!all.some((t) => t.type === 'resource' && t.labels[0] === 'aws_dynamodb_resource_policy')) return all;
  return [...all, ...(await siblingBlocks(siblings.filter((f) => policyParts(f) && !providersOrPolicies(f))))];
}

/** The table's file and the module's other files that hold a replace_triggered_by, with their blocks (replaceTriggers.ts). */
async function moduleTriggerFiles(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<ModuleFile[]> {
  // Every file of the module once one holds a trigger: a resource it names may change with a table in another file.
  const siblings = context ? await context.siblings() : [];
  if (!holdsTriggers(file.text) && !siblings.some((f) => holdsWord(f, TRIGGER_WORD))) return [];
  const out: ModuleFile[] = [{ path: file.path, text: file.text, tops: summarize(det, file.text) }];
  for (const f of siblings) out.push({ path: f.path, text: f.text, tops: await siblingBlocks([f]) });
  return out;
}

/** This file's blocks, and those of the module's other files that may declare required_providers (placement.ts reads them). */
export async function requirementTops(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<TopBlock[]> {
  const siblings = context ? await context.siblings() : [];
  return [...summarize(det, file.text), ...(await siblingBlocks(siblings.filter((f) => holdsWord(f, 'required_providers'))))];
}

/**
 * Obstacles that depend on the module, not only on the table's own block: a replica region with no
 * provider alias to create its key through (replicaKeys, which the fix plans with too), and a
 * resource policy that grants other accounts (resourcePolicy.ts). The module's other files are
 * read only for a table the rule would otherwise fix (or fix with --recreate-replicas).
 */
export async function moduleObstacles(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<void> {
  const open = det.tables.filter((t) => fixWanted(decide(t.encryption, WAIVABLE)));
  if (open.length === 0) return;
  let module: Promise<TopBlock[]> | undefined;
  const tops = () => (module ??= moduleTops(file, det, context));
  let required: Promise<TopBlock[]> | undefined;
  const requirements = () => (required ??= requirementTops(file, det, context));
  let oldProvider: Promise<Obstacle | undefined> | undefined;
  let replicaPin: Promise<string | undefined> | undefined;
  const hcl1 = terraform011Block(det) ?? terraform011Tags([file].concat(context ? await context.siblings() : []));
  // What stops every table of the file: an OpenTofu twin, or a file of the module that cannot be read.
  const whole = (await tofuTwin(file, context)) ?? sealedFile(context ? await context.siblings() : []);
  let triggerFiles: Promise<ModuleFile[]> | undefined;
  for (const t of open) {
    // Before any other: a key set by hand (what other obstacles ask for) would replace these resources too.
    if (t.kind === 'table') {
      const triggers = replaceTriggerObstacle(t.label, fixEdits(t.block), await (triggerFiles ??= moduleTriggerFiles(file, det, context)));
      if (triggers) t.encryption.obstacles.push(triggers);
    }
    if (whole) {
      t.encryption.obstacles.push(whole);
      continue;
    }
    const old = t.kind === 'module' ? undefined : (hcl1 ?? (await (oldProvider ??= olderProvider(file, det, context))));
    if (old) {
      t.encryption.obstacles.push(old);
      continue;
    }
    const place = tablePlace(t);
    const misplaced = (await placementObstacle(place, requirements)) ?? endpointsObstacle(place, await tops());
    if (misplaced) {
      t.encryption.obstacles.push(misplaced);
      continue;
    }
    // The module's blocks, read by now (endpointsObstacle above): one await for the table's every question below.
    const all = await tops();
    if (t.kind === 'table' && needsReplicaKeys(t.block)) {
      const pin = await (replicaPin ??= replicaKeysPin(file, det, context));
      if (pin) {
        t.encryption.obstacles.push({ kind: 'replica-keys-version', pin, since: AWS_REPLICA_KEYS_SINCE });
        continue;
      }
      const siblings = context ? await context.siblings() : [];
      const r = replicaKeys(
        t.block,
        providersByRegion(all),
        (await isRootModule(all, siblings)) && !(await calledModule(file, context)),
        // required_providers (any file of the module), else the lock file's version.
        awsProviderMajor([...(await requirements()), ...all]) >= 6,
      );
      // No sign of a root module, nor of a called one (a folder under `modules/`): both steps are given.
      if (
        'obstacle' in r &&
        r.obstacle.kind === 'replica-provider' &&
        r.obstacle.child &&
        !/(^|[\\/])modules[\\/]/.test(file.absPath ?? file.path)
      )
        r.obstacle.child = 'maybe';
      const obstacle =
        'obstacle' in r
          ? r.obstacle
          : await firstObstacle(
              r.replicas.map((x) => x.place),
              requirements,
            );
      if (obstacle) {
        t.encryption.obstacles.push(obstacle);
        continue;
      }
    }
    const members = (await globalTableMembers(t, det, all, context)) ?? legacyGlobalTable(t, all);
    if (members) t.encryption.obstacles.push(members);
    const nameAttr = attr(t.block, 'name');
    const name = t.kind === 'table' && nameAttr?.lit?.type === 'string' ? nameAttr.lit.value : undefined;
    const obstacle = resourcePolicyObstacle({ kind: t.kind, label: t.label, name }, all);
    if (obstacle) t.encryption.obstacles.push(obstacle);
    const integrations = zeroEtlIntegrations({ kind: t.kind, label: t.label, name }, all);
    if (integrations.length > 0) t.encryption.obstacles.push({ kind: 'zero-etl', integrations });
  }
  // A child module's table: what its callers do with it through the module's outputs (callers.ts).
  const still = open.filter((t) => t.kind === 'table' && fixWanted(decide(t.encryption, WAIVABLE)));
  if (!context || still.length === 0) return;
  const siblings = await context.siblings();
  if ((await isRootModule(await tops(), siblings)) && !(await calledModule(file, context))) return;
  const outputs = await siblingBlocks(siblings.filter((f) => f.text.includes('output') && f.text.includes('aws_dynamodb_table.')));
  await callerObstacles(file, still, [...summarize(det, file.text), ...outputs], context);
}

/** The first placement a key cannot follow (placementObstacle), if any. */
async function firstObstacle(places: Placement[], tops: () => Promise<TopBlock[]>): Promise<Obstacle | undefined> {
  for (const p of places) {
    const o = await placementObstacle(p, tops);
    if (o) return o;
  }
  return undefined;
}

/**
 * A file of the module kmsfix cannot read (git-crypt's `secrets.tf` in a checkout without its key):
 * what it declares (variables, providers, a key of the name a fix would add) is not known, so the
 * module's tables are not fixed. (An unreadable tfvars file makes the variables unknown: evaluate.ts.)
 */
function sealedFile(siblings: SourceFile[]): Obstacle | undefined {
  const f = siblings.find((s) => s.unreadable !== undefined && isModuleFileName(s.path));
  return f
    ? {
        kind: 'code-shape',
        step:
          `${f.path}, a file of the module, cannot be read (${f.unreadable}), so what it declares is not known: ` +
          'decrypt it (git-crypt unlock) or convert it to UTF-8, then run kmsfix again',
      }
    : undefined;
}

/**
 * The names of a folder's files, kept per sibling object: the engine hands each file of a folder the same
 * sibling objects (all but the file itself), so the first sibling keys the folder for all of them but one.
 */
const folderNames = new WeakMap<SourceFile, Set<string>>();

async function namesBeside(file: SourceFile, context: DiskContext): Promise<Set<string> | undefined> {
  const siblings = await context.siblings();
  if (siblings.length === 0) return undefined;
  let names = folderNames.get(siblings[0]);
  if (!names) folderNames.set(siblings[0], (names = new Set([file, ...siblings].map((f) => path.posix.basename(f.path)))));
  return names;
}

/**
 * A file with an OpenTofu twin: `x.tf` beside `x.tofu` (or `x.tf.json` beside `x.tofu.json`). OpenTofu
 * reads the `.tofu` file in place of the `.tf` one, Terraform reads only the `.tf` one: a fix of either
 * would not reach the other tool's apply (OpenTofu's "Files and directories": the .tofu file wins).
 */
async function tofuTwin(file: SourceFile, context: DiskContext | undefined): Promise<Obstacle | undefined> {
  const name = path.posix.basename(file.path);
  const m = /^(.*)\.(tf|tofu)(\.json)?$/i.exec(name);
  if (!m || !context) return undefined;
  const isTf = m[2].toLowerCase() === 'tf';
  const other = `${m[1]}.${isTf ? 'tofu' : 'tf'}${m[3] ?? ''}`;
  if (!(await namesBeside(file, context))?.has(other)) return undefined;
  const [tf, tofu] = isTf ? [name, other] : [other, name];
  return {
    kind: 'code-shape',
    step:
      `${tofu} beside ${tf}: OpenTofu reads ${tofu} in place of ${tf}, and Terraform reads only ${tf}, so a fix of one would not ` +
      `reach the other tool's apply: make the change in both by hand (or keep only the file of the tool you use), then run kmsfix again`,
  };
}
