/**
 * Terraform calls of a local module whose table sets its encryption itself (TableReport.through):
 * kmsfix cannot fix the call, but its fix of the module's table gives every call a key. A fix's
 * report says so for a call when the same run fixed that table, whichever file settled first: each
 * settled file is noted here (only the module tables fixed and the calls that wait on one are kept),
 * and the report asks at its end. The terragrunt units that deploy the folder of a table the output
 * fixed (TableReport.units) get their keys the same way, and are said so too: one line per unit.
 */
import { listed } from '../rule/blockers.js';
import type { FileOutcome, TableReport } from '../core/result.js';
import type { DeployingUnit } from '../core/types.js';

const key = (file: string, address: string) => `${file}\0${address}`;

export class ModuleFixes {
  /** Terraform tables in the output (planned, their file delivered): file and address. */
  private readonly fixed = new Set<string>();
  /** The calls that wait on a module's table, as settled (only what their line needs). */
  private readonly calls: Pick<TableReport, 'file' | 'line' | 'address' | 'through'>[] = [];
  /** The units that deploy the folder of a table in the output, by their terragrunt.hcl: the unit and those tables. */
  private readonly units = new Map<string, { unit: DeployingUnit; tables: { file: string; address: string }[] }>();

  /** A file settled; `delivered`: its change is in the output. */
  note(o: FileOutcome, delivered: boolean): void {
    for (const t of o.tables) {
      if (delivered && t.planned && t.format === 'terraform')
        for (const unit of t.units ?? []) {
          let u = this.units.get(unit.file);
          if (!u) this.units.set(unit.file, (u = { unit, tables: [] }));
          u.tables.push({ file: t.file, address: t.address });
        }
      if (delivered && t.planned && t.format === 'terraform' && t.type === 'aws_dynamodb_table') this.fixed.add(key(t.file, t.address));
      else if (t.through && !t.compliant) this.calls.push({ file: t.file, line: t.line, address: t.address, through: t.through });
    }
  }

  /** Whether the run's output fixed the module table `t` (a call) waits on. */
  reaches(t: Pick<TableReport, 'through'>): boolean {
    return t.through !== undefined && this.fixed.has(key(t.through.file, t.through.address));
  }

  /** What a report says of each call the run's output fixed through its module: the output a diff, a patch, or the files written. */
  lines(output: Output): string[] {
    return [
      ...this.calls.filter((t) => this.reaches(t)).map((t) => withModule(t, output)),
      ...[...this.units.values()].sort((a, b) => (a.unit.file < b.unit.file ? -1 : 1)).map((u) => unitWithModule(u.unit, u.tables, output)),
    ];
  }
}

export type Output = 'diff' | 'patch' | 'written';

const GIVES: Record<Output, string> = { diff: "this run's diff gives", patch: "this run's patch gives", written: 'this run gave' };

/** `main.tf:5 module.orders: ...`: a call fixed through its module's table. */
export function withModule(t: Pick<TableReport, 'file' | 'line' | 'address' | 'through'>, output: Output): string {
  const { file, address } = t.through!;
  return `${t.file}:${t.line} ${t.address}: fixed with its module, not here: ${GIVES[output]} ${address} (${file}) a key, and with it every call of the module`;
}

/**
 * `live/prod/ddb/terragrunt.hcl:1 unit live/prod/ddb: ...`: a terragrunt unit that deploys the folder of
 * the tables `tables` the output fixed.
 */
export function unitWithModule(unit: DeployingUnit, tables: { file: string; address: string }[], output: Output): string {
  const named = listed(tables.map((t) => `${t.address} (${t.file})`));
  const keys = tables.length === 1 ? 'a key' : 'keys';
  const may = unit.may ? `; it may not deploy at all: ${unit.may}` : '';
  if (unit.remote)
    return `${unit.file}:${unit.line} unit ${unit.folder}: ${atRef(unit.remote)}: ${GIVES[output]} ${named} ${keys}; the unit gets ${tables.length === 1 ? 'it' : 'them'} ${whenReleased(unit.remote)}${may}`;
  return (
    `${unit.file}:${unit.line} unit ${unit.folder}: fixed with its module, not here: ${GIVES[output]} ${named} ` +
    `${keys}, and with it every terragrunt unit that deploys its folder${may}`
  );
}

/** `deploys its module from this repository's origin at ref v1.0.0 (source = "..."), not this work tree's copy`. */
export function atRef(remote: NonNullable<DeployingUnit['remote']>): string {
  const at = remote.ref === undefined ? 'its default branch' : `ref ${remote.ref}`;
  return `deploys its module from this repository's origin at ${at} (source = "${remote.source}"), not this work tree's copy`;
}

/** When a fix reaches a unit that deploys its module at a ref: once released there, or merged to the default branch. */
export function whenReleased(remote: NonNullable<DeployingUnit['remote']>): string {
  return remote.ref === undefined
    ? 'once this change is merged to the default branch'
    : "only once a commit or tag with this change is released and the unit's ref moved to it";
}
