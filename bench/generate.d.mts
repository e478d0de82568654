/** Types for bench/generate.mjs (used by the property, fast-parser, scale and bench tests). */
export interface Prng {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}
export function prng(seed: number): Prng;
export const FORMATS: readonly ['yaml', 'json', 'tf', 'cdk'];
export const REAL_FORMATS: readonly ['yaml', 'json', 'tf', 'cdk', 'pulumi'];
export function formatsOf(shape: 'real' | 'classic'): readonly string[];
export function cfnYaml(r: Prng, crlf: boolean): string;
/** The real shape's hand-written CloudFormation/SAM template and serverless.yml, with anchors, aliases and merge keys unless `anchors: false`. */
export function cfnTemplate(r: Prng, o?: { anchors?: boolean; crlf?: boolean; sam?: boolean }): string;
export function serverlessYml(r: Prng, o?: { anchors?: boolean }): string;
/** The real shape's Terraform module: { file name: text }. */
export function terraformModule(r: Prng, o?: { files?: number; tableFiles?: number }): Record<string, string>;
export function cfnJson(r: Prng): string;
export function terraform(r: Prng): string;
export function cdk(r: Prng): string;
export function generateDense(root: string, o?: { seed?: number; scale?: number }): Record<string, string[]>;
export function generateSparse(root: string, o?: { seed?: number; total?: number; infraShare?: number }): { files: number; bytes: number };
export interface DenseMix {
  yaml: number;
  anchorShare: number;
  serverlessShare: number;
  samShare: number;
  crlfShare: number;
  json: number;
  jsonSynthShare: number;
  tfModules: number;
  tfModuleFiles: number;
  tfSmallModules: number;
  cdk: number;
  pulumi: number;
}
export interface SparseMix {
  files: number;
  infraShare: number;
}
export const DENSE_MIX: DenseMix;
export const SPARSE_MIX: SparseMix;
export function generateRealDense(root: string, o?: { seed?: number; scale?: number; mix?: Partial<DenseMix> }): Record<string, number>;
export function generateRealSparse(
  root: string,
  o?: { seed?: number; scale?: number; mix?: Partial<SparseMix> },
): { files: number; infra: number };
export function generate(
  root: string,
  o?: {
    shape?: 'real' | 'classic';
    corpus?: 'dense' | 'sparse' | 'both';
    seed?: number;
    scale?: number;
    dense?: Partial<DenseMix>;
    sparse?: Partial<SparseMix>;
  },
): { dense?: Record<string, unknown>; sparse?: { files: number; infra?: number; bytes?: number } };
export function sizeOf(dir: string): { files: number; bytes: number };
