/** Types for bench/generate.mjs (used by the property tests). */
export interface Prng {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}
export function prng(seed: number): Prng;
export const FORMATS: readonly ['yaml', 'json', 'tf', 'cdk'];
export function cfnYaml(r: Prng, crlf: boolean): string;
export function cfnJson(r: Prng): string;
export function terraform(r: Prng): string;
export function cdk(r: Prng): string;
export function generateDense(root: string, o?: { seed?: number; scale?: number }): Record<string, string[]>;
export function generateSparse(root: string, o?: { seed?: number; total?: number; infraShare?: number }): { files: number; bytes: number };
