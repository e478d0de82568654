import { describe, expect, it } from 'vitest';
import { inline } from '../../../src/formats/typescript/code.js';
import { cdkTableTagsFor, tableTagsFor } from '../../../src/formats/typescript/keyTags.js';
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

describe("a CDK key repeats its table's Tags.of(table).add(...) (keyTags.ts cdkTableTagsFor)", () => {
  /** The calls the key of the table at statement `i` (held in `ref`) repeats, `Tags` being the CDK's. */
  const calls = (text: string, tables: [number, string][]) => {
    const sf = ts.createSourceFile('index.ts', text, ts.ScriptTarget.Latest, true);
    const isTagsOf = (e: ts.Expression) => e.getText(sf) === 'Tags.of';
    const named = tables.map(([i, ref]) => ({ statement: sf.statements[i], ref }));
    return cdkTableTagsFor(named, { statement: sf.statements[tables[0][0]] }, sf, isTagsOf).map((c) =>
      c.args.map((a) => inline(a, style)).join(', '),
    );
  };

  it('repeats the calls on the table after it in its block, with what the key sees', () => {
    const text = [
      "const stage = 'dev';",
      "const t = new Table(s, 'T', {});",
      "Tags.of(t).add('team', 'x');",
      "Other.of(t).add('not', 'tags');",
      "Tags.of(s).add('stack', 'wide');",
      "Tags.of(t).add('stage', stage, { priority: 200 });",
      "const owner = 'me';",
      "Tags.of(t).add('owner', owner);",
      "Tags.of(t).add('name', t.tableName);",
      "if (stage) { Tags.of(t).add('in', 'block'); }",
    ].join('\n');
    expect(calls(text, [[1, 't']])).toEqual(["'team', 'x'", "'stage', stage, { priority: 200 }"]);
  });

  it("leaves a call reading a name assigned since, and stops where the table's name is assigned again", () => {
    const text = [
      "let stage = 'dev';",
      "let t = new Table(s, 'T', {});",
      "stage = 'prod';",
      "Tags.of(t).add('stage', stage);",
      "Tags.of(t).add('team', 'x');",
      "t = new Table(s, 'U', {});",
      "Tags.of(t).add('other', 'table');",
    ].join('\n');
    expect(calls(text, [[1, 't']])).toEqual(["'team', 'x'"]);
  });

  it('gives a shared key the calls only when every table has the same', () => {
    const same =
      "const a = new Table(s, 'A', {});\nTags.of(a).add('team', 'x');\nconst b = new Table(s, 'B', {});\nTags.of(b).add('team', 'x');\n";
    expect(
      calls(same, [
        [0, 'a'],
        [2, 'b'],
      ]),
    ).toEqual(["'team', 'x'"]);
    expect(
      calls(same.replace("(b).add('team', 'x')", "(b).add('team', 'y')"), [
        [0, 'a'],
        [2, 'b'],
      ]),
    ).toEqual([]);
  });
});
