/**
 * A registry module call (registryModules.ts) as written: which module it calls and whether it creates its
 * table (registryCall, createsTable, its null-label context's switch), and what of the call keeps a fix
 * from it: replica Regions, a version pinned below what a fix writes, a table created only on an input.
 */
import type { Obstacle } from '../../rule/facts.js';
import { attr, type HBlock } from './parse.js';
import { registryModuleOf, type RegistryModule } from './registryModules.js';
import { readsInputs } from './inputUses.js';
import { callSwitches } from './callSwitches.js';
import { pinnedBelow } from './moduleVersion.js';
import { boolOf } from './settings.js';

/** The registry module a call names, unless the call creates no table (its `enabled = false`, `module_enabled = false`). */
export function registryCall(b: HBlock): RegistryModule | undefined {
  const m = registryModuleOf(attr(b, 'source'));
  return m && createsTable(b, m) ? m : undefined;
}

/** Whether a registry module call creates its table (not `enabled = false`, `module_enabled = false`). */
export function createsTable(b: HBlock, m: RegistryModule): boolean {
  const on = m.create ? attr(b, m.create) : undefined;
  if (!on && m.createFromContext) return contextSwitch(b) !== 'false';
  return !(m.create && boolOf(on) === false);
}

/**
 * The `enabled` a call without one takes from its null-label `context` input: `module.this.enabled` for
 * `context = module.this.context` (cloudposse's components; the label module's `enabled` then decides), the
 * context's own for another expression; undefined for a literal object that does not set `enabled` (the
 * label module's default: true) or sets it true.
 */
export function contextSwitch(b: HBlock): string | undefined {
  const c = attr(b, 'context');
  if (!c || c.lit?.type === 'null') return undefined;
  const text = c.value.trim();
  if (text.startsWith('{')) {
    const on = /\benabled\s*=\s*([^\s,}]+)/.exec(text)?.[1];
    return on === undefined || on === 'true' ? undefined : on;
  }
  const m = /^module\.([A-Za-z_][\w-]*)\.context$/.exec(text);
  return m ? `module.${m[1]}.enabled` : `${text}.enabled`;
}

/**
 * A registry module call whose table exists only when an input the code does not decide says so
 * (`create_table = var.create`): a key and alias beside the call would be created either way, the
 * alias named `alias/dynamodb/` (the module's name output is "" then), which a second such call in the
 * account and Region fails to create.
 */
export function createdMaybe(b: HBlock, m: RegistryModule): Obstacle | undefined {
  const on = m.create ? attr(b, m.create) : undefined;
  const context = !on && m.createFromContext ? contextSwitch(b) : undefined;
  const sure = boolOf(on);
  if (!context && (!on || sure === true || sure === 'missing')) return undefined;
  const expr = context ?? on!.value.trim();
  const said = context ? `${context} (its ${m.create}, through context = ${attr(b, 'context')!.value.trim()})` : `${m.create} = ${expr}`;
  const o: Obstacle = {
    kind: 'generated-key',
    step:
      `the call creates its table only when ${said} is true, and a key and alias beside it would be created either way ` +
      `(the alias then named alias/dynamodb/): give the aws_kms_key and aws_kms_alias count = ${expr} ? 1 : 0 by hand, ` +
      `and set ${m.key} = one(aws_kms_key.<name>[*].arn)`,
  };
  // A switch that reads the module's inputs, or the null-label context's: evaluation may decide it (callSwitches.ts).
  if (context || readsInputs(expr)) callSwitches.set(o, { kind: 'create', expr, ...(context ? { through: 'context' as const } : {}) });
  return o;
}

/** A registry module call that sets its replica Regions (its replicas get no key of their own). */
export function moduleReplicas(b: HBlock, m: RegistryModule): Obstacle | undefined {
  const replicas = attr(b, m.replicas.input);
  if (!replicas || /^\[\s*\]$/.test(replicas.value) || replicas.lit?.type === 'null') return undefined;
  return { kind: 'module-replica-regions', ...(m.replicas.step ? { step: m.replicas.step } : {}) };
}

/** A registry module call pinned to versions without what a fix writes or reads (registryModules.ts `since`). */
export function olderModule(b: HBlock, m: RegistryModule): Obstacle | undefined {
  const source = attr(b, 'source')?.lit;
  const version = attr(b, 'version')?.lit;
  const pin = pinnedBelow(
    source?.type === 'string' ? source.value : '',
    version?.type === 'string' ? version.value : undefined,
    m.since.version,
  );
  if (pin === undefined) return undefined;
  return {
    kind: 'code-shape',
    step:
      `the call pins ${m.name} to ${pin}, a version without ${m.since.lacks}, which a fix would use (terraform plan would fail): ` +
      `upgrade the module to ${m.since.version} or later (read its changelog), then run kmsfix again`,
  };
}
