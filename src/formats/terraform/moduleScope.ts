/**
 * A module's files and environment as input evaluation reads them (inputs.ts, moduleCalls.ts, moduleOutputKeys.ts,
 * dataArgReader.ts): which files declare variables, locals or outputs (`declares`), a called module folder's files and
 * blocks (`moduleFiles`), and a file's module (`moduleScope`: its other files, its environment, whether it is a root
 * module, who sets its variables from outside), each part built when first asked and shared by the folder's files.
 * The module's files come through the engine (DiskContext.siblings / folder), never from the disk.
 */
import path from 'node:path';
import { calledBy, calledModule } from './callers.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { TfDetection } from './detect.js';
import { moduleEnv, tfvarsFiles, type Env, type ModuleFile } from './evaluate.js';
import { managedKeySources } from './managedKeyData.js';
import type { HBlock, HComment } from './parse.js';
import { parseTerraform, siblingBlocks, summarize } from './topBlocks.js';
import { isRootModule } from './rootModule.js';
import { isModuleFileName } from './entry.js';
import { outsideAssignments } from './varSources.js';

/** Each file's parse, per file object (the engine hands the same objects to a folder's files). */
const parsed = new WeakMap<SourceFile, TfDetection | null>();

async function parseOnce(f: SourceFile): Promise<TfDetection | null> {
  let d = parsed.get(f);
  if (d === undefined) {
    try {
      d = await parseTerraform(f.path, f.text);
    } catch {
      d = null; // not ours to report here: the file is an input of its own folder
    }
    parsed.set(f, d);
  }
  return d;
}

export const isModuleFile = (f: SourceFile) => isModuleFileName(f.path);
/** A file's name in its folder. */
export const nameOf = (f: SourceFile) => path.posix.basename(f.path);
/**
 * What evaluation reads of a module's files: a `variable`, `locals` or `output` block (the word first
 * on its line), or its JSON key; a file with none is not parsed for it. The same test as
 * `/(^|\n)\s*(variable|locals|output)\b|"(variable|locals|output)"\s*:/`, which has no fixed start to
 * search for and tried every position of the text: the words are searched for, and the line's start
 * checked behind each (test/formats/terraform/declares.test.ts compares the two).
 */
const DECLARE_WORDS = /\b(?:variable|locals|output)\b|"(?:variable|locals|output)"\s*:/g;

export function declares(text: string): boolean {
  if (!text.includes('variable') && !text.includes('locals') && !text.includes('output')) return false;
  DECLARE_WORDS.lastIndex = 0;
  for (let m = DECLARE_WORDS.exec(text); m !== null; m = DECLARE_WORDS.exec(text)) {
    if (m[0].charCodeAt(0) === 34 /* " */) return true;
    let i = m.index - 1;
    while (i >= 0 && text[i] !== '\n' && /\s/.test(text[i])) i--;
    if (i < 0 || text[i] === '\n') return true;
  }
  return false;
}

/** The files of this module folder that declare variables or locals, with their blocks (the siblings' parse is shared with fix.ts). */
async function envFiles(files: SourceFile[]): Promise<ModuleFile[]> {
  const out: ModuleFile[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    let m = envFile.get(f);
    if (m === undefined) {
      m = isModuleFile(f) && declares(f.text) ? { path: f.path, text: f.text, tops: await siblingBlocks([f]) } : null;
      envFile.set(f, m);
    }
    if (m) out.push(m);
  }
  return out;
}

/** Each sibling's part in evaluation, per file object (the engine hands a folder's files to each of its files). */
const envFile = new WeakMap<SourceFile, ModuleFile | null>();

/** A block of a called module, with its file and that file's comments (HCL; none for `.tf.json`). */
interface ModuleBlock {
  file: SourceFile;
  block: HBlock;
  comments?: HComment[];
}

/** A called module folder's files, with their blocks (its tables are read in full). */
export async function moduleFiles(files: SourceFile[]): Promise<{ files: ModuleFile[]; blocks: ModuleBlock[] }> {
  const out: ModuleFile[] = [];
  const all: ModuleBlock[] = [];
  for (const f of files.filter(isModuleFile)) {
    const d = await parseOnce(f);
    if (!d) continue;
    out.push({ path: f.path, text: f.text, tops: summarize(d, f.text) });
    for (const b of d.hcl?.blocks ?? d.json?.blocks ?? []) all.push({ file: f, block: b, comments: d.hcl?.comments });
  }
  return { files: out, blocks: all };
}

/** The last module environment built without a file of its own declarations, and what it was built from. */
let lastEnv: { files: ModuleFile[]; tfvars: SourceFile[]; env: Env } | undefined;

const sameFiles = <T>(a: T[], b: T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The environment of the module of `own` (moduleEnv): `own` first, then the declaring files of its
 * folder. A file that declares no variable and no local (a table's file, mostly) adds nothing: its
 * module's other files of that folder then give the same environment, built once for them all.
 */
function rootEnv(own: ModuleFile, here: ModuleFile[], siblings: SourceFile[]): Env {
  if (own.tops.some((t) => t.type === 'variable' || t.type === 'locals')) return moduleEnv([own, ...here], siblings);
  const tfvars = tfvarsFiles(siblings);
  if (lastEnv && sameFiles(lastEnv.files, here) && sameFiles(lastEnv.tfvars, tfvars)) return lastEnv.env;
  lastEnv = { files: here, tfvars, env: moduleEnv(here, tfvars) };
  return lastEnv.env;
}

/** The environment with the module's KMS data sources that name the AWS managed key (a copy: rootEnv's is shared). */
export function withManagedKeys(env: Env, managedKeys: Map<string, string> | undefined): Env {
  return managedKeys ? { ...env, managedKeys } : env;
}

/**
 * What evaluating a file's inputs reads of its module, each part when first asked: the module's other files, the
 * file's blocks, the module's environment (variables, locals, tfvars), whether it is a root module, and who sets its
 * variables from outside (a root module's var-files and terragrunt, `outside`; the terragrunt units deploying its
 * folder, `units`: varSources.ts keeps both per folder). For evaluateInputs, the KMS data sources' reader, and the caller
 * of a local module whose output is a table's key (moduleOutputKeys.ts).
 */
export async function moduleScope(file: SourceFile, det: TfDetection, context: DiskContext | undefined) {
  const siblings = context ? await context.siblings() : [];
  const here = await envFiles(siblings);
  const ownFile: ModuleFile = { path: file.path, text: file.text, tops: summarize(det, file.text) };
  // The KMS data sources naming the AWS managed key, for a map whose entry reads one (only where the module refers to one).
  const managedKeys = await managedKeySources(file, det, context);
  let envCache: Env | undefined;
  let signsCache: boolean | undefined;
  let rootCache: boolean | undefined;
  /** Whether the folder has a sign of a root module (a lock file...); `root` is that and no call of it around (callers.ts). */
  const signs = async () => (signsCache ??= await isRootModule(ownFile.tops, siblings));
  // A folder a module block around it calls is a child module, whatever its lock file says (callers.ts).
  const root = async () => (rootCache ??= (await signs()) && !(await calledModule(file, context)));
  const outside = () => outsideAssignments(file, context!);
  const units = () => outsideAssignments(file, context!, true);
  return {
    siblings,
    ownFile,
    env: () => (envCache ??= withManagedKeys(rootEnv(ownFile, here, siblings), managedKeys)),
    root,
    /** The call that makes a folder with a sign of a root module a child one, for the module-inputs step. */
    calledBy: async () => ((await signs()) ? calledBy(file, context) : undefined),
    outside,
    units,
    /** Who sets the module's variables from outside: a root module's var-files and terragrunt, else the terragrunt units that deploy its folder (none without a context). */
    whoSets: context ? async () => ((await root()) ? outside() : units()) : undefined,
  };
}

/** A file's module as moduleScope reads it. */
export type ModuleScope = Awaited<ReturnType<typeof moduleScope>>;
