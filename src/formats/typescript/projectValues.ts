/**
 * The project's values a TypeScript detection reads beside the file, in one shape: a Pulumi project's stacks (the
 * values each stack file sets, for a key taken from the stack's config: stackConfig.ts), the files a serverless.ts's
 * keys read (serverless/fileValues.ts), a CDK app's context (for a key looked up by a context value:
 * awsManagedKey.ts). Each is read only for a file whose first detection shows it needs it (index.ts), then handed
 * to a second detection (detectTypeScript's `values`). The files' values go down detection as an argument; the
 * stacks and the context are asked for deep inside a key's reading (keyOf, at eight places of detect.ts and
 * resources.ts, all with the parsed file only), so detection holds them here by its parsed file for its length,
 * as it holds what it asked for without having it (`wants`: the CDK context, read only when a lookup met needs it).
 */
import type { ContextValue } from '../../core/cdkJson.js';
import type { FileValues } from '../serverless/fileValues.js';
import type { PulumiStacks } from '../yaml/pulumiStacks.js';
import type { ts } from './parse.js';

/**
 * A CDK app's context as the CDK CLI gives it to the app (read by index.ts, see cdkContextOf): each string or object
 * value (an object: one per environment, `{ "dev": { "tableKeyAlias": ... } }`) with the file that sets it, and the files read, in the CLI's order (for "which cdk.json's context does not set").
 */
export interface CdkContext {
  paths: string[];
  values: Record<string, { value: ContextValue; path: string }>;
}

export interface ProjectValues {
  stacks?: PulumiStacks;
  files?: FileValues;
  cdkContext?: CdkContext;
}

/** A value detection asks for that it was not given, and that a second detection may be given (index.ts). */
export type Wanted = 'cdkContext';

const HELD = new WeakMap<ts.SourceFile, { values: ProjectValues; wants: Set<Wanted> }>();

/** Detection of `sf` reads the project with these values (each detection of a file parses it anew). */
export function detectingWith(sf: ts.SourceFile, values: ProjectValues): void {
  HELD.set(sf, { values, wants: new Set() });
}

/** The project's values the detection of `sf` was given (none outside a detection). */
export const givenValues = (sf: ts.SourceFile): ProjectValues => HELD.get(sf)?.values ?? {};

/** The detection of `sf` met something that `name` decides, without it. */
export function wants(sf: ts.SourceFile, name: Wanted): void {
  HELD.get(sf)?.wants.add(name);
}

/** Did the detection of `sf` meet something `name` decides, without it (so it is worth reading)? */
export const wanted = (sf: ts.SourceFile, name: Wanted): boolean => HELD.get(sf)?.wants.has(name) ?? false;
