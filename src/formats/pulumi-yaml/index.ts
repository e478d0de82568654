/** Pulumi YAML programs (`runtime: yaml`): detection, fix and verification. */
import type { DiskContext, Format, SourceFile } from '../../core/types.js';
import { ABSENT, type Setting } from '../../rule/facts.js';
import { AWS_MANAGED_ALIAS } from '../../rule/status.js';
import { detectPulumiYaml, type PulumiDetection } from './detect.js';
import { fixPulumiYaml } from './fix.js';
import { keyOnStacks, pulumiStacks } from './stacks.js';
import { verifyPulumiYaml } from './verify.js';

export const pulumiYaml: Format<PulumiDetection> = {
  name: 'pulumi-yaml',
  detect: (file, context) => {
    const d = detectPulumiYaml(file);
    return d.tables.some((t) => t.config) && context ? stackKeys(file, d, context).then(() => d) : d;
  },
  fix: fixPulumiYaml,
  verify: (files, options) =>
    files.map((f) => (f.edits.length > 0 ? verifyPulumiYaml(f.before.detection, f.detection, f.fixed, options) : [])),
};

/**
 * A table's key written as a config value (`kmsKeyArn: ${tableKey}`): what each stack's file sets, the program's
 * default under it (stacks.ts). The AWS managed key on every stack is that key; on some, decided per stack.
 */
async function stackKeys(file: SourceFile, d: PulumiDetection, context: DiskContext): Promise<void> {
  const stacks = await pulumiStacks(file, context);
  if (!stacks) return;
  for (const t of d.tables) {
    const settings = t.encryption.settings;
    if (!t.config || settings.model !== 'sse') continue;
    const written = t.config.key;
    const on = keyOnStacks(stacks, stacks.project, t.config.name, undefined, false);
    const key: Setting =
      on.kind === 'set'
        ? written
        : on.kind === 'aws-managed'
          ? { state: 'expression', source: written.source, text: AWS_MANAGED_ALIAS, via: on.why }
          : on.kind === 'absent'
            ? { ...ABSENT, source: written.source, via: on.why }
            : { state: 'unreadable', source: `kmsKeyArn is ${written.source}, and ${on.why}` };
    settings.key = key;
  }
}
