/** Types for scripts/ts-parser.mjs (used by test/formats/typescript/parser-build.test.ts). */
export const PARSER_API: readonly string[];
/** Exact replacements inside kept statements, each applied where it occurs exactly once. */
export const INNER_REWRITES: readonly { readonly from: string; readonly to: string }[];
export function writeParser(root: string, o?: { force?: boolean; log?: (derived: unknown) => void }): string;
