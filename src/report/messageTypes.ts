/** What a fix's commit message is made of: the options it explains, a configuration scope, a message, a table fixed. */
import type { KeySettings } from '../rule/keySettings.js';
import type { KeyPolicyMode } from '../rule/keyPolicy.js';
import type { FileOutcome, TableReport } from '../core/result.js';
import type { StageRollback } from '../io/stageRollbacks.js';

/** The fix options the message explains. */
export interface MessageOptions {
  keyStrategy: 'per-table' | 'shared';
  kmsKeyArn?: string;
  keyPolicy?: KeyPolicyMode;
  key?: KeySettings;
  /** kmsfix's version. */
  version: string;
  /**
   * A run of several configuration scopes (src/cli/scopes.ts): the options of the repository at a
   * root, which its message explains instead.
   */
  of?: (root: string) => MessageOptions;
  /**
   * A run of several configuration scopes: the scope that read a file (an outcome of the run, before it is
   * read back), whose settings its tables' lines explain (a folder's own file may set a shared key,
   * `key_policy: iam` or `kms_key_arn` where the repository's root has none).
   */
  scopeOf?: (f: FileOutcome) => MessageScope | undefined;
  /** The CodePipeline stage rollbacks the run's files declare (RunResult.stages): a repository's message names its own. */
  stages?: StageRollback[];
  /** Those of the repository, as its message names them (`pipeline.yaml:12`): set by repositoryMessage. */
  declaredRollbacks?: string[];
}

/** A configuration scope as a message names it: its settings, its file and its folders (absolute). */
export interface MessageScope {
  options: MessageOptions;
  configFile?: string;
  folders: string[];
}

export interface CommitMessage {
  subject: string;
  body: string;
}

/** A table fixed, with the settings it was fixed with. */
export interface Fixed {
  t: TableReport;
  file: string;
  o: MessageOptions;
}
