/**
 * What the terragrunt units that deploy a module folder write into their copy of it: the files of their `generate`
 * blocks (the unit's own and those of the files it includes; a unit's block replaces an included one of the same
 * name, as terragrunt merges them), and the unit's `.terraform.lock.hcl` (terragrunt runs Terraform with the unit's
 * lock file). A `generate "provider"` often declares `data "aws_caller_identity" "current"` and `data "aws_region"
 * "current"` beside the provider and its `required_providers`; they are the module's own when terragrunt deploys it.
 * Before, a fix declared them again in the module and `terraform init` failed ("Duplicate data ... configuration"),
 * and it wrote `data.aws_region.x.name` where the generated constraint asks for hashicorp/aws 6, which deprecates
 * `name` (real-world round 45, F1 and F3: the cds-snc layout, `contents = file("./common/provider.tf")` in root.hcl).
 *
 * Contents read: a heredoc (terragruntGenerate.ts generateHeredoc; its `${...}` left as written), or
 * `file("...")` with a literal path, resolved from the folder of the file that declares the block (cds-snc's
 * root.hcl reads `./common/provider.tf` beside itself), or `file("${get_terragrunt_dir()}/...")`, from the unit's. Other contents (a
 * quoted string, `templatefile`, a path kmsfix does not evaluate) are not read, and a block with `disable = true`
 * writes nothing.
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { deployingUnits } from './deployingUnits.js';
import { parseHcl, type HBlock } from './parse.js';
import { terragruntIncludes } from './terragruntConfig.js';
import { generateDisabled, generateHeredoc } from './terragruntGenerate.js';
import { includeAt, terragruntUnits } from './terragruntPaths.js';
import type { DeployedCopy } from './module.js';
import { parseTerraform, summarize, type TopBlock } from './topBlocks.js';

/** One unit's copy of the module: the blocks its generated files add, and its lock file's (none when it has no lock file). */
export interface UnitCopy extends DeployedCopy {
  /** The unit's file (a display path). */
  unit: string;
  /** The generated files' top blocks, each with the generate block that writes it. */
  generated: (TopBlock & { writtenBy: string })[];
  lock: TopBlock[];
}

/** Per module folder and DiskContext (as deployingUnits): read once. */
const byContext = new WeakMap<object, Map<string, Promise<UnitCopy[]>>>();

/** The units that deploy the folder of `file`, each with what it writes into its copy; [] when no unit deploys it. */
export function unitCopies(file: SourceFile, context: DiskContext | undefined): Promise<UnitCopy[]> {
  if (!context) return Promise.resolve([]);
  const owner = context.folderAnswers ?? context;
  let folders = byContext.get(owner);
  if (!folders) byContext.set(owner, (folders = new Map()));
  const folder = path.posix.normalize(path.posix.dirname(file.path));
  let found = folders.get(folder);
  if (!found) folders.set(folder, (found = readCopies(file, context)));
  return found;
}

async function readCopies(file: SourceFile, context: DiskContext): Promise<UnitCopy[]> {
  const deploying = new Set((await deployingUnits(file, context)).map((u) => u.file));
  if (deploying.size === 0) return [];
  const out: UnitCopy[] = [];
  for (const unit of await terragruntUnits(context)) {
    if (!deploying.has(unit.path)) continue;
    const files = new Map<string, { from: SourceFile; block: HBlock }>();
    // The included files' blocks first, the unit's own last: a later block of the same name replaces an earlier one.
    for (const inc of terragruntIncludes(unit.text)) {
      const f = await includeAt(unit, inc.path, context);
      if ('text' in f) for (const g of await generateBlocks(f)) files.set(g.labels[0] ?? '', { from: f, block: g });
    }
    for (const g of await generateBlocks(unit)) files.set(g.labels[0] ?? '', { from: unit, block: g });
    const generated: UnitCopy['generated'] = [];
    for (const [label, { from, block }] of files) {
      const written = await writtenFile(unit, from, block, context);
      const where = `generate "${label}" (${from.path})`;
      if (written) for (const t of written) generated.push({ ...t, writtenBy: where });
    }
    const lockFile = (await context.folderFiles(unit, '.', (n) => n === '.terraform.lock.hcl'))[0];
    const lock = lockFile
      ? await parseTerraform(lockFile.path, lockFile.text).then(
          (d) => summarize(d, lockFile.text),
          () => [],
        )
      : [];
    out.push({ unit: unit.path, generated, lock });
  }
  return out;
}

/** The `generate` blocks of a terragrunt file (none when it does not parse). */
async function generateBlocks(f: SourceFile): Promise<HBlock[]> {
  if (!f.text.includes('generate')) return [];
  const hcl = await parseHcl(f.text).catch(() => undefined);
  return hcl?.blocks.filter((b) => b.type === 'generate') ?? [];
}

/** The top blocks of the file a generate block writes; undefined when kmsfix cannot read its contents, or it writes nothing. */
async function writtenFile(unit: SourceFile, from: SourceFile, g: HBlock, context: DiskContext): Promise<TopBlock[] | undefined> {
  const text = from.text.slice(g.start, g.end);
  const name = /(?:^|\n)[ \t]*path[ \t]*=[ \t]*"([^"\n$%]*)"/.exec(text)?.[1] ?? 'generated.tf';
  let contents: string | undefined;
  const heredoc = generateHeredoc(from.text, g);
  if (heredoc) {
    if (heredoc.disabled) return undefined;
    contents = heredoc.body.replace(/\$\$\{/g, '${');
  } else {
    if (generateDisabled(text)) return undefined;
    const m = /(?:^|\n)[ \t]*contents[ \t]*=[ \t]*file\(\s*"(\$\{\s*get_terragrunt_dir\(\s*\)\s*\}\/)?([^"$%\n]+)"\s*\)/.exec(text);
    if (!m || path.posix.isAbsolute(m[2])) return undefined;
    const rel = path.posix.normalize(m[2]);
    const base = path.posix.basename(rel);
    // `get_terragrunt_dir()` is the unit's folder, wherever the block is declared.
    const found = (await context.folderFiles(m[1] ? unit : from, path.posix.dirname(rel), (n) => n === base))[0];
    contents = found?.unreadable ? undefined : found?.text;
  }
  if (contents === undefined) return undefined;
  try {
    return summarize(await parseTerraform(name, contents), contents);
  } catch {
    return undefined;
  }
}
