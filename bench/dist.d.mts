/** Types for bench/dist.mjs (used by test/bench-corpus.test.ts). */
export const ROOT: string;
export const BIN: string;
export function loadCli(): Promise<(argv: string[], io?: unknown) => Promise<number>>;
export function loadTempPrefix(): Promise<string>;
export function loadSkippedDirs(): Promise<Set<string>>;
