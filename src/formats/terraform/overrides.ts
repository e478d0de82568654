/**
 * Override files (`override.tf`, `*_override.tf`, and their `.tf.json`): Terraform merges each of
 * their blocks into the block of the same address in the module's primary files (an argument
 * replaces the primary's, a nested block replaces all the primary's blocks of its type), and
 * refuses one that overrides nothing. A table block there is not a second table: it is reported
 * at its primary block, and a fix never writes into an override file (it could declare nothing
 * new there).
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { TfDetection, TfTable } from './detect.js';
import type { HBlock } from './parse.js';
import type { Settings } from '../../rule/facts.js';
import { parseTerraform } from './topBlocks.js';
import { isOverrideFile } from './overrideFiles.js';

export { isOverrideFile };

/** What a fix reads to shape the key beside the table (its repetition, provider and Region, lifecycle, name for the alias). */
export const SHAPE = new Set(['count', 'for_each', 'provider', 'providers', 'region', 'lifecycle', 'name', 'source', 'version']);

/** The names a table's encryption depends on, for its kind (a local module call: any input). */
function encryptionNames(t: TfTable): ((name: string) => boolean) | undefined {
  if (t.kind === 'table') return (n) => n === 'server_side_encryption' || n === 'replica';
  if (t.kind === 'table-replica') return (n) => n === 'kms_key_arn';
  const m = t.registry;
  if (!m) return undefined;
  const names = new Set([m.enabled.input, m.key, m.replicas.input, 'server_side_encryption', ...(m.create ? [m.create] : [])]);
  return (n) => names.has(n);
}

/** The names an override block sets: its arguments and nested blocks (a dynamic block by its label). */
export function namesSet(b: HBlock): string[] {
  return b.items.map((i) => (i.kind === 'attr' ? i.name : i.type === 'dynamic' ? (i.labels[0] ?? i.type) : i.type));
}

/**
 * Tables as Terraform sees them after merging the module's override files: none in an override
 * file itself; a primary table whose `server_side_encryption` an override sets (and nothing else its
 * encryption reads) has the override's block, read, and is not fixed; one an override changes otherwise
 * is `unknown` when the override sets what its encryption reads (the status depends on both files),
 * else kept but not fixed when it sets what the fix would follow (count, provider, lifecycle, name...).
 */
export async function applyOverrides(
  file: SourceFile,
  det: TfDetection,
  context: DiskContext | undefined,
  /** A table block's `server_side_encryption` as read (settings.ts), for an override that sets only that block. */
  sseOf?: (b: HBlock) => Settings,
): Promise<void> {
  if (det.tables.length === 0) return;
  if (isOverrideFile(file.path)) {
    det.tables = [];
    return;
  }
  const siblings = context ? (await context.siblings()).filter((f) => isOverrideFile(f.path) && /dynamodb|module/.test(f.text)) : [];
  for (const f of siblings) {
    let blocks: HBlock[];
    try {
      const parsed = await parseTerraform(f.path, f.text);
      blocks = parsed.hcl?.blocks ?? parsed.json?.blocks ?? [];
    } catch {
      continue; // the override file's own error is reported with it
    }
    for (const b of blocks) {
      for (const t of det.tables) {
        if (t.block.type !== b.type || t.block.labels.join('.') !== b.labels.join('.')) continue;
        const set = namesSet(b);
        if (set.length === 0) continue;
        const where = `${path.basename(f.path)}:${b.row + 1}`;
        const reads = encryptionNames(t);
        const encryption = set.filter((n) => !reads || reads(n));
        // An override's server_side_encryption replaces the primary's (Terraform's merge of nested blocks): read it.
        const sse = t.kind === 'table' && encryption.length === 1 && encryption[0] === 'server_side_encryption' ? sseOf?.(b) : undefined;
        if (sse && sse.model === 'sse' && sse.block?.state === 'literal') {
          if (sse.key && sse.key.state !== 'absent')
            sse.key = { ...sse.key, source: `${sse.key.source.trim()} (the override file ${where})` };
          else if (sse.enabled) sse.enabled = { ...sse.enabled, source: `${sse.enabled.source.trim()} (the override file ${where})` };
          t.encryption.settings = sse;
          t.encryption.obstacles.push({
            kind: 'code-shape',
            step: `the override file ${where} sets the server_side_encryption of ${t.address}, which replaces this block's: give the table its key there by hand (kmsfix does not write override files)`,
          });
          continue;
        }
        if (encryption.length > 0) {
          t.encryption.settings = {
            model: 'sse',
            block: {
              state: 'unreadable',
              source: `the override file ${where} sets ${encryption.join(', ')} of ${t.address}, which Terraform merges into this block (kmsfix does not fix a table an override file encrypts)`,
            },
          };
          continue;
        }
        const shape = set.filter((n) => SHAPE.has(n));
        if (shape.length > 0)
          t.encryption.obstacles.push({
            kind: 'code-shape',
            step: `the override file ${where} sets ${shape.join(', ')} of ${t.address}, which a fix would follow: give the table its key by hand (an override file can only change blocks of the primary files)`,
          });
      }
    }
  }
}
