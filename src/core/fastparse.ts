/**
 * How the fast parsers (YAML, JSON, HCL) give up: they throw one shared sentinel, and the caller
 * then parses with the reference parser, which decides (and reports errors).
 *
 * Two switches, for debugging and for checking that both paths agree:
 * - `KMSFIX_YAML_PARSER=reference`, `KMSFIX_JSON_PARSER=reference`, `KMSFIX_HCL_PARSER=reference`
 *   send every file of that language to its reference parser (`yaml`, `jsonc-parser`, tree-sitter);
 * - `KMSFIX_PARSER_STATS=<file>` writes, when the process exits, how many texts each language's fast
 *   and reference parsers read in this thread (with KMSFIX_WORKERS=0, that is the whole run).
 */
import { writeFileSync } from 'node:fs';

export type ParserLanguage = 'yaml' | 'json' | 'hcl';

const SWITCHES: Record<ParserLanguage, string> = { yaml: 'KMSFIX_YAML_PARSER', json: 'KMSFIX_JSON_PARSER', hcl: 'KMSFIX_HCL_PARSER' };

let switches: Record<ParserLanguage, boolean> | undefined;

/**
 * False when `KMSFIX_<LANGUAGE>_PARSER=reference` sends every file to the reference parser. Read
 * once per thread: each read of process.env is a call into Node (5 ms of a Terraform scan, asked
 * for each of its 600 parses).
 */
export function fastParserOn(language: ParserLanguage): boolean {
  switches ??= {
    yaml: process.env[SWITCHES.yaml] !== 'reference',
    json: process.env[SWITCHES.json] !== 'reference',
    hcl: process.env[SWITCHES.hcl] !== 'reference',
  };
  return switches[language];
}

/** Texts read by each parser in this thread (KMSFIX_PARSER_STATS). */
export const parseStats: Record<ParserLanguage, { fast: number; reference: number }> = {
  yaml: { fast: 0, reference: 0 },
  json: { fast: 0, reference: 0 },
  hcl: { fast: 0, reference: 0 },
};

export function countParse(language: ParserLanguage, parser: 'fast' | 'reference'): void {
  parseStats[language][parser]++;
}

const statsFile = process.env.KMSFIX_PARSER_STATS;
if (statsFile) process.on('exit', () => writeFileSync(statsFile, JSON.stringify(parseStats)));
class Unsupported extends Error {}
const GIVE_UP = new Unsupported();

export function giveUp(): never {
  throw GIVE_UP;
}

/** The result of a fast parse, or undefined when it gave up (any other error is a bug: rethrown). */
export function attempt<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}
