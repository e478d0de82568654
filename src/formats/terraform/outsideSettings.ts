/**
 * A root module's switch or key that a var-file or terragrunt.hcl sets (varSources.ts), read as not known before plan
 * whatever the defaults and tfvars say (`markSetOutside`), a switch so set read value by value (outsideSwitch.ts).
 */
import type { Obstacle, Setting, Settings, Vocabulary } from '../../rule/facts.js';
import type { Env } from './evaluate.js';
import type { HAttr } from './parse.js';
import { keyFromVarFiles, setOutside, type OutsideSetters } from './varSources.js';
import { outsideSwitch } from './outsideSwitch.js';
import { AWS_MANAGED_ALIAS } from '../../rule/status.js';

/** A setting that is one variable (`var.kms_key_arn`), and its name. */
export const VAR_REF = /^var\.([A-Za-z_][\w-]*)$/;

/**
 * A root module's switch or key whose variables a var-file or terragrunt.hcl sets (varSources.ts):
 * not known before plan (one value per environment), whatever the defaults and tfvars say. Only
 * settings evaluated to a value (literal now) are looked at. A switch so set is also read value by value
 * (outsideSwitch.ts: `env`, where each var-file's value is evaluated): where no value uses a customer-managed key, the
 * table is AWS owned or AWS managed whatever is set, and the step returned (an obstacle) keeps it from being fixed.
 */
export async function markSetOutside(
  s: Settings,
  words: Vocabulary,
  attrs: { enabled?: HAttr; key?: HAttr },
  varsOf: (a: HAttr) => string[],
  outside: () => Promise<Map<string, OutsideSetters>>,
  env?: Env,
): Promise<Obstacle | undefined> {
  if (s.model !== 'sse') return undefined;
  let switched: { before: Setting; setBy: string[]; why: string; setters: Map<string, OutsideSetters> } | undefined;
  for (const which of ['enabled', 'key'] as const) {
    const a = attrs[which];
    const setting = s[which];
    // A key that is one variable without a value here (no default), set per environment by var-files: what they set.
    const one =
      which === 'key' && a && (setting?.state === 'reference' || setting?.state === 'expression') ? VAR_REF.exec(a.value.trim()) : null;
    const byFiles = one ? keyFromVarFiles(one[1], await outside()) : undefined;
    if (a && setting && byFiles) {
      const files = `${one![1]} is ${AWS_MANAGED_ALIAS} (or empty) in ${byFiles.files.join(', ')} (-var-file)`;
      const said = `${words.names.key} = ${a.value.trim()}: ${files}`;
      s.key = byFiles.all
        ? { state: 'expression', source: a.value.trim(), text: AWS_MANAGED_ALIAS, via: files, raw: setting.raw }
        : { state: 'unreadable', source: said, raw: setting.raw };
      continue;
    }
    if (!a || a.lit || setting?.state !== 'literal') continue;
    const vars = varsOf(a);
    const setters = await outside();
    const why = setOutside(vars, setters);
    if (!why) continue;
    s[which] = { state: 'unreadable', source: `${words.names[which]} = ${a.value.trim()}: ${why}`, raw: setting.raw };
    if (which === 'enabled') switched = { before: setting, setBy: vars.filter((v) => setOutside([v], setters)), why, setters };
  }
  if (!switched || !attrs.enabled) return undefined;
  const { branches, obstacle } = outsideSwitch(s, attrs.enabled, switched.before, switched.setBy, switched.why, switched.setters, env);
  s.branches = branches;
  return obstacle;
}
