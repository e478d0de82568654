/**
 * A key reached through a function that takes a counted key's instances as a list and gives null or ""
 * when there is none (seen with `count = var.create_kms ? 1 : 0`): `one(aws_kms_key.k[*].arn)`,
 * `join("", aws_kms_key.k.*.arn)`, `element(concat(aws_kms_key.k.*.arn, [""]), 0)`,
 * `concat(aws_kms_key.k[*].arn, [""])[0]`, `try(aws_kms_key.k[0].arn, null)`. With the key counted to
 * zero, the table gets null or "": the AWS managed key. So such a key is the key's count evaluated:
 * zero, the AWS managed key; one or more, the key; not known, not known.
 */
import type { Setting } from '../../rule/facts.js';
import { evaluate, type Env } from './expression.js';
import { countedKeyForm } from './inputUses.js';
import type { TopBlock } from './topBlocks.js';

/** The `count` of the key resource `name` among `blocks`, as written. */
function countOf(name: string, blocks: TopBlock[]): { value: string } | undefined {
  return blocks.find((b) => b.type === 'resource' && b.labels[0] === 'aws_kms_key' && b.labels[1] === name)?.attr('count');
}

/** The count expression a key written as one of the forms depends on (its variables decide the key too), else undefined. */
export function countedKeyCount(expr: string, blocks: TopBlock[]): string | undefined {
  const form = countedKeyForm(expr);
  return form && countOf(form.name, blocks)?.value;
}

/**
 * A key setting written as one of the forms, read through the count of its key among `blocks` (the
 * module's) in `env`: the key's first instance when the count is one or more, null or "" at zero;
 * undefined when the expression is no such form or the key has no `count` (then it is the key, as written). `raw`: as peers read the attribute (as written).
 */
export function countedKeySetting(expr: string, blocks: TopBlock[], env: Env, raw: Setting['raw'], shown = expr): Setting | undefined {
  const form = countedKeyForm(expr);
  const count = form && countOf(form.name, blocks);
  if (!form || !count) return undefined;
  const written = shown.trim();
  const n = evaluate(count.value, env);
  const counted = `aws_kms_key.${form.name} has count = ${count.value.trim()}`;
  const why = n.why.length ? ` (${n.why.join('; ')})` : '';
  if (!n.known || typeof n.value !== 'number') {
    return {
      state: 'unreadable',
      source: `kms_key_arn = ${written}: the AWS managed key when ${counted} is 0, which the code alone does not tell${why}`,
      raw,
    };
  }
  if (n.value > 0)
    return { state: 'literal', source: `${written} (${counted}, ${n.value}${why})`, text: `aws_kms_key.${form.name}[0].arn`, raw };
  return { state: 'literal', source: `${written} (${counted}, 0: it gives ${form.empty === null ? 'null' : '""'}${why})`, raw };
}
