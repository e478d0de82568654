/**
 * A switch (`server_side_encryption.enabled`) that a var-file, terragrunt or atmos sets per environment, read as
 * CloudFormation reads `SSEEnabled: !If [IsLocal, false, true]` (src/rule/cmk.ts branchesVerdict): the table's settings
 * as each value of the switch makes them (Settings.branches). Where none is customer-managed (no kms_key_arn, or one
 * that is the AWS managed key whatever is set), the table is AWS owned if some value is false, AWS managed if every one
 * is true, and is not fixed (a code-shape step: kmsfix leaves the choice to the files that set it, as the
 * CloudFormation path leaves an Fn::If to the template). Otherwise the rule reads the switch as written: `unknown`.
 * Real-world round 43, F1: alphagov/di-authentication-api's `enabled = !var.use_localstack` with no key, set true by
 * localstack.tfvars, was "unknown ... check the deployed value" on 6 tables that no value of it could make compliant.
 */
import type { Branches, Obstacle, Setting, Settings } from '../../rule/facts.js';
import { asBool, evaluate, type Env } from './expression.js';
import type { HAttr } from './parse.js';
import { varFileValues, type OutsideSetters } from './varSources.js';

type Sse = Extract<Settings, { model: 'sse' }>;

/** The values the switch takes: each with where it takes it. */
interface Value {
  bool: boolean;
  where: string;
}

const OUTCOME = { true: 'the AWS managed key', false: 'the AWS owned key' } as const;

/**
 * The values of a switch `a` whose variables `outside` sets (`set`: the one that does, and what setOutside said of it),
 * read before (`before`: its value with the module's own defaults and tfvars). Each var-file's value, evaluated with
 * the module's environment (`env`), where var-files alone set one variable; else both true and false.
 */
function valuesOf(a: HAttr, before: Setting, setBy: string[], outside: Map<string, OutsideSetters>, env: Env | undefined): Value[] {
  // What decided it, said after the expression as written (inputSettings.ts evaluatedSetting): `(x defaults to false (main.tf:1))`.
  const decided = before.source.startsWith(a.value.trim()) ? before.source.slice(a.value.trim().length).trim() : '';
  const own: Value[] =
    before.bool === undefined ? [] : [{ bool: before.bool, where: `by the module's values${decided ? ` ${decided}` : ''}` }];
  const files = env && setBy.length === 1 ? varFileValues(setBy[0], outside) : undefined;
  const out: Value[] = [...own];
  for (const { where, expr } of files ?? []) {
    const vars = new Map(env!.vars).set(setBy[0], { expr, why: `${setBy[0]} = ${expr.trim()} in ${where}` });
    const v = evaluate(a.value, { ...env!, vars });
    const bool = v.known ? asBool(v.value) : undefined;
    if (bool === undefined) return [];
    out.push({ bool, where: `in ${where}` });
  }
  return files ? out : [];
}

/** The values in words: `false (the AWS owned key) in localstack.tfvars, true (the AWS managed key) by the module's values`. */
function saidOf(values: Value[]): string {
  if (values.length === 0) return `true (${OUTCOME.true}) or false (${OUTCOME.false})`;
  const out: string[] = [];
  for (const bool of [true, false]) {
    const wheres = values.filter((v) => v.bool === bool).map((v) => v.where);
    if (wheres.length > 0) out.push(`${bool} (${OUTCOME[`${bool}`]}) ${wheres.join(', ')}`);
  }
  return out.join('; ');
}

/**
 * The settings as each value of the switch makes them, for a switch read as `before` whose variables `setBy` are set
 * from outside (`why`: setOutside's words); and the step of the table that is not fixed for it. The key is the one
 * read (after the var-files' keys: markSetOutside), its `via` said in the branches' source (a choice read through an
 * input's default is not decided: branchesVerdict).
 */
export function outsideSwitch(
  s: Sse,
  a: HAttr,
  before: Setting,
  setBy: string[],
  why: string,
  outside: Map<string, OutsideSetters>,
  env: Env | undefined,
): { branches: Branches; obstacle: Obstacle } {
  const values = valuesOf(a, before, setBy, outside, env);
  const bools = values.length === 0 ? [true, false] : [true, false].filter((b) => values.some((v) => v.bool === b));
  const key = s.key?.via === undefined ? s.key : { ...s.key, via: undefined };
  const keyVia = s.key?.via === undefined ? '' : `; ${s.key.via}`;
  const settings = bools.map(
    (bool): Settings => ({ ...s, enabled: { state: 'literal', source: `${bool}`, bool, raw: bool }, key, branches: undefined }),
  );
  const written = a.value.trim();
  return {
    branches: { name: 'enabled', source: `${written}: ${why}: ${saidOf(values)}${keyVia}`, condition: setBy.join(', '), settings },
    obstacle: {
      kind: 'code-shape',
      step:
        `${why}: kmsfix leaves the switch to what sets it. For a customer-managed key, set kms_key_arn ` +
        'in the block to the ARN of a customer-managed key and keep the switch true wherever the table is deployed, or write ' +
        'enabled = true and run kmsfix again (it then adds the key)',
    },
  };
}
