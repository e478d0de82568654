/** The Terraform module calls and terragrunt units a commit fixes through their module's table, as its message counts them. */
import path from 'node:path';
import type { TableReport } from '../core/result.js';
import type { DeployingUnit } from '../core/types.js';
import { plural, shownBeside } from './messageLines.js';
import type { Fixed } from './messageTypes.js';

/**
 * A Terraform call of a local module whose table the commit fixes (`module`), which gets its keys through it; or
 * (`unit`) a terragrunt unit that deploys the module's folder, its terragrunt.hcl as `file`.
 */
export interface Call {
  t: TableReport;
  file: string;
  module: Fixed;
  unit?: true;
  /** A unit that may not deploy at all: why (DeployingUnit.may). */
  may?: string;
  /** A unit that deploys the module from this repository's origin at a ref (DeployingUnit.remote). */
  remote?: DeployingUnit['remote'];
}

/**
 * A terragrunt unit deploying the folder of a table fixed, as a call: named `unit <folder>` (from the repository's
 * root, as the table's file is), at its `terraform` block, with the table's old status (the unit deploys that code).
 */
export function unitCall(module: Fixed, unit: DeployingUnit): Call {
  // The unit's path from the table's file's folder, then from the repository's root (both display paths).
  const file = shownBeside(module.file, module.t.file, unit.file);
  const address = `unit ${path.posix.dirname(file)}`;
  return {
    t: { ...module.t, file: unit.file, line: unit.line, column: 1, address, units: undefined },
    file,
    module,
    unit: true,
    ...(unit.may ? { may: unit.may } : {}),
    ...(unit.remote ? { remote: unit.remote } : {}),
  };
}

/** How many terragrunt units the calls hold (a unit deploying a folder of two tables fixed is listed with each). */
export const unitCount = (calls: Call[]) => new Set(calls.filter((c) => c.unit).map((c) => c.file)).size;

/** How many of the calls' terragrunt units may not deploy at all (DeployingUnit.may): the subject leaves them out, the notes count them. */
export const mayNotCount = (calls: Call[]) => unitCount(calls) - unitCount(calls.filter((c) => !c.may));

/**
 * `2 module calls`, `1 terragrunt unit`, `1 module call and 2 terragrunt units (1 of which may not deploy)`: `mayNot` of
 * the units may not deploy (mayNotCount), said where they are counted, so that a note's count and the subject's (which
 * leaves them out) do not differ unexplained (adversarial pass, session 56, L4).
 */
export const callsAndUnits = (moduleCalls: number, units: number, mayNot = 0) => {
  const which =
    mayNot === 0
      ? ''
      : mayNot < units
        ? ` (${mayNot} of which may not deploy)`
        : units === 1
          ? ' (which may not deploy)'
          : ' (each of which may not deploy)';
  return [
    ...(moduleCalls > 0 ? [plural(moduleCalls, 'module call')] : []),
    ...(units > 0 ? [plural(units, 'terragrunt unit') + which] : []),
  ].join(' and ');
};

/**
 * A call as the notes read it: the module's table (a table of the module, whose encryption its roll back sets
 * back, not a key input of the call's) at the call's address and with the call's old status.
 */
export const asModuleTable = (c: Call): TableReport => ({ ...c.module.t, address: c.t.address, status: c.t.status, choices: undefined });

/** What the Cost note adds for the module calls and terragrunt units fixed through their module's table: each creates keys of its own. */
export const callKeys = (calls: Call[]) => {
  const n = calls.filter((c) => !c.unit).length;
  const units = unitCount(calls);
  return n + units === 0
    ? ''
    : ` The ${callsAndUnits(n, units, mayNotCount(calls))} listed with the tables ${n + units === 1 ? 'creates' : 'each create'} the module's keys anew, billed the same.`;
};
