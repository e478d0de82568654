/** Types for scripts/ts-parser.mjs (used by test/formats/typescript/parser-build.test.ts). */
export const PARSER_API: readonly string[];
/** Exact replacements inside kept statements, each applied where it occurs exactly once. */
export const INNER_REWRITES: readonly { readonly from: string; readonly to: string }[];
export function writeParser(root: string, o?: { force?: boolean; log?: (derived: unknown) => void }): string;
/** Exact replacements of the nodes' constructors, each applied where it occurs exactly once. */
export const CONSTRUCTOR_REWRITES: readonly { readonly from: string; readonly to: string }[];
/** The fields the node factory sets to undefined that the parser build leaves out. */
export const UNREAD_FIELDS: readonly string[];
/** The two statements the transform flags' gate rewrites: createSourceFile's start and aggregateChildrenFlags's. */
export const FLAGS_GATE: { readonly entry: string; readonly aggregate: string };
