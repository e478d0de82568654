/**
 * What a run found, as the engine hands it to the reports and the CLI: one outcome per file (its
 * tables as reported, its error, its verified new text), the errors not tied to a parsed file,
 * and the progress of a run. Values only: no behaviour.
 */
import type { ChoicesWere, ParametersWere } from '../rule/cmk.js';
import type { Caution } from '../rule/facts.js';
import type { PeerVerdicts } from '../rule/peers/rules.js';
import type { DeployRegion, DeployRole, DeployingUnit, Edit, SourceFile, Status, Suppression, TableIdentity } from './types.js';

/** A table as reported: who and where, and the rules' verdict on it (src/rule/evaluate.ts Judgement). */
export interface TableReport extends TableIdentity {
  status: Status;
  /** What the status means for this table (the reason, in the user's terms). */
  message: string;
  /** The reason alone, short, for one-line reports (text output without --verbose). */
  reason?: string;
  /** Under a peer tool's profile: the tool does not scan this kind of table, so it is not counted compliant. */
  notScannedBy?: string;
  /** Set when the table is non-compliant but kmsfix cannot fix it: what to do by hand. */
  blocker?: string;
  file: string;
  compliant: boolean;
  fixable: boolean;
  /** Peer scanners' rule IDs that fire on this table (src/rule/peers), suppressions aside. */
  peers: PeerVerdicts;
  /** Inline suppressions found on the table, whichever tool they speak for. */
  suppressions: Suppression[];
  /** Fixable: what a fix changes beyond the table, for its reviewer; any table: what needs a look as it is (src/rule/cautions.ts; also in `message`). */
  cautions?: string[];
  /**
   * The kind of each of `cautions`, in order (Judgement.cautionKinds): reports ask it (src/rule/cautions.ts
   * isStanding, cautionLabel), not the text. Internal: the JSON report gives the texts alone (src/report/jsonReport.ts).
   */
  cautionKinds?: Caution['kind'][];
  /**
   * A condition chose the setting that made the status (Fn::If, fixed with --fix-parameterised): what each choice was,
   * so that the commit message's roll back gives each back (src/report/rollback.ts). Internal: not in the JSON report.
   */
  choices?: ChoicesWere;
  /**
   * Fixed through the parameters that decided it (--fix-parameterised): them, its settings as written and what it was
   * for each value they may take, so that the roll back gives each stack back its own (src/report/rollback.ts).
   * Internal: not in the JSON report.
   */
  parameters?: ParametersWere;
  /** The projen configuration that generates the table's package.json, from its file's folder (TableFacts.projen). */
  projen?: string;
  /** Set by fix: the verified fix makes the table customer-managed. */
  planned?: boolean;
  /**
   * Set by fix: the table is customer-managed in this run's output: on disk for a fix in place (then
   * the same as `written`), in the patch for --patch and --patch-dir, in the diff for --dry-run.
   */
  fixed?: boolean;
  /** Set by a fix in place: its file was written. */
  written?: boolean;
  /** Non-compliant and fixable, but in test code and left alone (no --include-tests). */
  testCode?: true;
  /**
   * Non-compliant, a Terraform call of a local module whose table sets its encryption itself: that
   * table (its file as `file` is given, its address), whose fix gives every call of the module a key.
   */
  through?: { file: string; address: string };
  /** Terraform: the terragrunt units that deploy the table's module folder (TableFacts.units), each given its own key by the table's fix. */
  units?: DeployingUnit[];
  /** The key its fix keeps, as written (TableFacts.keptKey): no key is generated for it. Internal: not in the JSON report. */
  keptKey?: string;
  /** The key its fix generates is kept when a deploy that created it rolls back (TableFacts.keyRetained). Internal: not in the JSON report. */
  keyRetained?: true;
  /** The roles the project names for deploying the table's stack (TableFacts.deployRoles). Internal: not in the JSON report. */
  deployRoles?: DeployRole[];
  /** The Regions the project names for the table's stack (TableFacts.deployRegions). Internal: not in the JSON report. */
  deployRegions?: DeployRegion[];
  /** The session policy of the table's Terraform provider (TableFacts.deploySessionPolicy). Internal: not in the JSON report. */
  deploySessionPolicy?: string;
}

export interface FileError {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/**
 * What the engine found for one file it read: plain data, the same from a worker thread as from
 * the main thread.
 */
export interface FileResult {
  tables: TableReport[];
  error?: FileError;
  /** Verified fixed text (without BOM); set only by fix, and only when it differs from the input. */
  newText?: string;
  /**
   * The edits of the verified fix (offsets into `file.text`): they make `newText` (its diff is built
   * from them), and each says which tables it serves (Edit.tables), so that the edits that serve one
   * table are that table's fix (SARIF). Set by fix, and by a scan that plans fixes (SARIF).
   */
  edits?: Edit[];
  /** The key of the fix group it belongs to (src/engine/groups.ts): a group is written all or none. */
  group?: string;
  /** Other files the group's plan read (siblings): set on changed files, checked before writing. */
  watched?: Watched[];
  /** The detection's notes (Detection.notes): the run says them after its own. */
  notes?: string[];
}

export interface FileOutcome extends FileResult {
  file: SourceFile;
  bom: boolean;
  /** The stamp of the version read (src/io/read.ts); the file is replaced only while it has it. */
  stamp?: string;
  /** The symbolic link named on the command line it was reached through ("X -> Y"): never written. */
  link?: string;
}

/**
 * Swap an outcome of a run's result for another once its file is settled, or drop it (undefined):
 * what a fix that writes as it goes (src/io/stream.ts) hands back to the run (src/engine/run.ts).
 */
export type Replace = (before: FileOutcome, after: FileOutcome | undefined) => void;

export interface RunProgress {
  /** Candidate files looked at so far, of `candidates`. */
  scanned: number;
  candidates: number;
  tables: number;
  /** Absolute path of the file just looked at. */
  current: string;
}

/** A file a group's plan read without writing it (a module's file without a table). */
export interface Watched {
  absPath: string;
  path: string;
  stamp: string;
}
