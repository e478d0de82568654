/**
 * The terragrunt units that deploy a module folder: each `terragrunt.hcl` of the scanned trees whose
 * local `terraform { source }` resolves to the folder (terragruntPaths.ts unitTarget, the reader
 * varSources.ts asks for the units' inputs). terragrunt deploys the folder once per unit, as a root
 * module with that unit's inputs, so a fix of a table of the folder gives every unit's table a key of
 * its own, in every environment the units are: the report names them (a note per unit; the commit
 * message lists and counts them, as it does the `module` calls of a fixed module). Before, a fix of
 * `modules/ddb` deployed by `live/dev/ddb` and `live/prod/ddb` said "Encrypt 1 DynamoDB table" and
 * named no unit, while `terragrunt run-all apply` created two keys and re-encrypted both tables
 * (deploy review, session 55).
 *
 * A unit whose source is its own folder (`source = "."`) deploys the table itself, not another copy:
 * not listed. A unit whose source kmsfix cannot resolve (varSources.ts maybeUnits) is not named: it
 * may deploy another folder. A unit terragrunt does not deploy (`skip = true`, an `exclude` of apply) is
 * not listed (terragruntPaths.ts terragruntUnits); one whose `skip` or `exclude` is not a literal is,
 * as one that may deploy (DeployingUnit.may: terragruntSkip.ts; session 56, F4).
 *
 * A unit whose source is a git address of this repository (its work tree's `origin`: gitOrigin.ts) and
 * whose `//subdir` is the folder deploys the folder too, at the source's `ref` (DeployingUnit.remote): the
 * fix reaches it once released there, not when merged (deploy review, session 56, 4: such a unit named
 * nowhere, merging the fix deployed nothing while the message read as done).
 */
import path from 'node:path';
import { decide, fixWanted } from '../../rule/cmk.js';
import { WAIVABLE } from '../../rule/blockers.js';
import { LineIndex } from '../../core/text.js';
import type { DeployingUnit, DiskContext, SourceFile } from '../../core/types.js';
import type { TfDetection } from './detect.js';
import { type WorkTreeOrigin, gitSource, workTreeOrigin } from './gitOrigin.js';
import { hasTerraformSource, terraformSource } from './terragruntConfig.js';
import { deploysFolderOf, includedSourceText, terragruntUnits, unitTarget } from './terragruntPaths.js';
import { unitDeploys } from './terragruntSkip.js';

/** Each module folder's units, per DiskContext.folderAnswers (a scan's), else per DiskContext (the files of a group share one): asked by each file of the folder. */
const byContext = new WeakMap<object, Map<string, Promise<DeployingUnit[]>>>();

/** The units that deploy the folder of `file` (a module's file), in the order of the tree's files; read once per folder. */
export function deployingUnits(file: SourceFile, context: DiskContext): Promise<DeployingUnit[]> {
  const owner = context.folderAnswers ?? context;
  let folders = byContext.get(owner);
  if (!folders) byContext.set(owner, (folders = new Map()));
  const folder = path.posix.normalize(path.posix.dirname(file.path));
  let found = folders.get(folder);
  if (!found) folders.set(folder, (found = readUnits(file, folder, context)));
  return found;
}

/** The units varSources.ts reads as deploying the folder (terragruntPaths.ts deploysFolderOf: by real path too, either form). */
async function readUnits(file: SourceFile, folder: string, context: DiskContext): Promise<DeployingUnit[]> {
  const out: DeployingUnit[] = [];
  const same = await deploysFolderOf(file, context);
  // The folder as a path in its repository, and that repository's origin: read for the first unit with a git source.
  let origin: Promise<WorkTreeOrigin | undefined> | undefined;
  for (const unit of await terragruntUnits(context)) {
    const own = path.posix.normalize(path.posix.dirname(unit.path));
    if (own === folder) continue;
    const deploys = unitDeploys(unit.text);
    const named = { file: unit.path, line: terraformLine(unit.text), folder: own, ...(deploys.kind === 'may' ? { may: deploys.why } : {}) };
    const target = await unitTarget(unit, context);
    if (target?.kind === 'folder' && (await same(unit, target.folder))) {
      out.push(named);
      continue;
    }
    if (target !== undefined) continue;
    const source =
      terraformSource(unit.text) ?? (hasTerraformSource(unit.text) ? undefined : (await includedSourceText(unit, context))?.source);
    const git = source === undefined ? undefined : gitSource(source);
    if (!git) continue;
    const repo = await (origin ??= workTreeOrigin(file, context));
    if (repo && git.repo === repo.repo && git.subdir === (path.posix.relative(repo.root, folder) || '.'))
      out.push({ ...named, remote: { source: source!, ref: git.ref } });
  }
  return out;
}

/** The line of a unit's `terraform` block (which holds its source), as a message names the unit; 1 when kmsfix cannot tell. */
function terraformLine(text: string): number {
  const m = /^[ \t]*terraform[ \t]*\{/m.exec(text);
  return m ? LineIndex.of(text).lineOf(m.index) + 1 : 1;
}

/** Each table of the file a fix would change gets the units that deploy its folder (TableFacts.units). */
export async function unitsOfTables(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<void> {
  const open = det.tables.filter((t) => fixWanted(decide(t.encryption, WAIVABLE)));
  if (!context || open.length === 0) return;
  const units = await deployingUnits(file, context);
  if (units.length > 0) for (const t of open) t.units = units;
}
