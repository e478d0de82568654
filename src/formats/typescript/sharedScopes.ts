/**
 * The declarations a TypeScript fix shares between the tables of one scope: the lookups (CDK for Terraform, Pulumi) of
 * the account, partition and Region the key policy names, or the key --kms-key-arn imports (CDK), declared once where
 * every name they need is seen, or reused from the file.
 */
import { raw, type Code } from './code.js';
import { constructOf } from './tableTypes.js';
import { lookup } from './lookup.js';
import { CDKTF_LOOKUP, PULUMI_LOOKUP, cdkImportedKey, cdktfLookup, cdktfLookupModule, helperParams, pulumiLookup } from './keys.js';
import { ts, unwrap } from './parse.js';
import { constsVisibleAt, freeNames, functionOf, sharedAnchor, visibleAt } from './scopes.js';
import { optionsOf } from './options.js';
import { layoutOf, type Anchor, type KeyGroup, type SharedScope } from './planState.js';
import { ModuleDecls } from './moduleDecls.js';

/**
 * `west` for `provider: west` or `provider: this.west`, `envOpts` for the provider of options held in
 * a const (`envOpts.provider`): names the lookups made through it.
 */
function providerName(provider: string | undefined): string | undefined {
  const m = provider ? /(?:^|\.)([A-Za-z_$][\w$]*)(?:\.provider)?$/.exec(provider) : null;
  return m ? m[1] : undefined;
}

export abstract class SharedScopes extends ModuleDecls {
  // ------------------------------------------------------------ shared scopes

  /**
   * The key groups that share declarations (same function, framework, scope argument and placement),
   * and where those declarations go: hoisted to a block around them all when every name they need is
   * seen there, else one set per group.
   */
  protected scopeLists(groups: KeyGroup[], arnInBlock: boolean): { groups: KeyGroup[]; anchor: Anchor }[] {
    const byKey = new Map<string, KeyGroup[]>();
    const fnIds = new Map<ts.Node, number>();
    for (const g of groups) {
      const t = g.tables[0];
      const fn = functionOf(g.statement);
      if (!fnIds.has(fn)) fnIds.set(fn, fnIds.size);
      // An ARN given as an expression may name variables of the table's block: it stays in that block.
      const block = arnInBlock ? g.statement.parent.pos : '';
      const k = JSON.stringify([fnIds.get(fn), t.framework, t.scopeText, this.placementText(t), block]);
      byKey.set(k, [...(byKey.get(k) ?? []), g]);
    }
    const out: { groups: KeyGroup[]; anchor: Anchor }[] = [];
    for (const list of byKey.values()) {
      const t = list[0].tables[0];
      const p = optionsOf(t, this.sf);
      const scopeNode = t.framework === 'pulumi' ? undefined : constructOf(t).arguments?.[0];
      const names = [scopeNode, p.parent?.needs, p.provider?.needs, p.region?.needs].flatMap((n) => (n ? freeNames(n) : []));
      // (An ARN expression is not moved out of its block, nor out of a loop.)
      const anchor = arnInBlock
        ? { container: list[0].statement.parent as Anchor['container'], statement: list[0].statement }
        : sharedAnchor(list.map((g) => g.statement));
      if (names.every((n) => visibleAt(n, anchor.container, anchor.statement.getStart(this.sf)))) out.push({ groups: list, anchor });
      else
        for (const g of list)
          out.push({ groups: [g], anchor: { container: g.statement.parent as Anchor['container'], statement: g.statement } });
    }
    return out;
  }

  protected declareScope(groups: KeyGroup[], anchor: Anchor, arnCode: Code | undefined): SharedScope {
    const t = groups[0].tables[0];
    const at = anchor.statement.getStart(this.sf);
    const visible = constsVisibleAt(anchor.container, at);
    const scope: SharedScope = { groups, vars: {} };
    /** The declarations of a scope serve its tables. */
    const served = groups.flatMap((g) => g.tables);
    const p = this.placementText(t);
    // Options compared as written, with `{ provider }` the same as `{ provider: provider }` (what earlier runs wrote).
    const norm = (x: string) => x.replace(/\s+/g, '').replace(/([{,])([A-Za-z_$][\w$]*)(?=[,}])/g, '$1$2:$2');
    const same = (a: ts.Expression | undefined, b: string | undefined) => (a ? norm(a.getText(this.sf)) : undefined) === (b && norm(b));
    if (arnCode) {
      // Key.fromKeyArn(<scope>, '<id>', <the same ARN>) already there?
      const found = visible.find(
        ({ init }) =>
          ts.isCallExpression(init) &&
          this.sym(init.expression) === 'aws-cdk-lib/aws-kms#Key.fromKeyArn' &&
          init.arguments[0]?.getText(this.sf) === t.scopeText &&
          init.arguments[2] !== undefined &&
          this.sameArn(init.arguments[2], arnCode),
      );
      if (found) scope.vars.key = found.name;
      else {
        scope.vars.key = this.names.variable(['dynamoDbKey'], anchor.statement);
        this.declare(
          anchor.statement,
          scope.vars.key,
          cdkImportedKey(this.ref, t.scopeText!, this.onceId('DynamoDBKey', anchor, t), arnCode),
          served,
        );
      }
      return scope;
    }
    for (const ph of helperParams(this.mode)) {
      const found = visible.find(({ init }) => {
        if (t.framework === 'pulumi') {
          if (!ts.isCallExpression(init) || this.sym(init.expression) !== `@pulumi/aws#${PULUMI_LOOKUP[ph].fn}`) return false;
          const [args, opts] = init.arguments;
          const noArgs =
            !args || (ts.isObjectLiteralExpression(unwrap(args)) && (unwrap(args) as ts.ObjectLiteralExpression).properties.length === 0);
          const wanted = this.pulumiOptsText(p, false);
          return noArgs && (opts ? same(opts, wanted) : wanted === undefined);
        }
        const cls = `${cdktfLookupModule(ph, layoutOf(t))}#${CDKTF_LOOKUP[ph].cls}`;
        if (!ts.isNewExpression(init) || this.sym(init.expression) !== cls) return false;
        const [s, , config] = init.arguments ?? [];
        if (s?.getText(this.sf) !== t.scopeText) return false;
        if (!config) return p.provider === undefined;
        const c = unwrap(config);
        if (!ts.isObjectLiteralExpression(c)) return false;
        // Only the provider may be set: `name` or `endpoint` would select another Region; and the Region lookup of a
        // table with a `region` of its own, that `region`.
        const own = ph === 'region' ? p.region : undefined;
        const props = c.properties.map((x) => (x.name && ts.isIdentifier(x.name) ? x.name.text : '?'));
        const provider = lookup(this.sf, c, 'provider');
        const region = lookup(this.sf, c, 'region');
        return (
          props.every((n) => n === 'provider' || (own !== undefined && n === 'region')) &&
          (provider.kind === 'value' ? same(provider.value, p.provider) : p.provider === undefined) &&
          (region.kind === 'value' ? same(region.value, own) : own === undefined)
        );
      });
      if (found) {
        scope.vars[ph] = found.name;
        continue;
      }
      // Declared by this plan for an earlier scope of the block (the account and partition of a table with a `region` of its own).
      const own = ph === 'region' && p.region !== undefined;
      const lookupKey = JSON.stringify([ph, t.scopeText, p.provider, own ? p.region : undefined]);
      const earlier =
        t.framework === 'cdktf'
          ? this.lookupsDeclared.find((d) => d.key === lookupKey && d.container === anchor.container && d.at <= at)
          : undefined;
      if (earlier) {
        scope.vars[ph] = earlier.name;
        earlier.entry.tables.push(...served.map((x) => x.address).filter((a) => !earlier.entry.tables.includes(a)));
        continue;
      }
      // `westRegion` for the lookups of a table with `provider: west`; `tableRegion` for the Region a table's own `region` selects.
      const base = ph === 'account' ? 'callerIdentity' : own ? 'tableRegion' : ph;
      const cap = (x: string) => x[0].toUpperCase() + x.slice(1);
      const via = providerName(p.provider);
      const name = this.names.variable(via ? [via + cap(base)] : own ? [base] : [base, 'current' + cap(base)], anchor.statement);
      scope.vars[ph] = name;
      if (t.framework === 'pulumi') {
        const opts = this.pulumiOptsText(p, false);
        this.declare(anchor.statement, name, pulumiLookup(this.ref, ph, opts ? raw(opts) : undefined), served);
      } else {
        const entry = this.declare(
          anchor.statement,
          name,
          cdktfLookup(this.ref, ph, {
            scope: t.scopeText!,
            id: this.onceId((own ? 'Table' : '') + CDKTF_LOOKUP[ph].id + (via ? cap(via) : ''), anchor, t),
            provider: p.provider,
            region: own ? p.region : undefined,
            layout: layoutOf(t),
          }),
          served,
        );
        this.lookupsDeclared.push({ key: lookupKey, container: anchor.container, at, name, entry });
      }
    }
    return scope;
  }
}
