/**
 * The run's own copies of a batch's tables, kept until the report (src/engine/run.ts): small, and
 * holding nothing of the file texts.
 *
 * A table's strings (addresses, messages with snippets) are often V8 sliced strings of the file's
 * text, which would keep every text read alive; structuredClone copied them, but gave each table
 * its own copy of every string and of its peers' verdicts (on the bench's corpus about 1.1 KB a
 * table, 11 MB of live heap for each 8,000 tables). Here the strings that repeat (format, type,
 * status, messages, rule IDs) and the peers' verdicts are shared between tables, and the others
 * (addresses) are flat copies. Equal values, so every report is the same.
 */
import type { PeerVerdicts } from '../rule/peers/rules.js';
import type { TableReport } from '../core/result.js';
import type { Suppression } from '../core/types.js';
import { flatCopy as flat } from '../core/text.js';

/** Past this many distinct values, a pool starts again (a run with many unique messages keeps no more than this). */
const MAX_SHARED = 4096;

class Shared<T> {
  private map = new Map<string, T>();
  of(key: string, make: () => T): T {
    let v = this.map.get(key);
    if (v === undefined) {
      if (this.map.size >= MAX_SHARED) this.map = new Map();
      v = make();
      this.map.set(flat(key), v);
    }
    return v;
  }
}

const NO_SUPPRESSIONS: Suppression[] = Object.freeze([]) as unknown as Suppression[];

/** A deep copy that cannot change: it is shared between tables. */
function frozen(peers: PeerVerdicts): PeerVerdicts {
  const out: PeerVerdicts = {};
  for (const [tool, ids] of Object.entries(peers) as [keyof PeerVerdicts, string[]][]) out[tool] = Object.freeze(ids.map(flat)) as string[];
  return Object.freeze(out);
}

export class TableCopies {
  private readonly strings = new Shared<string>();
  private readonly peers = new Shared<PeerVerdicts>();

  /** A shared copy of a string that repeats between tables. */
  private str(s: string): string;
  private str(s: string | undefined): string | undefined;
  private str(s: string | undefined): string | undefined {
    return s === undefined ? undefined : this.strings.of(s, () => flat(s));
  }

  /** The tables of one file (`file`: its display path, which its tables name). */
  copy(tables: TableReport[], file: string): TableReport[] {
    return tables.map((t) => this.table(t, file));
  }

  private table(t: TableReport, file: string): TableReport {
    const out: TableReport = {
      ...t,
      format: this.str(t.format),
      type: this.str(t.type),
      address: flat(t.address),
      status: this.str(t.status) as TableReport['status'],
      message: this.str(t.message),
      file: t.file === file ? file : flat(t.file),
      peers: this.peers.of(JSON.stringify(t.peers), () => frozen(t.peers)),
      suppressions: t.suppressions.length === 0 ? NO_SUPPRESSIONS : structuredClone(t.suppressions),
    };
    for (const k of ['reason', 'notScannedBy', 'blocker', 'projen'] as const) if (t[k] !== undefined) out[k] = this.str(t[k]);
    return out;
  }
}
