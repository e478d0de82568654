/**
 * Values to insert into a YAML or JSON file, independent of its syntax: plain data, YAML aliases,
 * comment lines, and CloudFormation-style intrinsic functions (`!Ref`, `Fn::GetAtt`...), which
 * render.ts writes in the file's own form (short tags or long keys). A family builds its resources
 * from these (yaml/cfnKeyResources.ts, pulumi-yaml/fix.ts); render.ts writes them per file style.
 */

export class Intrinsic {
  constructor(
    readonly fn: IntrinsicName,
    readonly arg: Value,
    /**
     * Copied from the template as written (a table's `Tags`, cfn-values/copied.ts): any function, and a Fn::Sub
     * kept a Fn::Sub in a Serverless file (its `${...}` are the author's, not kmsfix's pseudo parameters).
     */
    readonly copied = false,
  ) {}
}
/** The functions kmsfix writes itself; a copied value may hold any other (`Fn::If`, `Fn::Select`, `Condition`...). */
export type IntrinsicName = 'Ref' | 'Fn::GetAtt' | 'Fn::Sub' | 'Fn::Join' | 'Fn::Split' | 'Fn::ImportValue' | (string & {});
/** A YAML alias (`*name`), written as is: the value of a merge key that keeps an anchored mapping. */
export class YamlAlias {
  constructor(readonly name: string) {}
}
export type Value = string | number | boolean | Intrinsic | YamlAlias | Value[] | { [key: string]: Value };

export const ref = (name: string) => new Intrinsic('Ref', name);
export const getAtt = (resource: string, attribute: string) => new Intrinsic('Fn::GetAtt', [resource, attribute]);
export const sub = (template: string) => new Intrinsic('Fn::Sub', template);

/**
 * A key whose name is this is written as a YAML comment line (`# text`) in block style, and left
 * out of JSON and flow style.
 */
export const COMMENT = '\u0000#';

/**
 * Serverless Framework resolves `${...}` itself, so a Sub with `${AWS::...}` would clash with its
 * variables: there, Sub is written as Join of literal parts and Refs.
 */
export function subToJoin(template: string): Intrinsic {
  const parts: Value[] = [];
  const re = /\$\{([^}]+)\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push(ref(m[1]));
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return new Intrinsic('Fn::Join', ['', parts]);
}

const CONSTANTS = new WeakSet<object>();

/**
 * A value that never changes, frozen all the way down: the renderers (render.ts) write it once per
 * place and style and reuse the text. For what every fix of a run inserts the same (a key policy of
 * one mode), built once.
 */
export function constant<T extends Value>(v: T): T {
  const freeze = (x: Value): void => {
    if (typeof x !== 'object' || Object.isFrozen(x)) return;
    Object.freeze(x);
    if (x instanceof Intrinsic) freeze(x.arg);
    else if (Array.isArray(x)) x.forEach(freeze);
    else if (!(x instanceof YamlAlias)) Object.values(x).forEach(freeze);
  };
  freeze(v);
  if (typeof v === 'object') CONSTANTS.add(v);
  return v;
}

/** Whether `v` was made by `constant`. */
export function isConstant(v: Value): v is Exclude<Value, string | number | boolean> {
  return typeof v === 'object' && CONSTANTS.has(v);
}
