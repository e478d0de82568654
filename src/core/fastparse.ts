/**
 * How the fast parsers (YAML, JSON, HCL) give up: they throw one shared sentinel, and the caller
 * then parses with the reference parser, which decides (and reports errors).
 */
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
