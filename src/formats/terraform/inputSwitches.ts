/**
 * A registry call's obstacles that hang on its module's inputs (callSwitches.ts), decided with the module's values
 * (`decideSwitches`): its creation switch (`createSwitch`, a null-label context's `enabled` too) and its replica Regions
 * (`replicaList`). `EMPTY_COLLECTION`: a collection with nothing in it, as a call or a default writes one.
 */
import { directVariable, evaluate, variablesRead, type Env } from './evaluate.js';
import { asBool } from './expression.js';
import type { TfTable } from './detect.js';
import { setOutside, type OutsideSetters } from './varSources.js';
import { switchObstacles } from './callSwitches.js';
import type { TopBlock } from './topBlocks.js';

/**
 * A registry call's obstacles that hang on its module's inputs (callSwitches.ts), decided where those say: a creation
 * switch true lifts its obstacle, and false has the call create no table (true returned: not reported, as a literal
 * false is not); replica Regions that are an empty list give way to the call's other obstacles. A value a var-file,
 * terragrunt or atmos sets (`setters`), or the callers of a module that is not a root module, leaves them as they are.
 */
export async function decideSwitches(
  t: TfTable,
  env: () => Env,
  root: () => Promise<boolean>,
  setters: (() => Promise<Map<string, OutsideSetters>>) | undefined,
  tops: () => Promise<TopBlock[]>,
): Promise<boolean> {
  const obstacles = t.encryption.obstacles;
  for (const { obstacle, on } of switchObstacles(obstacles)) {
    const read = on.kind === 'create' ? await createSwitch(on.expr, on.through === 'context', env(), tops) : replicaList(on.expr, env());
    if (read === undefined) continue;
    if (read.vars.length > 0) {
      if (!(await root())) continue;
      if (setters && setOutside(read.vars, await setters())) continue;
    }
    if (on.kind === 'create' && read.value === false) return true;
    if (on.kind === 'create' && read.value === true) obstacles.splice(obstacles.indexOf(obstacle), 1);
    if (on.kind === 'replicas' && read.value === true) obstacles.splice(obstacles.indexOf(obstacle), 1, ...on.rest);
  }
  return false;
}

/**
 * A creation switch's value (`var.create_table`, `local.create`), with the variables it reads. Through a null-label
 * context (`module.this.enabled`): the `enabled` of that `module` block of cloudposse/label/null in the module, null
 * (unset, or a variable defaulting to null) meaning the context's own `enabled` (the label module's rule), true unless
 * the block passes a `context` whose `enabled` says otherwise.
 */
async function createSwitch(
  expr: string,
  context: boolean,
  env: Env,
  tops: () => Promise<TopBlock[]>,
): Promise<{ value: boolean; vars: string[] } | undefined> {
  const one = (e: string) => {
    const v = evaluate(e, env);
    return v.known ? { value: v.value === null ? null : asBool(v.value), vars: variablesRead(e, env) } : undefined;
  };
  const label = context ? /^module\.([A-Za-z_][\w-]*)\.enabled$/.exec(expr)?.[1] : undefined;
  if (!label) {
    const v = one(expr);
    return v && typeof v.value === 'boolean' ? { value: v.value, vars: v.vars } : undefined;
  }
  const block = (await tops()).find((b) => b.type === 'module' && b.labels[0] === label);
  const source = block?.attr('source')?.value ?? '';
  if (!block || !/cloudposse\/(label\/null|terraform-null-label)\b/.test(source)) return undefined;
  const enabled = block.attr('enabled')?.value;
  const own = enabled === undefined ? { value: null, vars: [] } : one(enabled);
  if (!own || own.value === undefined) return undefined;
  if (own.value !== null) return { value: own.value, vars: own.vars };
  const ctx = block.attr('context')?.value;
  if (ctx === undefined) return { value: true, vars: own.vars };
  const from = one(`${ctx.trim()}.enabled`);
  return from && typeof from.value === 'boolean' ? { value: from.value, vars: [...own.vars, ...from.vars] } : undefined;
}

/** Whether replica Regions (`var.replicas`, a local that is it) are an empty list or null as the module gives them (`value`), with the variable. */
function replicaList(expr: string, env: Env): { value: boolean; vars: string[] } | undefined {
  const v = directVariable(expr, env);
  const given = v ? env.vars.get(v)?.expr : undefined;
  if (!v || given === undefined) return undefined;
  const text = given.trim();
  return { value: text === 'null' || EMPTY_COLLECTION.test(text), vars: [v] };
}

/** A collection with nothing in it, as a call or a default writes one: `[]`, `{}`, `toset([])`, `tomap({})`. */
export const EMPTY_COLLECTION = /^(?:(?:toset|tolist|tomap)\(\s*)?(?:\[\s*\]|\{\s*\})(?:\s*\))?$/;
