/**
 * A registry module call's obstacles that hang on an input the call reads from its module (registryCalls.ts and
 * ownObstacles.ts write them as the text says; inputSwitches.ts evaluates the input with the module's variables, tfvars and locals and
 * keeps them only while the value stays undecided):
 * - `create`: its creation switch (`create_table = var.create_table`, cloudposse's `enabled`, or, with no
 *   `enabled` written, the `enabled` of the null-label `module "this"` its `context = module.this.context`
 *   passes): true, the obstacle goes; false, the call creates no table and is not reported;
 * - `replicas`: its replica Regions (`replicas = var.replicas`): an empty list, the obstacle goes, and the
 *   call's other obstacles (`rest`, which the replicas obstacle stood for alone) take its place.
 * Cheap and loaded with detection: evaluation is loaded only when a call has one (inputUses.ts).
 */
import type { Obstacle } from '../../rule/facts.js';

export type CallSwitch = { kind: 'create'; expr: string; through?: 'context' } | { kind: 'replicas'; expr: string; rest: Obstacle[] };

/** Each obstacle of a call that evaluation may lift, with the input it hangs on. */
export const callSwitches = new WeakMap<Obstacle, CallSwitch>();

/** The obstacles of `obstacles` that hang on an input (callSwitches). */
export function switchObstacles(obstacles: Obstacle[]): { obstacle: Obstacle; on: CallSwitch }[] {
  return obstacles.flatMap((o) => {
    const on = callSwitches.get(o);
    return on ? [{ obstacle: o, on }] : [];
  });
}
