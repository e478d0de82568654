/**
 * The project's values a TypeScript detection reads beside the file, in one shape: a Pulumi project's stacks (the
 * values each stack file sets, for a key taken from the stack's config: stackConfig.ts), the files a serverless.ts's
 * keys read (serverless/fileValues.ts), a CDK app's context (for a key looked up by a context value:
 * awsManagedKey.ts), what the CDK app's entry passes a stack class whose props give a key (stackProps.ts). Each is read only for a file whose first detection shows it needs it (index.ts), then handed
 * to a second detection (detectTypeScript's `values`). They go down detection as an argument (Given, with what the
 * detection met a need for without having it: `wants`, the CDK context, read only when a lookup met needs it), down
 * to where a key's reading asks for them (keyOf in settingReaders.ts, read by detect.ts and resources.ts;
 * managedKeySetting, stackConfig.ts, awsManagedKey.ts), and come back with the detection: no module keeps them.
 */
import type { ContextValue } from '../../core/cdkJson.js';
import type { FileValues } from '../serverless/fileValues.js';
import type { PulumiStacks } from '../pulumi/stacks.js';
import type { Reexports } from './reexports.js';
import type { StackProps } from './stackProps.js';
import type { ResourcesImport } from './serviceImports.js';

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
  /** What the project's modules the file imports table classes through re-export (reexports.ts). */
  reexports?: Reexports;
  /** What the CDK app's entry passes the classes of the file it creates, for a key taken from props (stackProps.ts). */
  stackProps?: StackProps;
  /** The serverless.ts that spreads the file's default export into its Resources (serviceImports.ts). */
  resourcesImport?: ResourcesImport;
}

/** A value detection asks for that it was not given, and that a second detection may be given (index.ts). */
export type Wanted = 'cdkContext' | 'stackProps' | 'resourcesImport';

/**
 * What one detection reads the project with, passed down its key readers: the values it was given, and those it met
 * something they decide without having (`wants`: returned with the detection, TsDetection.wants, for index.ts to read
 * and give a second detection).
 */
export interface Given {
  values: ProjectValues;
  wants: Set<Wanted>;
}

/** A detection's Given: these values, nothing wanted yet. */
export const given = (values: ProjectValues = {}): Given => ({ values, wants: new Set() });
