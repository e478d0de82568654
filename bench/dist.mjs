/**
 * Everything the bench takes from the build, in one place: when the sources move, only the paths
 * in this file change. Loaded on demand, so that a measured process loads only what it uses.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The CLI as a user runs it (package.json "bin"; src/cli/start.ts). */
export const BIN = path.join(ROOT, 'bin', 'kmsfix.cjs');

/** The CLI's `main(argv, io?)`, from its ES modules (bin/kmsfix.cjs starts its CommonJS build when it has cached code for it). */
export const loadCli = async () => (await import('../dist/bundle/cli.js')).main;

/** The name prefix of kmsfix's temp files (src/io/temp.ts). */
export const loadTempPrefix = async () => (await import('../dist/src/io/temp.js')).TEMP_PREFIX;

/** The folders kmsfix never walks into (src/io/discover.ts). */
export const loadSkippedDirs = async () => (await import('../dist/src/io/discover.js')).SKIPPED_DIRS;
