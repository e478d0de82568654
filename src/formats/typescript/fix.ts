/**
 * Planning the edits that make TypeScript tables customer-managed: one key-policy helper per file
 * (after the imports), the lookups a scope needs declared once (or reused), a key declared just
 * before the statement that creates the table and its alias just after it, the table's encryption
 * props set, the imports the new code needs added. Every edit is a text range; the compiler never
 * prints anything.
 */
import { frameworkVariableIn, noFrameworkEscape } from '../../rule/keySettings.js';
import { keyArnRegion, keyLiteral, keyRegionMismatch, providerAliasArn, stacksRegionMismatch } from '../../rule/keyArn.js';
import { entryRegions } from './cdkApp.js';
import { pulumiStacks, stackRegions } from '../pulumi/stacks.js';
import { stackCreators } from './stackRegion.js';
import { constructOf } from './tableTypes.js';
import { ownRegionOf, tableRegionsOf } from './regions.js';
import { regionWhere } from '../cfn-values/deployRegions.js';
import { planResources } from './fixResources.js';
import { serving } from '../../core/edits.js';
import { LineIndex } from '../../core/text.js';
import type { DiskContext, Edit, FilePlan, FixOptions, GroupMember, SourceFile } from '../../core/types.js';
import { raw, str, type Code } from './code.js';
import type { TsDetection, TsTable } from './tableTypes.js';
import { resolveSymbol } from './imports.js';
import { prettierWidth } from './prettier.js';
import { applySettings, type EditCtx, spreadProps } from './objects.js';
import { stringValue, type ts, unwrap } from './parse.js';
import { declaredRange, majorOf } from './project.js';
import { detectTsStyle } from './style.js';
import { optionsOf } from './options.js';
import { TYPE_NAMES, typeOnlyBlock } from './typeOnly.js';
import { typeOnlyFix } from '../../rule/cmk.js';
import { switchAlone, switchToken } from './switchOnly.js';
import { common, droppedLookups, identifiersNamed, mentions, overlaps, replacedLookups } from './unusedLookups.js';
import { addresses, keyStatementOf, type KeyGroup, type SharedScope, type Project } from './planState.js';
import { GeneratedKeys } from './generatedKeys.js';
import { keyRefForTable, tableSettings } from './tableSettings.js';

class FilePlanner extends GeneratedKeys {
  /** Key groups: one per table, or (--key-strategy shared) one per block, scope and placement. */
  private keyGroups(): KeyGroup[] {
    const groups: KeyGroup[] = [];
    const same = (a: TsTable, b: TsTable) =>
      keyStatementOf(a).parent === keyStatementOf(b).parent &&
      a.scopeText === b.scopeText &&
      a.framework === b.framework &&
      JSON.stringify(this.placementText(a)) === JSON.stringify(this.placementText(b));
    for (const t of this.chosen) {
      const g = this.options.keyStrategy === 'shared' ? groups.find((x) => same(x.tables[0], t)) : undefined;
      if (g) g.tables.push(t);
      else groups.push({ tables: [t], statement: keyStatementOf(t) });
    }
    return groups;
  }

  plan(): FilePlan {
    const arn = this.options.kmsKeyArn;
    const groups = this.keyGroups();
    // With --kms-key-arn, CDK's Table and TableV2 still need a key object: Key.fromKeyArn, once per scope.
    const needsKeyObject = (t: TsTable) => t.framework === 'cdk' && t.kind !== 'CfnTable';
    const keyed =
      arn !== undefined ? groups.filter((g) => g.tables.some(needsKeyObject)) : groups.filter((g) => g.tables[0].framework !== 'cdk');
    const scopeLists = this.scopeLists(keyed, arn !== undefined && !keyLiteral(arn));

    let arnRef: Code | undefined;
    if (arn !== undefined && !keyLiteral(arn)) arnRef = raw(arn);
    else if (arn !== undefined) {
      // The ARN written once per file when it would be written twice or more (or is already a constant).
      const uses = this.chosen.filter((t) => !needsKeyObject(t)).length + scopeLists.length;
      const existing = this.arnConstantOf(arn);
      arnRef = existing ? raw(existing) : uses > 1 ? raw(this.arnConstant(arn)) : str(arn);
    }
    const scopeOf = new Map<KeyGroup, SharedScope>();
    for (const { groups: list, anchor } of scopeLists) {
      const scope = this.declareScope(list, anchor, arnRef);
      for (const g of list) scopeOf.set(g, scope);
    }

    for (const g of groups) {
      const shared = g.tables.length > 1 || this.options.keyStrategy === 'shared';
      let keyVar: string | undefined;
      if (arnRef) {
        keyVar = scopeOf.get(g)?.vars.key;
      } else {
        keyVar = this.generatedKey(g, shared, scopeOf.get(g));
        this.alias(g, keyVar, shared);
      }
      for (const t of g.tables) {
        const key = arnRef && !needsKeyObject(t) ? arnRef : raw(keyRefForTable(t, keyVar!));
        const from = this.ctx.edits.length;
        const settings = tableSettings(t, this.ref, key, this.sym);
        if (t.spreadOf) spreadProps(this.ctx, t.spreadOf, t.props!, settings);
        else applySettings(this.ctx, t.props!, settings);
        serving(this.ctx.edits, from, [t.address]);
      }
    }
    this.flush();
    this.ctx.edits.push(...this.after);
    const dropped = this.dropUnusedLookups();
    this.ctx.edits.push(...this.imports.edits((m) => /^(aws-cdk-lib|@aws-cdk\/|@cdktf\/|@pulumi\/|cdktf$)/.test(m)));
    this.writeModuleDecls();
    // A removed import's choices: the first no other edit overlaps (none: the import stays).
    for (const choices of dropped.tables?.length === 0 ? [] : this.imports.dropEdits()) {
      const fits = choices.find((c) => !overlaps(this.ctx.edits, c.start, c.end));
      if (fits) this.ctx.edits.push(dropped.tables ? { ...fits, tables: dropped.tables } : fits);
    }
    return { edits: this.ctx.edits, fixed: this.chosen.map((t) => t.address) };
  }

  /**
   * The lookups of the AWS managed key that the table edits leave unused, removed (unusedLookups.ts), and the named
   * imports only they used handed to the import planner to remove. Returns the tables those removals serve.
   */
  private dropUnusedLookups(): { tables?: string[] } {
    const lookups = droppedLookups(this.sf, this.text, this.ctx.edits);
    const inPlace = replacedLookups(this.sf, this.ctx.edits);
    if (lookups.length === 0 && inPlace.by.length === 0) return { tables: [] };
    const removed = lookups.map((l) => l.edit);
    this.ctx.edits.push(...removed);
    const kept = (n: ts.Identifier) => {
      const at = n.getStart(this.sf);
      return !this.ctx.edits.some((e) => e.end > e.start && e.start <= at && n.end <= e.end);
    };
    const added = [...this.ctx.edits.map((e) => e.text), ...this.moduleDecls];
    for (const name of new Set([...lookups.flatMap((l) => l.names), ...inPlace.names])) {
      if (added.some((t) => mentions(t, name)) || identifiersNamed(this.sf, name).some(kept)) continue;
      this.imports.drop(name);
    }
    // An import is unused once every removal and replacement is applied: the tables all of them serve.
    return { tables: common([...removed, ...inPlace.by].map((e) => e.tables)) };
  }
}

export async function fixTypeScript(
  group: GroupMember<TsDetection>[],
  options: FixOptions,
  context?: DiskContext,
): Promise<Map<string, FilePlan>> {
  const plans = new Map<string, FilePlan>();
  for (const { file, detection, targets } of group) {
    const targeted = detection.tables.filter((t) => targets.includes(t.address));
    // A key without its type gets the type alone, and no key (typeOnly.ts): written before anything else is planned.
    const typed = targeted.filter((t) => typeOnlyFix(t.encryption));
    if (typed.length > 0) {
      const ctx: EditCtx = { sf: detection.sf, text: file.text, style: detectTsStyle(detection.sf), edits: [] };
      plans.set(file.path, { edits: ctx.edits, fixed: planTypeOnly(ctx, LineIndex.of(file.text), typed) });
    }
    // A table switched off beside a key of its own gets its switch on alone, and no key (switchOnly.ts).
    const switched = targeted.filter((t) => !typed.includes(t) && switchAlone(t));
    if (switched.length > 0) {
      const plan = plans.get(file.path) ?? { edits: [], fixed: [] };
      plan.fixed.push(...planSwitchOnly(detection.sf, plan.edits, switched));
      plans.set(file.path, plan);
    }
    const rest = targeted.filter((t) => !typed.includes(t) && !switched.includes(t));
    // CloudFormation resources written as object literals (a serverless.ts): their own plan (fixResources.ts).
    let resources = rest.filter((t) => t.kind === 'CfnResource');
    // A description or tag holding `${`, which the Serverless Framework would resolve in serverless.ts and cannot escape.
    const variable = options.kmsKeyArn ? undefined : frameworkVariableIn(options.key);
    const unescaped = variable ? resources.map((t) => ({ address: t.address, reason: noFrameworkEscape(variable, file.path) })) : [];
    if (unescaped.length > 0) resources = [];
    // --kms-key-arn with a key of another Region than the service's provider.region (session 65, region3).
    const elsewhere = options.kmsKeyArn
      ? resources.flatMap((t) => {
          const reason = serviceRegionMismatch(options.kmsKeyArn!, t);
          return reason ? [{ address: t.address, reason }] : [];
        })
      : [];
    if (elsewhere.length > 0) resources = resources.filter((t) => !elsewhere.some((d) => d.address === t.address));
    if (resources.length > 0) {
      const ctx: EditCtx = { sf: detection.sf, text: file.text, style: detectTsStyle(detection.sf), edits: [] };
      const plan = { edits: ctx.edits, fixed: planResources(ctx, resources, options) };
      const planned = plans.get(file.path);
      if (planned) {
        plan.edits.push(...planned.edits);
        plan.fixed.push(...planned.fixed);
      }
      plans.set(file.path, plan);
    }
    let chosen = rest.filter((t) => t.props && t.statement && t.kind !== 'CfnGlobalTable');
    const arn = options.kmsKeyArn;
    const aliased = arn
      ? chosen.flatMap((t) =>
          providerAliasArn(arn, t.framework, t.kind) ? [{ address: t.address, reason: providerAliasArn(arn, t.framework, t.kind)! }] : [],
        )
      : [];
    const declined = [
      ...unescaped,
      ...elsewhere,
      ...aliased,
      ...(arn ? await otherRegions(file, detection, chosen, arn, context) : []).filter(
        (d) => !aliased.some((a) => a.address === d.address),
      ),
    ];
    if (declined.length > 0) chosen = chosen.filter((t) => !declined.some((d) => d.address === t.address));
    if (chosen.length === 0) {
      if (declined.length > 0) plans.set(file.path, { ...(plans.get(file.path) ?? { edits: [], fixed: [] }), declined });
      continue;
    }
    // The package.json is read only for a Pulumi program's keys (their policy names the Region).
    const project: Project = chosen.some((t) => t.framework === 'pulumi' && !options.kmsKeyArn)
      ? { pulumiAwsMajor: majorOf(await declaredRange(file, '@pulumi/aws', context)) }
      : {};
    const prettier = await prettierWidth(file, context);
    if (prettier) project.prettier = prettier;
    const plan = new FilePlanner(file, detection, chosen, options, project).plan();
    if (declined.length > 0) plan.declined = [...(plan.declined ?? []), ...declined];
    const planned = plans.get(file.path);
    if (planned) {
      plan.edits.push(...planned.edits);
      plan.fixed.push(...planned.fixed);
    }
    plans.set(file.path, plan);
  }
  return plans;
}

/**
 * The tables whose own key lacks only its type (src/rule/cmk.ts untypedKey): `sseType: 'KMS'` (a resource's
 * `SSEType`) added to the settings they hold (detection found them so: typeOnly.ts), in the file's quotes; the
 * key stays. Returns the addresses fixed.
 */
function planTypeOnly(ctx: EditCtx, lines: LineIndex, tables: TsTable[]): string[] {
  for (const t of tables) {
    const where = typeOnlyBlock(ctx.sf, lines, t, t.spreadOf);
    if ('step' in where) throw new Error(`table ${t.address}: ${where.step}`);
    const from = ctx.edits.length;
    const type = t.kind === 'CfnResource' ? TYPE_NAMES.resource.type : TYPE_NAMES.props.type;
    applySettings(ctx, where.block, [{ key: type, value: str('KMS'), keep: (e) => stringValue(unwrap(e)) === 'KMS' }]);
    serving(ctx.edits, from, [t.address]);
  }
  return addresses(tables);
}

/**
 * The tables switched off beside a customer-managed key of their own (src/rule/cmk.ts switchedOff): the switch's
 * `false` token made `true`, every other byte kept; the key stays and none is written. Returns the addresses fixed.
 */
function planSwitchOnly(sf: ts.SourceFile, edits: Edit[], tables: TsTable[]): string[] {
  for (const t of tables) {
    const token = switchToken(t)!;
    const from = edits.length;
    edits.push({ start: token.getStart(sf), end: token.getEnd(), text: 'true' });
    serving(edits, from, [t.address]);
  }
  return addresses(tables);
}

/**
 * Why --kms-key-arn cannot serve a serverless.ts service's table: its service's `provider.region` (TableFacts
 * deployRegions) is another Region than the key's, worded as a serverless.yml's (cloudformation/fix.ts
 * otherStackRegion). undefined: none known, or the key's.
 */
function serviceRegionMismatch(arn: string, t: TsTable): string | undefined {
  const keyRegion = keyArnRegion(arn);
  const known = (t.deployRegions ?? []).map((r) => ({ region: r.region, where: regionWhere(r) }));
  const reason = stacksRegionMismatch(arn, known, 'The deploy would fail and CloudFormation would roll the stack back');
  return (
    reason &&
    reason +
      // A Region the Framework (or Node) takes where the deploy gives none: a service always deployed with one says so in
      // its file (as the Region to make the default: a `${opt:...}` string may not type-check against @serverless/typescript's AWS type).
      (known.some((r) => r.region !== keyRegion && /where the deploy (gives no --region|sets no \S+ in its environment)/.test(r.where))
        ? `, or, where every deploy gives ${keyRegion} (--region, or the environment variable read), make ${keyRegion} provider.region's default`
        : '')
  );
}

/**
 * Tables --kms-key-arn cannot serve: the file writes their Region, and the key is in another; or, where the file does
 * not, the project does (session 65, region2): a CDK stack class of the file that the app's entry creates with a
 * literal `env.region` (cdkApp.ts entryRegions), a Pulumi table on the default provider whose stacks set `aws:region`
 * (pulumi/stacks.ts stackRegions). Where no Region is known the table is fixed, and the commit message names the key's.
 */
async function otherRegions(
  file: SourceFile,
  detection: TsDetection,
  chosen: TsTable[],
  arn: string,
  context: DiskContext | undefined,
): Promise<{ address: string; reason: string }[]> {
  const sym = (e: ts.Expression) => resolveSymbol(e, detection.binds);
  const out: { address: string; reason: string }[] = [];
  let stacks: Awaited<ReturnType<typeof pulumiStacks>> | null = null;
  for (const t of chosen) {
    const options = t.framework === 'cdk' ? undefined : optionsOf(t, detection.sf);
    const provider = options?.provider;
    // A CDKTF table's own `region` (cdktfRegion.ts) is its Region, whatever its provider's.
    const own = options?.region;
    const where = t.framework === 'cdk' ? "its stack's env.region" : own ? `region: ${own.text}` : `provider ${provider?.text}`;
    const regions = own ? ownRegionOf(own.value) : tableRegionsOf(t, detection.sf, sym, provider?.value);
    // A `region` of its own that is not a literal may be any Region: the key's cannot be shown to be it (adversarial
    // pass of session 57, H2), where a provider's unknown Region is the one the key is taken to be for, as before.
    let reason =
      own && regions === undefined && keyArnRegion(arn)
        ? `--kms-key-arn names a key in ${keyArnRegion(arn)}, and this table's Region is ${where}, which kmsfix cannot read as a literal: a table's key must be in its Region (write the Region as a literal, or give the key by hand)`
        : keyRegionMismatch(arn, regions, where);
    if (!reason && regions === undefined && !own && context) {
      if (t.framework === 'cdk') {
        // A stack class the file exports and never creates: where the app's entry creates it.
        const classes = stackCreators(detection.sf, sym, constructOf(t)).stacks;
        const known = await entryRegions(file, { sf: detection.sf, sym }, classes, context);
        reason = stacksRegionMismatch(arn, known, 'The deploy would fail and CloudFormation would roll the stack back');
      } else if (t.framework === 'pulumi' && !provider && !options?.parent) {
        // The default provider (no `provider`, no `parent` whose provider it may inherit): each stack's aws:region.
        stacks ??= (await pulumiStacks(file, context)) ?? undefined;
        const known = stacks ? stackRegions(stacks) : [];
        reason = stacksRegionMismatch(arn, known, '`pulumi up` would stop at the table on that stack');
      }
    }
    if (reason) out.push({ address: t.address, reason });
  }
  return out;
}
