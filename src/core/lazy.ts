/**
 * A CommonJS module loaded on first use (required, not imported: nothing at start-up, and no
 * export analysis of the package by Node's ES module loader).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
