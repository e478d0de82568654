/**
 * Everything the bench takes from the build, in one place: when the sources move, only the paths
 * in this file change. Loaded on demand, so that a measured process loads only what it uses.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The CLI as a user runs it (it starts dist/bundle/cli.js). */
export const BIN = path.join(ROOT, 'bin', 'kmsfix.js');

/** The CLI's `main(argv, io?)`, from the bundle bin/kmsfix.js starts. */
export const loadCli = async () => (await import('../dist/bundle/cli.js')).main;

/** The name prefix of kmsfix's temp files (src/io/temp.ts). */
export const loadTempPrefix = async () => (await import('../dist/src/io/temp.js')).TEMP_PREFIX;

/** The folders kmsfix never walks into (src/io/discover.ts). */
export const loadSkippedDirs = async () => (await import('../dist/src/io/discover.js')).SKIPPED_DIRS;
