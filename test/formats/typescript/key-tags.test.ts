import { describe, expect, it } from 'vitest';
import { inline } from '../../../src/formats/typescript/code.js';
import { tableTagsFor } from '../../../src/formats/typescript/keyTags.js';
import { ts } from '../../../src/formats/typescript/parse.js';
import { detectTsStyle } from '../../../src/formats/typescript/style.js';

/** The props of the `new` in statement `i` of `text`, and its statements. */
function parse(text: string) {
  const sf = ts.createSourceFile('index.ts', text, ts.ScriptTarget.Latest, true);
  const tableAt = (i: number) => {
    let found: ts.NewExpression | undefined;
    const visit = (n: ts.Node): void => {
      if (!found && ts.isNewExpression(n)) found = n;
      ts.forEachChild(n, visit);
    };
    visit(sf.statements[i]);
    return { node: found!, props: found!.arguments![1] as ts.ObjectLiteralExpression };
  };
  return { sf, tableAt };
}

const style = detectTsStyle(ts.createSourceFile('s.ts', "const a = 'x';\n", ts.ScriptTarget.Latest, true));
const shown = (t: ReturnType<typeof tableTagsFor>) =>
  t === undefined ? undefined : 'whole' in t ? inline(t.whole, style) : t.entries.map(([k, v]) => `${k}=${inline(v, style)}`).join(' ');

describe("a CDKTF or Pulumi key takes its table's tags (keyTags.ts)", () => {
  it('copies an object entry by entry, and an expression whole', () => {
    const { sf, tableAt } = parse(
      "const common = { app: 'shop' };\nconst a = new T('a', { tags: { team: 'x', 'cost-center': common.app } });\nconst b = new T('b', { tags: common });\n",
    );
    expect(shown(tableTagsFor([tableAt(1)], { statement: sf.statements[1] }, sf))).toBe("team='x' cost-center=common.app");
    expect(shown(tableTagsFor([tableAt(2)], { statement: sf.statements[2] }, sf))).toBe('common');
  });

  it('copies nothing a declaration before the key would not see', () => {
    // The key declared before `common` (statement 0): the name is not declared there yet.
    const { sf, tableAt } = parse("const common = { app: 'shop' };\nconst a = new T('a', { tags: common });\n");
    expect(shown(tableTagsFor([tableAt(1)], { statement: sf.statements[0] }, sf))).toBeUndefined();
    expect(shown(tableTagsFor([tableAt(1)], { statement: sf.statements[1] }, sf))).toBe('common');
  });

  it('copies nothing a spread after `tags` may replace, nor tags that differ between the tables of a shared key', () => {
    const { sf, tableAt } = parse(
      "const x = {};\nconst a = new T('a', { tags: { t: '1' }, ...x });\nconst b = new T('b', { tags: { t: '1' } });\nconst c = new T('c', { tags: { t: '2' } });\n",
    );
    expect(tableTagsFor([tableAt(1)], { statement: sf.statements[1] }, sf)).toBeUndefined();
    expect(shown(tableTagsFor([tableAt(2)], { statement: sf.statements[2] }, sf))).toBe("t='1'");
    expect(tableTagsFor([tableAt(2), tableAt(3)], { statement: sf.statements[2] }, sf)).toBeUndefined();
  });

  it('copies `this` only into the same function', () => {
    const { sf, tableAt } = parse("class S { f() { new T('a', { tags: this.tags }); } }\nconst k = 1;\n");
    const method = (sf.statements[0] as ts.ClassDeclaration).members[0] as unknown as { body: ts.Block };
    const inMethod = method.body.statements[0];
    expect(shown(tableTagsFor([tableAt(0)], { statement: inMethod }, sf))).toBe('this.tags');
    expect(tableTagsFor([tableAt(0)], { statement: sf.statements[1] }, sf)).toBeUndefined();
  });
});
