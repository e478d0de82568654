/**
 * Tables whose encryption comes from a module's inputs (evaluate.ts), as Checkov and Trivy read them:
 * - a table whose `server_side_encryption` reads `var.x` / `local.y`: the value the module's
 *   tfvars or defaults give it (inputSettings.ts, outsideSettings.ts), and (a module that is not a root module) the
 *   obstacle that its callers own the decision;
 * - a call of a local module (`module "orders" { source = "../../" }`): the module's tables,
 *   evaluated with the call's inputs, fixed at the call when variables feed their switch and key (moduleCalls.ts).
 * The module's files come through the engine (DiskContext.siblings / folder, moduleScope.ts), never from the disk.
 */
import path from 'node:path';
import { calledModule } from './callers.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { TfDetection, TfTable } from './detect.js';
import { directVariable } from './evaluate.js';
import { countedKeyForm, eachValueBase, encryptionAttrs, readsEachValue, type InputUses } from './inputUses.js';
import { attr, blocks } from './parse.js';
import { siblingBlocks, type TopBlock } from './topBlocks.js';
import { setOutside } from './varSources.js';
import { deployingUnits } from './deployingUnits.js';
import { moduleScope } from './moduleScope.js';
import { inputsOf, iteratedReplicaKeys, registryInputs, settingOf, sseSettings } from './inputSettings.js';
import { VAR_REF, markSetOutside } from './outsideSettings.js';
import { decideSwitches } from './inputSwitches.js';
import { addedInput } from './addedInput.js';
import { callTables } from './moduleCalls.js';

/** Evaluate what `uses` (inputUses.ts) found in the file: detection calls this only when it found something. */
export async function evaluateInputs(file: SourceFile, det: TfDetection, context: DiskContext | undefined, uses: InputUses): Promise<void> {
  const { own, calls } = uses;
  if (own.length === 0 && calls.length === 0) return;
  const scope = await moduleScope(file, det, context);
  const { siblings, ownFile, env, root, calledBy: called, outside, units, whoSets } = scope;

  // The module's blocks, where a key written through a counted aws_kms_key finds its count (only when one is).
  const keys = own.some((t) => {
    const k = encryptionAttrs(t).key?.value ?? '';
    return countedKeyForm(k) !== undefined || /\blocal\./.test(k);
  })
    ? [...ownFile.tops, ...(await siblingBlocks(siblings.filter((f) => f.path !== file.path)))]
    : [];

  let allTops: TopBlock[] | undefined;
  const tops = async () => (allTops ??= [...ownFile.tops, ...(await siblingBlocks(siblings.filter((f) => f.path !== file.path)))]);
  const gone = new Set<TfTable>();
  for (const t of own) {
    if (await decideSwitches(t, env, root, whoSets, tops)) {
      gone.add(t);
      continue;
    }
    let evaluated: string[];
    if (t.kind === 'module') evaluated = registryInputs(t, env, keys);
    else if (t.kind === 'table-replica') {
      // A replica resource's one setting: its kms_key_arn (null or "" by default: the AWS managed key).
      evaluated = [];
      t.encryption.settings = { model: 'sse', key: settingOf(attr(t.block, 'kms_key_arn'), true, env, evaluated, keys) };
    } else {
      const r = sseSettings(t.block, env, undefined, keys);
      t.encryption.settings = r.settings;
      evaluated = r.evaluated;
    }
    await iteratedReplicaKeys(t, file.text, env, root, whoSets);
    // A key that is one variable no default decides may still be set per environment by var-files (markSetOutside).
    const varKey = VAR_REF.test(encryptionAttrs(t).key?.value.trim() ?? '');
    // A key read from each entry of a collection variable (`each.value.kms_key_arn` of `for_each = var.tables`).
    // (through a local that is the variable: `for_each = local.tables`, `tables = var.tables`).
    const eachVar = readsEachValue(encryptionAttrs(t).key, t.block) ? directVariable(eachValueBase(t.block)!, env()) : undefined;
    if (evaluated.length === 0 && !varKey && !eachVar) continue;
    const isRoot = await root();
    if (!isRoot && evaluated.length > 0) {
      const by = await called();
      const add = t.kind === 'table' ? addedInput(blocks(t.block, 'server_side_encryption')[0], env()) : undefined;
      // The terragrunt units that deploy the folder, where no module block calls it (round 47, F2): the step names them.
      const deployed = !by && context && !(await calledModule(file, context)) ? await deployingUnits(file, context) : [];
      const dir = path.posix.dirname(file.path);
      t.encryption.obstacles.push({
        kind: 'module-inputs',
        inputs: evaluated,
        ...(by ? { calledBy: by } : {}),
        ...(add ? { addInput: add } : {}),
        ...(deployed.length ? { deployedBy: deployed.map((u) => path.posix.relative(dir, u.file)) } : {}),
      });
    }
    if (context) {
      // A module others call is set from outside only by the terragrunt units that deploy its folder.
      const setters = isRoot ? outside : units;
      const { enabled, key } = encryptionAttrs(t);
      const step = await markSetOutside(
        t.encryption.settings,
        t.encryption.words,
        { enabled, key },
        (a) => inputsOf(a, env(), keys),
        setters,
        env(),
      );
      if (step) t.encryption.obstacles.push(step);
      // The collection a var-file or terragrunt sets: its entries are not known (a plain `var.x` read is not either).
      const s = t.encryption.settings;
      const why = eachVar && key && s.model === 'sse' && s.key?.state !== 'unreadable' ? setOutside([eachVar], await setters()) : undefined;
      if (why && s.model === 'sse')
        s.key = { state: 'unreadable', source: `${t.encryption.words.names.key} = ${key!.value.trim()}: ${why}`, raw: s.key?.raw };
    }
  }

  if (gone.size > 0) det.tables = det.tables.filter((t) => !gone.has(t));

  await callTables(file, det, context, calls, scope);
}
