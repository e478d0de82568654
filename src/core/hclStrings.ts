/**
 * Where an HCL quoted string ends, read as HashiCorp's lexer reads it: a template whose `${...}` interpolations and
 * `%{...}` directives are expressions, with strings (templates in turn), brackets and braces of their own. A scanner
 * that ended a string at its next `"` took `"audit-${replace(var.team, "{", "")}"` for two strings with a lone `{`
 * between them, and a body's braces no longer matched (session 56, adversarial F2: an `aws_cloudformation_stack` read
 * the next stack's parameters). `$${` and `%%{` are a literal `${` and `%{`. One helper for every hand-written HCL
 * scanner of src/ (core/terraformStacks.ts, formats/terraform's split.ts, inputUses.ts, structured.ts, iamRoles.ts).
 */

/**
 * The offset after the closing quote of the string whose opening quote is at `from`; text.length when it is not
 * closed. `lineEnd`: a line break in its text (not inside an interpolation, where HCL allows one) ends it there, at
 * the break's offset (a scanner that recovers from an unclosed string at its line).
 */
export function quotedEnd(text: string, from: number, lineEnd = false): number {
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
    else if (c === '\n' && lineEnd) return i;
    else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 2;
    else if ((c === '$' || c === '%') && text[i + 1] === '{') i = templateExprEnd(text, i + 2) - 1;
  }
  return text.length;
}

/** The offset after the `}` that closes an interpolation or directive whose expression starts at `from` (text.length when none does). */
function templateExprEnd(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = quotedEnd(text, i) - 1;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}

/**
 * The quoted strings of an HCL value, each as written between its quotes (a `"` inside `${...}` does not end one:
 * `"${replace(var.env, "*", "")}-x"` is one string, not `*` among others), and the value's text outside them.
 */
export function quotedStrings(value: string): { strings: string[]; rest: string } {
  const strings: string[] = [];
  let rest = '';
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '"') {
      rest += value[i];
      continue;
    }
    const end = quotedEnd(value, i);
    strings.push(value.slice(i + 1, end > i + 1 && value[end - 1] === '"' ? end - 1 : end));
    i = end - 1;
  }
  return { strings, rest };
}
