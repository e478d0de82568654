/**
 * A resource's suppressions (`suppressionsOf`): its Metadata's, the comments on its logical ID's line and just above it,
 * and (Checkov's and kmsfix's) the comments inside it, to where its lines end.
 */
import { commentLinesAbove, lineStartOf } from '../../core/text.js';
import { commentSuppressions, metadataSuppressions, type Plain } from '../../core/suppressions.js';
import type { Suppression } from '../../core/types.js';
import { inScalar } from '../yaml/inScalar.js';
import { child, type CMap, type CNode, type CPair } from '../yaml/tree.js';
import { toPlain } from './templates.js';

export function suppressionsOf(text: string, resourcePair: CPair, resource: CMap, root?: CNode | null): Suppression[] {
  const md = child(resource, 'Metadata');
  const found: Suppression[] = md ? metadataSuppressions(toPlain(md) as Plain, 'Metadata') : [];
  // Comments (YAML): on the logical ID's line, or in the comment lines just above it (not a string's lines: the
  // content of the resource above's block scalar; not those indented past the key: the resource above's own).
  const lineEnd = text.indexOf('\n', resourcePair.keyStart);
  const comments = [
    text.slice(resourcePair.keyStart, lineEnd === -1 ? text.length : lineEnd),
    ...commentLinesAbove(
      text,
      resourcePair.keyStart,
      (at) => notAbove(text, resourcePair.keyStart, at) || (root ? inScalar(root, at) : false),
    ),
  ];
  for (const c of comments) {
    const hash = c.indexOf('#');
    if (hash !== -1) found.push(...commentSuppressions(c.slice(hash)));
  }
  // Inside the resource, Checkov reads every line (checkov/cloudformation/context_parser.py,
  // collect_skip_comments), as it does a Terraform block's; kmsfix's own comment counts there too, as
  // in Terraform. Trivy's and KICS's speak for the line or block after them, not the resource.
  const end = lineEnd === -1 ? -1 : resourceTextEnd(text, resourcePair, resource);
  if (lineEnd !== -1 && end > lineEnd) {
    for (const m of text.slice(lineEnd, end).matchAll(/(?:^|[ \t])(#[^\r\n]*)/gm)) {
      const suppressions = commentSuppressions(m[1]);
      if (suppressions.length === 0) continue;
      // A `#` in a string value (a block scalar's line, a quoted value over lines) is no comment: kmsfix's own is not
      // read there; Checkov's is, as Checkov reads the lines, for --profile checkov only (session 61, adversarial F8).
      const inString = inScalar(resource, lineEnd + (m.index ?? 0) + m[0].indexOf('#'));
      for (const s of suppressions) {
        if ((s.tool !== 'checkov' && s.tool !== 'kmsfix') || found.some((f) => f.tool === s.tool && f.text === s.text)) continue;
        if (!inString) found.push(s);
        else if (s.tool === 'checkov') found.push({ ...s, inString: true });
      }
    }
  }
  return found;
}

/**
 * A comment line above a resource indented past its key is inside the resource above it (the comments after its last
 * value: resourceTextEnd), not about this one.
 */
const notAbove = (text: string, keyStart: number, at: number) => at - lineStartOf(text, at) > keyStart - lineStartOf(text, keyStart);

/**
 * Where a resource's lines end, for the comments inside it (adversarial pass 2 of session 61, F8): a block mapping
 * ends with its last value, so a comment after it on that line (`BillingMode: PAY_PER_REQUEST # kmsfix:ignore`), or
 * on lines of their own below it indented past the resource's key, would be left out; Checkov reads them as the
 * resource's (its end line). A comment line at the key's indentation or less is the next resource's, above it.
 */
function resourceTextEnd(text: string, resourcePair: CPair, resource: CMap): number {
  if (resource.flow) return resource.end;
  // The rest of the last value's line (a block scalar's end is already past its line break).
  let end = text.charCodeAt(resource.end - 1) === 10 ? resource.end - 1 : text.indexOf('\n', resource.end);
  if (end === -1) return text.length;
  const keyColumn = resourcePair.keyStart - lineStartOf(text, resourcePair.keyStart);
  for (let pos = end + 1; pos < text.length; ) {
    const next = text.indexOf('\n', pos);
    const lineEnd = next === -1 ? text.length : next;
    const line = text.slice(pos, lineEnd);
    const body = line.trimStart();
    if (body !== '' && body !== '\r') {
      if (!body.startsWith('#') || line.length - body.length <= keyColumn) break;
      end = lineEnd;
    }
    pos = lineEnd + 1;
  }
  return end;
}
