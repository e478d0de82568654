/**
 * The KMS data sources' key_id / name that read a module's inputs (`key_id = local.alias`), evaluated as a kms_key_arn
 * that reads them is, for managedKeyData.ts (`dataArgReader`), and through a local module call's inputs (moduleCalls.ts).
 */
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { TfDetection } from './detect.js';
import { evaluate, variablesRead, type Env } from './evaluate.js';
import { decidedBranch, localTarget } from './expression.js';
import type { DataArgReader, DataArgReading } from './managedKeyData.js';
import { setOutside, type OutsideSetters } from './varSources.js';
import { isAwsManagedKeyRef } from '../../rule/status.js';
import { moduleScope } from './moduleScope.js';

/**
 * A reader of the KMS data sources' key_id / name in `file`'s module (`key_id = local.alias`, `name = "alias/aws/${var.svc}"`),
 * for managedKeyData.ts: evaluated in the module's environment as a kms_key_arn that reads inputs is (settingOf). Built
 * only when a table would otherwise be customer-managed through such a data source.
 */
export async function dataArgReader(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<DataArgReader> {
  const { env, root, whoSets } = await moduleScope(file, det, context);
  return (arg) =>
    dataArgReading(
      arg,
      env(),
      (vars) => vars,
      root,
      async () => whoSets?.(),
    );
}

/**
 * A data source's key_id or name evaluated in `env`: the AWS managed key's alias or ARN (a template whose known parts
 * name it too), with what decided it; undefined when it is another key or not known (the reference it is, as before).
 * As for a kms_key_arn that reads them, the variables that decided it (`decidedBy`: this folder's, through a call's
 * inputs) are the callers' choice in a module that is not a root module (`callers`, obstacle module-inputs), and not
 * known where a var-file or terragrunt sets them (`outside`).
 */
export async function dataArgReading(
  arg: string,
  env: Env,
  decidedBy: (vars: string[]) => string[],
  root: () => Promise<boolean>,
  setters: () => Promise<Map<string, OutsideSetters> | undefined>,
): Promise<DataArgReading | undefined> {
  // Through locals, as a kms_key_arn's locals are followed (`local.keys["ddb"]`, an entry of a local map).
  const target = localTarget(decidedBranch(arg, env), env);
  const read = evaluate(target ?? arg, env);
  const v = target === undefined ? read : { ...read, why: [`${arg.trim()} is ${target.trim()}`, ...read.why] };
  const text = v.known ? (typeof v.value === 'string' ? v.value : undefined) : v.shape;
  if (text === undefined || text.trim() === '' || !isAwsManagedKeyRef(text)) return undefined;
  const vars = [...new Set(decidedBy(variablesRead(arg, env)))];
  if (vars.length === 0) return { managed: true, why: v.why, callers: [] };
  const isRoot = await root();
  const outside = await setters();
  const why = outside && setOutside(vars, outside);
  if (why) return { managed: false, outside: why };
  return { managed: true, why: v.why, callers: isRoot ? [] : vars };
}
