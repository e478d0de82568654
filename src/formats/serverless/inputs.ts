/**
 * What a Serverless service's settings read beside their own values: the service file (for the Framework variables
 * a setting names: variables.ts), the files its `${file(...)}` variables read (fileValues.ts) and the Serverless
 * Compose files that may pass its `${param:x}` (compose.ts). A serverless.yml's are part of the CloudFormation
 * family's Defaults (src/formats/cfn-values/settings.ts serviceDefaults), and so are a serverless.ts's, whose
 * service is handed over as a node tree (src/formats/typescript/cfnTree.ts): one reader for both.
 */
import type { CMap } from '../yaml/tree.js';
import type { ComposeFile } from './compose.js';
import type { FileRef, FileValues } from './fileValues.js';

export interface ServiceInputs {
  /** The service file's root: where `${self:...}` and `${param:...}` are read. */
  service?: CMap;
  /** A service's keys read from files (fileValues.ts): the reads met, and the files' values once read. */
  fileRefs?: FileRef[];
  files?: FileValues;
  /** A service's keys read as `${param:x}` (how many), and the Serverless Compose files above it, once read (compose.ts). */
  paramReads?: { count: number };
  compose?: ComposeFile[];
}
