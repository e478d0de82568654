/** Types for scripts/ts-parser.mjs (used by test/formats/typescript/parser-build.test.ts). */
export const PARSER_API: readonly string[];
export function writeParser(root: string, o?: { force?: boolean; log?: (derived: unknown) => void }): string;
