/**
 * A table's key taken from a local module's output (`kms_key_arn = module.keys.dynamodb_key_arn`, real-world round
 * 38 F4), where the module's code shows what the output gives: the output's `value` is read in the module as the
 * table's own module would read it written there, with the call's inputs over the module's defaults. The AWS managed
 * key when it reads a KMS data source naming `alias/aws/dynamodb` (managedKeyData.ts), a key counted to zero
 * (`try(aws_kms_key.this[0].arn, null)`, `one(...)`, `join(...)`: countedKeys.ts), or evaluates to null, "" or the
 * alias; `unknown` when such a count, or a choice that may give the AWS managed key, is not known from the code alone.
 * An output that passes on what the call gives (`value = var.key_arn`, the call's `key_arn = var.table_key`) is read
 * with the caller's values, as the caller's own table would read them (its variables' defaults and tfvars, its
 * locals, its KMS data sources naming the AWS managed key); `unknown`, naming them, where the caller's variables it
 * reads are set from outside (var-files, terragrunt) or by the callers of a module that is not a root module (before
 * session 56 the caller's values were left empty, and an output the caller made null, "" or the AWS managed key read
 * as a customer-managed key: adversarial F1). Anything else (the module's own `aws_kms_key.this.arn`, a data source
 * of another key, a caller's variable without a value before plan) stays a key, as before.
 * Read only for a table whose key is such an output of a call with a local `source`, no `count` and no `for_each`.
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { isAwsManagedKeyRef } from '../../rule/status.js';
import type { TfDetection } from './detect.js';
import { countedKeyCount, countedKeySetting } from './countedKeys.js';
import { awsManagedChoice, directVariable, evaluate, localTarget, variablesRead } from './expression.js';
import { soleInterpolation } from './inputUses.js';
import { dataKeyOf, keyThroughLocals, managedKeysIn } from './managedKeyData.js';
import { holdsWord, siblingBlocks, summarize, type TopBlock } from './topBlocks.js';

/** `module.<call>.<output>`, the whole expression. */
const MODULE_OUTPUT = /^module\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)$/;

/** Attributes of a module call that are not inputs. */
const META = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);

export async function moduleOutputKeys(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<void> {
  if (!context || !file.text.includes('module.')) return;
  const refs = det.tables.flatMap((t) => {
    const s = t.encryption.settings;
    if (s.model !== 'sse' || !s.key || s.key.state !== 'reference') return [];
    const expr = keyThroughLocals.get(s.key) ?? s.key.source;
    const m = MODULE_OUTPUT.exec(soleInterpolation(expr) ?? expr.trim());
    return m ? [{ key: s.key, call: m[1], output: m[2], keyName: t.encryption.words.names.key ?? 'kms_key_arn' }] : [];
  });
  if (refs.length === 0) return;
  let tops: TopBlock[] | undefined;
  const callBlock = async (name: string) => {
    tops ??= [
      ...summarize(det, file.text),
      ...(await siblingBlocks((await context.siblings()).filter((f) => f.path !== file.path && holdsWord(f, 'module')))),
    ];
    return tops.find((b) => b.type === 'module' && b.labels[0] === name);
  };
  const { moduleFiles, moduleScope } = await import('./moduleScope.js');
  const { moduleEnv } = await import('./evaluate.js');
  const { setOutside } = await import('./varSources.js');
  // The caller's module (this file's): its variables, locals and KMS data sources, and who sets its variables.
  const caller = await moduleScope(file, det, context);
  for (const ref of refs) {
    const call = await callBlock(ref.call);
    const source = call?.attr('source')?.lit;
    if (!call || source?.type !== 'string' || !/^\.\.?\//.test(source.value) || call.attr('count') || call.attr('for_each')) continue;
    const rel = source.value.replace(/\/+$/, '');
    const files = await context.folder(file, rel);
    if (!files?.length) continue;
    const module = await moduleFiles(files);
    const moduleTops = module.files.flatMap((f) => f.tops);
    const output = moduleTops
      .find((b) => b.type === 'output' && b.labels[0] === ref.output)
      ?.attr('value')
      ?.value.trim();
    if (output === undefined) continue;
    const inputs = new Map<string, string>();
    // The call's inputs: what it sets of the module's variables.
    for (const b of moduleTops) {
      const given = b.type === 'variable' && !META.has(b.labels[0]) ? call.attr(b.labels[0]) : undefined;
      if (given) inputs.set(b.labels[0], given.value);
    }
    // The call's inputs are evaluated with the caller's values, as its own table's key would be.
    const callerEnv = caller.env();
    const env = moduleEnv(module.files, [], { label: ref.call, inputs, env: callerEnv, dir: rel });
    const dir = path.posix.normalize(rel);
    const said = `output ${ref.output} of ${dir} is ${output}`;
    const written = ref.key.source.trim();
    const managed = (why: string) => {
      ref.key.state = 'literal';
      ref.key.text = undefined;
      ref.key.source = `${written} (${said}: ${why})`;
    };
    const unknown = (why: string) => {
      ref.key.state = 'unreadable';
      ref.key.text = undefined;
      ref.key.source = `${ref.keyName} = ${written}: ${said}, ${why}`;
    };
    // The caller's variables the output (or its counted key's count) reads through the call's inputs: set from outside,
    // or by the callers of a module that is not a root module, the value read here is not the one deployed.
    const read = variablesRead(`${output} ${countedKeyCount(output, moduleTops) ?? ''}`, env).filter((v) => inputs.has(v));
    const callerVars = [...new Set(read.flatMap((v) => variablesRead(inputs.get(v)!, callerEnv)))];
    if (callerVars.length > 0) {
      const passes = read.map((v) => `module.${ref.call} sets ${v} = ${inputs.get(v)!.trim()}`).join(', ');
      const outside = context && (await caller.root()) ? setOutside(callerVars, await caller.outside()) : undefined;
      if (outside) {
        unknown(`${passes}: ${outside}`);
        continue;
      }
      if (!(await caller.root())) {
        const by = await caller.calledBy();
        // Called by nothing in the scanned trees: read as the direct read of the same variable reads it, its default,
        // when that gives a key (a default null, "" or the AWS managed key stays unknown: a deploy may set it).
        const own = by ? undefined : evaluate(output, env);
        if (own?.known && typeof own.value === 'string' && own.value !== '' && !isAwsManagedKeyRef(own.value)) continue;
        const vars = callerVars.map((v) => `var.${v}`).join(', ');
        unknown(
          `${passes}, and this module's callers set ${vars} (${by ? `it is called: ${by}` : 'it has no sign of a root module: no lock file, backend or tfvars'})`,
        );
        continue;
      }
    }
    const data = dataKeyOf(output);
    const names = data && managedKeysIn(module.files, dir)?.get(`${data.type}.${data.name}`);
    if (names) {
      managed(names);
      continue;
    }
    const counted = countedKeySetting(output, moduleTops, env, ref.key.raw);
    if (counted) {
      // Its words after the expression it was given: `kms_key_arn = <output>: why`, `<output> (why)`.
      if (counted.state === 'unreadable') unknown(counted.source.slice(`kms_key_arn = ${output}: `.length));
      else if (counted.text === undefined) managed(counted.source.slice(output.length + 2, -1));
      continue;
    }
    // An input that is (through the caller's locals) a KMS data source of the caller naming the AWS managed key.
    const passed = directVariable(output, env);
    const given = passed === undefined ? undefined : inputs.get(passed);
    const givenData = given === undefined ? undefined : dataKeyOf(localTarget(given, callerEnv) ?? given);
    const givenNames = givenData && callerEnv.managedKeys?.get(`${givenData.type}.${givenData.name}`);
    if (givenNames) {
      managed(`module.${ref.call} sets ${passed} = ${given!.trim()}, ${givenNames}`);
      continue;
    }
    const choice = awsManagedChoice(output, env);
    if (choice !== undefined) {
      unknown(`and ${choice}`);
      continue;
    }
    const v = evaluate(output, env);
    if (v.known && (v.value === null || v.value === '' || (typeof v.value === 'string' && isAwsManagedKeyRef(v.value))))
      managed(`${v.value === null ? 'null' : JSON.stringify(v.value)}${v.why.length ? `, ${v.why.join('; ')}` : ''}`);
  }
}
