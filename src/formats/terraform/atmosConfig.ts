/**
 * The atmos CLI configuration (`atmos.yaml`) that makes a Terraform module folder an atmos component,
 * whose variables atmos sets per stack from its manifests (varSources.ts). Atmos looks for it (atmos.tools,
 * "CLI configuration"): the `--config` flag or `ATMOS_CLI_CONFIG_PATH`, the current folder, the git
 * repository's root and the folders above, the home folder (`~/.atmos/atmos.yaml`), and the system folder
 * (`/usr/local/etc/atmos/atmos.yaml`). Of those a repository holds: an `atmos.yaml` in the module's folder
 * or a folder above it, and the Geodesic layout's `rootfs/usr/local/etc/atmos/atmos.yaml` (Geodesic's image
 * copies `rootfs/` to `/`, where atmos reads it as its system configuration: cloudposse's infrastructure
 * repositories keep it so). Before, only the first was looked for, and a component of the second layout
 * read its variables' defaults: a fix replaced the key its stacks pass (round 37, R6). A path only an
 * environment variable or a flag names is not known.
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';

/** Where the Geodesic layout keeps the system configuration, below a folder holding `rootfs`. */
const SYSTEM_CONFIG = 'rootfs/usr/local/etc/atmos';

/** The atmos.yaml that configures the module folder of `file`, nearest first; undefined when none is found. */
export async function atmosConfig(file: SourceFile, context: DiskContext): Promise<SourceFile | undefined> {
  const found = await context.projectFile(file, 'atmos.yaml');
  if (found) return found;
  const depth = file.absPath.split(/[\\/]/).filter(Boolean).length;
  for (let up = 0; up < depth; up++) {
    const rel = up === 0 ? '.' : Array(up).fill('..').join('/');
    if (!(await context.subfolders(file, rel)).includes('rootfs')) continue;
    const system = await context.folderFiles(file, path.posix.join(rel, SYSTEM_CONFIG), (n) => n === 'atmos.yaml');
    if (system[0]) return system[0];
  }
  return undefined;
}
