/**
 * A key written through a function kmsfix does not evaluate to one value (Terraform `format(...)`/`join(...)`,
 * Pulumi `pulumi.interpolate`, CDK `Fn.join`/`Fn.sub`/`formatArn`, CloudFormation `Fn::Sub`/`Fn::Join`/`Fn::Select`,
 * Pulumi YAML `fn::join`): what its written text says of the AWS managed key, one rule for every family.
 *
 * A format gives the values the expression can take, each as its literal pieces joined, with a piece kmsfix does not know
 * as `*` (`"arn:aws:kms:*:*:alias/aws/dynamodb"`). Every value names `alias/aws/dynamodb` (isAwsManagedKeyRef): the AWS
 * managed key (`aws-managed`, the reason naming the expression), as the same text written as a plain string is; only
 * some can (a `coalesce` of it, a `select` with an index kmsfix does not know, a `for_each` data source's instance): not
 * known (`unknown`), never a customer-managed key. None: undefined, and the format reads the key as before.
 */
import type { Setting } from './facts.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from './status.js';

/** At most this many pieces, arguments or items a composed key is read from (a key is one short string). */
export const MAX_PARTS = 64;

/** A piece of a composed key kmsfix does not know (a region, an account, a reference): shown as `*`. */
export const UNKNOWN_PIECE = '*';

/** The literal pieces of a function's value joined, a piece kmsfix does not know (undefined) as `*`. */
export function joinPieces(pieces: readonly (string | undefined)[], delimiter = ''): string {
  return pieces.map((p) => p ?? UNKNOWN_PIECE).join(delimiter);
}

/** Does a value (a composed key's joined text) name the AWS managed key? Not an unknown piece alone, nor empty. */
export function namesManagedKey(value: string): boolean {
  const v = value.trim();
  return v !== '' && v !== UNKNOWN_PIECE && isAwsManagedKeyRef(v);
}

/** Does the expression's written text hold `alias/aws/dynamodb` anywhere (a key that may be it)? */
export function mentionsManagedKey(written: string): boolean {
  return written.toLowerCase().includes(AWS_MANAGED_ALIAS);
}

/**
 * The key setting of an expression whose possible values are `values` (each joined by joinPieces, or a value a format
 * knows names the AWS managed key some other way: give AWS_MANAGED_ALIAS), `source` as written; `some`: the expression
 * may take another value kmsfix did not list (a coalesce's later argument, an index it does not know). Undefined when no
 * value names the AWS managed key.
 */
export function composedKeySetting(
  values: readonly string[],
  source: string,
  raw: Setting['raw'],
  options: { some?: string } = {},
): Setting | undefined {
  const managed = values.filter(namesManagedKey);
  if (managed.length === 0) return undefined;
  if (managed.length === values.length && options.some === undefined) return { state: 'expression', source, text: AWS_MANAGED_ALIAS, raw };
  return maybeManagedKey(source, raw, options.some);
}

/** The key setting of an expression that may be the AWS managed key and may be another (`unknown`). */
export function maybeManagedKey(source: string, raw: Setting['raw'], why?: string): Setting {
  return {
    state: 'unreadable',
    source: `the key ${source} may be the AWS managed key ${AWS_MANAGED_ALIAS}${why ? ` (${why})` : ''}, or another key: kmsfix does not evaluate it`,
    raw,
  };
}
