/** Types for bench/targets.mjs (used by test/bench-targets.test.ts). */
export const TARGETS: {
  scanAllMBps: number;
  scanFormatMBps: number;
  fixOverFloor: number;
  fixOverScan: number;
  fixRssMb: number;
  rssSizes: number[];
  rssFlat: number;
  oneFileOverNode: number;
};
export interface BenchNumbers {
  scanAll: number;
  scanFormats: Record<string, number>;
  fixOverFloor: number;
  fixOverScan: number;
  rss: { size: number; mb: number }[];
  /** `fix --dry-run --format json` at each size, when measured. */
  rssJson?: { size: number; mb: number }[];
  /** The same for a fix that holds its files until the run is over (`fix --patch-dir DIR --format json`). */
  rssHeld?: { size: number; mb: number }[];
  nodeMs: number;
  oneFile: Record<string, number>;
  /** The same without NODE_EXTRA_CA_CERTS, where the environment sets it. */
  nodeBareMs?: number;
  oneFileBare?: Record<string, number>;
}
export function checkTargets(m: BenchNumbers, t?: typeof TARGETS): { target: string; ok: boolean | null; value: string }[];
