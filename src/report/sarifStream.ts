/**
 * The SARIF log of a run that plans its fixes (`scan --format sarif`, `fix --dry-run --format sarif`)
 * with nothing of a file held to the end (issue 16: memory flat whatever the tree's size). Each
 * batch of whole fix groups (src/engine/run.ts onVerified; a run that plans goes folder by folder)
 * gives its results at once: they are kept on disk (src/io/spool.ts) with each file's place in the
 * run's order, and the outcomes are handed back without their texts and edits. The end prints the
 * log with the results read back in the run's order: byte for byte the log of a run that keeps
 * everything (src/report/sarif.ts sarifLog).
 */
import type { FileError, FileOutcome, Replace } from '../core/result.js';
import { OrderedSpool } from '../io/spool.js';
import { jsonElement, jsonElements, printJsonArray } from './jsonArray.js';
import { type SarifBase, sarifDocument, sarifResults } from './sarif.js';

/** Stands for the results in the rendered log, where they are printed from the spool. */
const RESULTS = '\u0000kmsfix-results\u0000';
/** The log's results (runs[0].results) stand 8 spaces in. */
const INDENT = 8;

export class SarifStream {
  private readonly spool = new OrderedSpool();
  /** Files whose fix was planned and verified (fix --dry-run: exit 1 when some are). */
  changed = 0;

  /** `root`: the folder the log names files from (src/report/sarif.ts sarifRoot), or undefined for the paths as given. */
  constructor(private readonly root?: SarifBase) {}

  /** A batch of whole groups: its results spooled, each outcome replaced by one without texts or edits. */
  add(outcomes: FileOutcome[], replace: Replace, orderOf: (o: FileOutcome) => number): void {
    const results = sarifResults(outcomes, this.root);
    for (const [k, o] of outcomes.entries()) {
      if (results[k].length > 0)
        this.spool.append(
          'results',
          orderOf(o),
          jsonElements(
            results[k].map((r) => jsonElement(r, INDENT)),
            INDENT,
          ),
        );
      if (o.newText !== undefined) this.changed++;
      replace(o, { ...o, file: { ...o.file, text: '' }, newText: undefined, edits: undefined, watched: undefined });
    }
  }

  /** The log, printed: `outcomes` (without texts) give the errors; the spool is removed. */
  end(outcomes: FileOutcome[], errors: FileError[], version: string, out: (text: string) => void, notes: string[] = []): void {
    const text = `${JSON.stringify(sarifDocument(RESULTS, outcomes, errors, version, notes, this.root), null, 2)}\n`;
    const marker = `"results": ${JSON.stringify(RESULTS)}`;
    const at = text.indexOf(marker);
    out(`${text.slice(0, at)}"results": `);
    printJsonArray(this.spool.texts('results'), INDENT, out);
    out(text.slice(at + marker.length));
    this.discard();
  }

  discard(): void {
    this.spool.discard();
  }
}
