/**
 * A template's settings read in each environment of a SAM configuration (environments.ts reads them): a
 * `!Ref` to a parameter an environment sets takes its value there (else the Default), a table with a
 * `Condition` of its own counts where it may exist, and an `Fn::If` picks per environment, each branch read
 * with the environments that pick it. settings.ts calls these where it reads a parameter's Default.
 */
import { someOf } from '../../core/text.js';
import type { Branches, Setting } from '../../rule/facts.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { type CMap, type CNode, child, scalarString } from '../yaml/tree.js';
import { intrinsicName, referencedIds } from './intrinsics.js';
import type { Defaults } from './settings.js';
import { type ConditionInputs, conditionIn, type Environment, type ParameterValue } from './environments.js';

/** A parameter's value in an environment: the environment's, else the Default. */
export const valueIn =
  (defaults: Defaults): ParameterValue =>
  (env, name) => {
    // A parameter of an SSM parameter type: its value is what SSM holds under the name passed, in each account.
    if (defaults.ssm?.has(name)) return undefined;
    // One the deployer computes (Copilot's `!Ref Env`): not known (parameterAcross says so for a key).
    if (env.computed?.has(name)) return undefined;
    return env.values.get(name) ?? defaultValue(defaults, name);
  };

/** A parameter's Default as the text CloudFormation passes (null: ''); undefined without a scalar Default. */
export function defaultValue(defaults: Defaults, name: string): string | undefined {
  const d = defaults.get(name);
  return d?.kind === 'scalar' ? (d.value === null ? '' : String(d.value)) : undefined;
}

type Across = { name: string; values: { env: string; value: string }[]; file: string } | { name: string; unreadable: string };

/**
 * A `!Ref` to a parameter that one of the environments sets (environments.ts): its value in each (one
 * without a value, the parameter's Default, deploys nothing); undefined where none sets it (its Default
 * decides, parameterDefault).
 */
export function parameterAcross(node: CNode | null | undefined, defaults: Defaults | undefined): Across | undefined {
  if (!defaults?.declared || intrinsicName(node) !== 'Ref') return undefined;
  const name = referencedIds(node)[0];
  if (name === undefined || !defaults.declared.has(name)) return undefined;
  if (defaults.reads) defaults.reads.inputs = true;
  const envs = defaults.envs;
  if (!envs) return undefined;
  if (envs.unreadable !== undefined) return { name, unreadable: `${envs.file}, which kmsfix cannot read (${envs.unreadable})` };
  // A value the deployer computes (Copilot's `!Ref Env`): not known.
  const computed = envs.list.find((e) => e.computed?.has(name))?.computed?.get(name);
  if (computed !== undefined) return { name, unreadable: `${computed}, which kmsfix does not evaluate` };
  if (!envs.list.some((e) => e.values.has(name))) return undefined;
  const value = valueIn(defaults);
  const values = envs.list.flatMap((e) => {
    const v = value(e, name);
    return v === undefined ? [] : [{ env: e.name, value: v }];
  });
  return values.length > 0 ? { name, values, file: envs.file } : undefined;
}

/** `parameter X's values in samconfig.toml (default, prod: arn:...; dev: alias/aws/dynamodb)`; `composed`: `the key's values (reading X) in ...`. */
export function viaEnvironments(a: Extract<Across, { values: unknown }>, composed = false): string {
  const byValue = new Map<string, string[]>();
  for (const v of a.values) byValue.set(v.value, [...(byValue.get(v.value) ?? []), v.env]);
  const list = [...byValue].map(([value, envs]) => `${named(envs)}: ${value === '' ? "''" : value}`).join('; ');
  return `${composed ? `the key's values (reading ${a.name})` : `parameter ${a.name}'s values`} in ${a.file} (${list})`;
}

/** The environments (as viaEnvironments lists them) whose value `pick` takes. */
function environmentsWhere(a: Extract<Across, { values: unknown }>, pick: (value: string) => boolean): string {
  return `${a.file}: ${named(a.values.filter((v) => pick(v.value)).map((v) => v.env))}`;
}

/** Environments' names, the first few (a configuration may have thousands). */
const named = (envs: string[]) => someOf(envs, 5, 6);

/**
 * A key that is a parameter the environments set: customer-managed in each, the AWS managed key in each, or not
 * known. `composed`: the values are a key composed from parameters (composedKey.ts), not one parameter's.
 */
export function keyAcross(a: Across, source: string, raw: Setting['raw'], composed = false): Setting {
  if ('unreadable' in a) return { state: 'unreadable', source: `KMSMasterKeyId is ${source}, a parameter set in ${a.unreadable}`, raw };
  const via = viaEnvironments(a, composed);
  const managed = a.values.filter((v) => isAwsManagedKeyRef(v.value));
  if (managed.length === 0) return { state: 'literal', source, text: a.values[0].value, raw, via };
  if (managed.length === a.values.length)
    return { state: 'literal', source, text: managed.every((v) => v.value.trim() === '') ? '' : AWS_MANAGED_ALIAS, raw, via };
  const which = composed ? `which reads ${a.name} and may be` : `parameter ${a.name}, whose value may be`;
  return {
    state: 'unreadable',
    source: `KMSMasterKeyId is ${source}, ${which} ${AWS_MANAGED_ALIAS} (${environmentsWhere(a, isAwsManagedKeyRef)})`,
    raw,
  };
}

/** SSEEnabled from a parameter the environments set: the same boolean in each, or not known. */
export function enabledAcross(a: Across, source: string, raw: Setting['raw']): Setting {
  if ('unreadable' in a) return { state: 'unreadable', source: `SSEEnabled is ${source}, a parameter set in ${a.unreadable}`, raw };
  const bools = a.values.map((v) => (/^true$/i.test(v.value.trim()) ? true : /^false$/i.test(v.value.trim()) ? false : undefined));
  if (bools[0] !== undefined && bools.every((b) => b === bools[0]))
    return { state: 'literal', source, bool: bools[0], raw, via: viaEnvironments(a) };
  return { state: 'unreadable', source: `SSEEnabled is ${source}, ${viaEnvironments(a)}`, raw };
}

/**
 * The defaults of a table with a `Condition` of its own (`Condition: IsProd`): the environments where it may exist
 * (the condition true or not known there); those where it is false create no table, and do not count.
 */
export function deployedIn(resource: CMap, defaults: Defaults | undefined): Defaults | undefined {
  const condition = scalarString(child(resource, 'Condition') ?? null);
  const envs = defaults?.envs;
  if (condition === undefined || !envs || envs.unreadable !== undefined || envs.list.length === 0) return defaults;
  const values = conditionValues(defaults!, envs.list, condition);
  const list = envs.list.filter((_, i) => values[i] !== false);
  return list.length === envs.list.length || list.length === 0 ? defaults : withEnvironments(defaults!, list);
}

/**
 * An Fn::If's condition in each environment (environments.ts), or in every deploy where there are none (a
 * template without a SAM configuration, or one kmsfix cannot read: the Mappings it looks up, its parameters'
 * AllowedValues): where each decides it, the branches they pick, and each branch's settings read with the
 * environments that pick it (`defaults` per branch); else the condition is not known, and each branch is read
 * with them all.
 */
export function picksIn(
  defaults: Defaults | undefined,
  condition: string,
): { defaults: (Defaults | undefined)[]; chosen?: Branches['chosen'] } {
  if (defaults?.reads) defaults.reads.inputs = true;
  const envs = defaults?.envs;
  const same = { defaults: [defaults, defaults] };
  if (!defaults?.conditions) return same;
  if (!envs || envs.unreadable !== undefined || envs.list.length === 0) {
    const pick = conditionIn(condition, everyDeploy(defaults));
    if (pick === undefined) return same;
    return {
      defaults: [defaults, defaults],
      chosen: { indexes: [pick ? 0 : 1], by: `condition ${condition}, ${pick} in every deploy` },
    };
  }
  const picks = conditionValues(defaults, envs.list, condition);
  if (picks.some((p) => p === undefined)) return same;
  const chosen = [true, false].map((p) => envs.list.filter((_, i) => picks[i] === p));
  return {
    defaults: chosen.map((list) => (list.length > 0 ? withEnvironments(defaults, list) : defaults)),
    chosen: {
      indexes: [0, 1].filter((i) => chosen[i].length > 0),
      by: `condition ${condition} in ${envs.file} (${chosen
        .flatMap((list, i) => (list.length > 0 ? [`${named(list.map((e) => e.name))}: ${i === 0 ? 'true' : 'false'}`] : []))
        .join('; ')})`,
    },
  };
}

/** The defaults with only these environments (a branch's, or those where a table exists). */
function withEnvironments(defaults: Defaults, list: Environment[]): Defaults {
  return Object.assign(new Map(defaults), defaults, { envs: { ...defaults.envs!, list } });
}

/** A condition's value in each of the environments (undefined where it reads what they do not give). */
function conditionValues(defaults: Defaults, list: Environment[], condition: string): (boolean | undefined)[] {
  const value = valueIn(defaults);
  return list.map((e) =>
    conditionIn(condition, {
      conditions: defaults.conditions,
      mappings: defaults.mappings,
      values: (name) => {
        const v = value(e, name);
        return v === undefined ? undefined : [v];
      },
    }),
  );
}

/**
 * What a condition reads in any deploy, where no environment says what is passed: the Mappings, and a
 * parameter's AllowedValues (a Default may be overridden: any value, unless AllowedValues list them).
 */
export function everyDeploy(defaults: Defaults): ConditionInputs {
  return { conditions: defaults.conditions, mappings: defaults.mappings, values: (name) => defaults.allowed?.get(name) };
}
