/**
 * YAML anchors, aliases and merge keys (issue 14, items 1 and 2), beyond the fixture pairs
 * (fixtures/cloudformation/yaml-alias-properties, yaml-anchor-shared, yaml-merge-keys,
 * fixtures/pulumi-yaml/anchors): what scan says of a table that cannot be fixed without changing
 * another place, what fix declines when its plan would, and the verification that compares the
 * documents once aliases and merge keys are resolved.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { detectCloudFormation } from '../../../src/formats/cloudformation/detect.js';
import { AnchorIndex, spell } from '../../../src/formats/yaml/anchors.js';
import { allow, fileTexts, resolution, resolvedDifferences, resolvedEntries } from '../../../src/formats/yaml/resolved.js';
import { pair, parseYaml, resolveAlias } from '../../../src/formats/yaml/tree.js';
import { verifyCloudFormation } from '../../../src/formats/cloudformation/verify.js';
import { DEFAULT_FIX_OPTIONS } from '../../../src/engine/pipeline.js';

const TABLE = (name: string, sse: string, extra = '') => `  ${name}:
    Type: AWS::DynamoDB::Table${extra}
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
${sse}`;

function root(text: string) {
  return parseYaml(text)[0].root;
}

describe('paths in messages', () => {
  it('are spelled from their steps: keys joined by dots, indexes in brackets', () => {
    expect(spell([])).toBe('');
    expect(spell(['Resources', 'T', 'Tags', 0, 'Key'])).toBe('Resources.T.Tags[0].Key');
    expect(spell([0, 'Key', 1])).toBe('[0].Key[1]');
    expect(spell(['', 'x'])).toBe('x');
  });

  it('name where each alias sits, and where the resolved documents differ', () => {
    const sites = (text: string) => [...new AnchorIndex(root(text)).sites.values()].flat().map((s) => s.path);
    expect(sites('A: &a {x: 1}\nB:\n  - C: *a\n    D: [1, *a]\n')).toEqual(['B[0].C', 'B[0].D[1]']);
    expect(sites('- &a 1\n- *a\n- {k: *a}\n')).toEqual(['[1]', '[2].k']);
    expect(resolvedDifferences(root('1\n'), root('2\n'))).toEqual(['the document changed']);
    expect(resolvedDifferences(root('- a: [1, {b: 2}]\n'), root('- a: [1, {b: 3}]\n'))).toEqual(['[0].a[1].b changed']);
    expect(resolvedDifferences(root('- a: 1\n'), root('- b: 1\n'))).toEqual(['[0].a was removed', '[0].b was added']);
  });
});

describe('resolved documents', () => {
  it('expand aliases and merge keys, own keys winning', () => {
    const a = root('base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n');
    const b = root('base: {x: 1, y: 2}\nm: {x: 1, y: 3}\n');
    expect(resolvedDifferences(a, b)).toEqual([]);
    const c = root('base: {x: 1, y: 2}\nm: {x: 1, y: 2}\n');
    expect(resolvedDifferences(a, c)).toEqual(['m.y changed']);
  });

  it('see a change made inside an anchor at every alias of it, and only allow what is allowed', () => {
    const before = root('a: &s {on: false}\nb: *s\n');
    const after = root('a: &s {on: true}\nb: *s\n');
    expect(resolvedDifferences(before, after, allow([{ path: ['a'], leaf: { any: true } }]))).toEqual(['b.on changed']);
    expect(
      resolvedDifferences(
        before,
        after,
        allow([
          { path: ['a'], leaf: { any: true } },
          { path: ['b'], leaf: { any: true } },
        ]),
      ),
    ).toEqual([]);
  });

  it('skip what both texts write the same only where it holds no alias (the alias may name a changed anchor)', () => {
    const before = 'a: &s {on: false}\nb: {k: [1, *s]}\nc: {k: [1, 2]}\n';
    const after = 'a: &s {on: true}\nb: {k: [1, *s]}\nc: {k: [1, 2]}\n';
    const [doc] = parseYaml(before);
    expect(doc.aliases).toEqual([before.indexOf('*s')]);
    const texts = fileTexts({ text: before, aliases: doc.aliases! }, { text: after });
    expect(resolvedDifferences(doc.root, root(after), allow([{ path: ['a'], leaf: { any: true } }]), texts)).toEqual(['b.k[1].on changed']);
    // Without the alias offsets, b's text (the same in both) would hide the change.
    expect(resolvedDifferences(doc.root, root(after), allow([{ path: ['a'], leaf: { any: true } }]), { ...texts, aliases: [] })).toEqual(
      [],
    );
  });

  it('report added and removed keys', () => {
    expect(resolvedDifferences(root('m: {x: 1}\n'), root('m: {y: 1}\n'))).toEqual(['m.x was removed', 'm.y was added']);
    expect(resolvedDifferences(root('m: {x: 1}\n'), root('m: {x: 1, y: 1}\n'), allow([{ path: ['m'], leaf: { newKeys: true } }]))).toEqual(
      [],
    );
  });

  // Each mapping merges the two before it: resolving m_n by following every merge key again visits
  // fib(n) mappings (60 would take years); resolved once each, a few thousand entries are copied.
  const mergeDag = (n: number) => {
    let text = 'm0: &m0 {k0: 0}\nm1: &m1 {k1: 1}\n';
    for (let i = 2; i < n; i++) text += `m${i}: &m${i}\n  <<: [*m${i - 1}, *m${i - 2}]\n  k${i}: ${i}\n`;
    return text;
  };
  it('resolve each merged mapping once, charging the entries merge keys copy to the budget', () => {
    const doc = root(mergeDag(60));
    const last = doc?.kind === 'map' ? resolveAlias(doc.pairs[59].value) : null;
    if (last?.kind !== 'map') throw new Error('m59 is not a mapping');
    const res = resolution(10_000);
    const entries = resolvedEntries(last, res);
    // Every key of the chain, beyond the 32 merges deep the recursion used to stop at.
    expect([...(entries?.keys() ?? [])].sort()).toEqual(Array.from({ length: 60 }, (_, i) => `k${i}`).sort());
    // Each mapping's 2 sources copied once: under 2 * 60²/2 entries.
    expect(10_000 - res.budget).toBeLessThan(3_600);
    expect(resolvedDifferences(doc, root(mergeDag(60)))).toEqual([]);
    expect(resolvedDifferences(doc, root(mergeDag(60).replace('k0: 0', 'k0: 1')), allow([{ path: ['m0'], leaf: { any: true } }]))).toEqual([
      'm2.k0 changed',
      ...Array.from({ length: 9 }, (_, i) => `m${i + 3}.k0 changed`),
    ]);
  });

  it('look a key up searching each merged mapping at most once per depth, not once per path to it', () => {
    const doc = root(mergeDag(25));
    if (doc?.kind !== 'map') throw new Error('not a mapping');
    // Count the mappings searched: each search reads its pairs once.
    let reads = 0;
    for (const p of doc.pairs) {
      const m = resolveAlias(p.value);
      if (m?.kind !== 'map') continue;
      const pairs = m.pairs;
      Object.defineProperty(m, 'pairs', {
        get: () => {
          reads++;
          return pairs;
        },
      });
    }
    const last = doc.pairs[24].value;
    expect(pair(last, 'k0')?.value).toMatchObject({ value: 0 });
    expect(pair(last, 'absent')).toBeUndefined();
    // Each of the 25 mappings searched at most once per depth (33) a lookup: 193 reads for both
    // lookups; following every merge key again read 150,000 (fib(25) for the absent key).
    expect(reads).toBeLessThan(2 * 25 * 33);
  });

  it('give up, failing, on a chain of over 1,000 merge keys resolved from its far end, not overflow the stack', () => {
    const chain = (n: number, keys = true) => {
      let text = 'm0: &m0 {k0: 0}\n';
      for (let i = 1; i < n; i++) text += `m${i}: &m${i} {<<: *m${i - 1}${keys ? `, k${i}: ${i}` : ''}}\n`;
      const doc = root(text);
      const last = doc?.kind === 'map' ? resolveAlias(doc.pairs[n - 1].value) : null;
      if (last?.kind !== 'map') throw new Error('not a mapping');
      return { doc, last };
    };
    expect(resolvedEntries(chain(1_000).last, resolution())?.size).toBe(1_000);
    // 1,500 links copy 1.1 million entries, within the budget, but recurse 1,500 deep.
    const res = resolution();
    expect(resolvedEntries(chain(1_500).last, res)).toBeUndefined();
    expect(res.budget).toBeLessThan(0);
    expect(() => resolvedEntries(chain(20_000).last, resolution())).not.toThrow();
    // In document order, each link is resolved before the next: compared in full.
    expect(resolvedDifferences(chain(5_000, false).doc, chain(5_000, false).doc)).toEqual([]);
  });

  it('give up, failing, when the entries merge keys copy exceed the budget', () => {
    // 24 mappings copy about 550 entries per document (and took 300,000 uncharged calls).
    expect(resolvedDifferences(root(mergeDag(24)), root(mergeDag(24)), undefined, undefined, 500)).toEqual([
      'the documents are too large to compare once their aliases are expanded',
    ]);
  });

  // Three levels of 1000-wide sequences of aliases: a billion leaves once expanded, in 12 KB.
  const wideBomb = (leaf: string) => {
    let text = `a0: &a0 [${Array(1000).fill(leaf).join(', ')}]\n`;
    for (let i = 1; i < 3; i++)
      text += `a${i}: &a${i} [${Array(1000)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    return `${text}t: {on: false}\n`;
  };
  it('compare an anchored node with its counterpart once, wherever aliases lead to it', () => {
    const before = wideBomb('x');
    const after = before.replace('on: false', 'on: true');
    const [doc] = parseYaml(before);
    const texts = fileTexts({ text: before, aliases: doc.aliases! }, { text: after });
    // A few thousand nodes compared, not a billion: within a budget of 10,000.
    const allowT = allow([{ path: ['t'], leaf: { any: true } }]);
    expect(resolvedDifferences(doc.root, root(after), allowT, texts, 10_000)).toEqual([]);
    expect(resolvedDifferences(doc.root, root(after), allowT, undefined, 10_000)).toEqual([]);
    // What differs is still found at each place an alias leads to it (up to 10 messages).
    const changed = wideBomb('x').replace('[x,', '[y,');
    expect(resolvedDifferences(root(before), root(changed), {}, undefined, 10_000)).toEqual([
      'a0[0] changed',
      ...Array.from({ length: 9 }, (_, i) => `a1[${i}][0] changed`),
    ]);
  });

  it('charge the nodes reached through an alias that both texts write the same', () => {
    const before = `a: &a [${Array(1000).fill('x').join(', ')}]\nb: *a\nt: {on: false}\n`;
    const after = before.replace('on: false', 'on: true');
    const [doc] = parseYaml(before);
    const texts = fileTexts({ text: before, aliases: doc.aliases! }, { text: after });
    const allowT = allow([{ path: ['t'], leaf: { any: true } }]);
    expect(resolvedDifferences(doc.root, root(after), allowT, texts, 2_000)).toEqual([]);
    expect(resolvedDifferences(doc.root, root(after), allowT, texts, 500)).toEqual([
      'the documents are too large to compare once their aliases are expanded',
    ]);
  });

  it('give up, failing, on exponential alias expansion (a billion laughs) instead of hanging', () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++)
      text += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    // Each anchor compared once while nothing differs...
    expect(resolvedDifferences(root(text), root(text), {}, undefined, 1_000)).toEqual([]);
    // ... and at every place once something does (to name them): then the budget runs out.
    expect(resolvedDifferences(root(`d: 1\n${text}`), root(`d: 2\n${text}`))).toEqual([
      'd changed',
      'the documents are too large to compare once their aliases are expanded',
    ]);
  });
});

describe('verification of a CloudFormation fix on the resolved documents', () => {
  const before = `Resources:\n${TABLE('A', '      SSESpecification: &s\n        SSEEnabled: false\n')}\n${TABLE('B', '      SSESpecification: *s\n')}\n`;
  it('fails a fix of one table that changes another through an anchor', () => {
    const after = before.replace(
      'SSEEnabled: false',
      'SSEEnabled: true\n        SSEType: KMS\n        KMSMasterKeyId: arn:aws:kms:eu-west-1:111122223333:key/k',
    );
    const file = { path: 't.yaml', absPath: '/t.yaml', text: before };
    const problems = verifyCloudFormation(detectCloudFormation(file), detectCloudFormation({ ...file, text: after }), ['A'], {
      ...DEFAULT_FIX_OPTIONS,
      kmsKeyArn: 'x',
    });
    expect(problems).toEqual([
      "outside the tables' encryption settings, Resources.B.Properties.SSESpecification.SSEEnabled changed (YAML aliases and merge keys resolved)",
      "outside the tables' encryption settings, Resources.B.Properties.SSESpecification.SSEType was added (YAML aliases and merge keys resolved)",
      "outside the tables' encryption settings, Resources.B.Properties.SSESpecification.KMSMasterKeyId was added (YAML aliases and merge keys resolved)",
    ]);
  });
  it('fails, without aliases too, a change outside the fixed table (YAML and JSON)', () => {
    const plain = `Resources:\n${TABLE('A', '')}${TABLE('B', '')}`;
    const after = plain.replace(/(  B:[\s\S]*?)PAY_PER_REQUEST/, '$1PROVISIONED');
    const file = { path: 't.yaml', absPath: '/t.yaml', text: plain };
    expect(
      verifyCloudFormation(detectCloudFormation(file), detectCloudFormation({ ...file, text: after }), ['A'], {
        ...DEFAULT_FIX_OPTIONS,
        kmsKeyArn: 'x',
      }),
    ).toEqual([
      "outside the tables' encryption settings, Resources.B.Properties.BillingMode changed (YAML aliases and merge keys resolved)",
    ]);
    const json = JSON.stringify(
      {
        Resources: {
          A: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST' } },
          B: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 1 } },
        },
      },
      null,
      2,
    );
    const jfile = { path: 't.json', absPath: '/t.json', text: json };
    const jafter = json
      .replace('"DelaySeconds": 1', '"DelaySeconds": 2')
      .replace('"PAY_PER_REQUEST"', '"PAY_PER_REQUEST", "SSESpecification": {}');
    expect(
      verifyCloudFormation(detectCloudFormation(jfile), detectCloudFormation({ ...jfile, text: jafter }), ['A'], {
        ...DEFAULT_FIX_OPTIONS,
        kmsKeyArn: 'x',
      }),
    ).toEqual([
      "outside the tables' encryption settings, Resources.B.Properties.DelaySeconds changed (YAML aliases and merge keys resolved)",
    ]);
  });

  it('passes it when both tables are fixed', () => {
    const after = before.replace(
      'SSEEnabled: false',
      'SSEEnabled: true\n        SSEType: KMS\n        KMSMasterKeyId: arn:aws:kms:eu-west-1:111122223333:key/k',
    );
    const file = { path: 't.yaml', absPath: '/t.yaml', text: before };
    expect(
      verifyCloudFormation(detectCloudFormation(file), detectCloudFormation({ ...file, text: after }), ['A', 'B'], {
        ...DEFAULT_FIX_OPTIONS,
        kmsKeyArn: 'x',
      }),
    ).toEqual([]);
  });
});

describe('tables whose settings go through anchors', () => {
  it('a setting of SSESpecification that is an anchor used elsewhere: that table is not fixable, the file’s others are fixed', async () => {
    const text =
      'Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n        SSEEnabled: &off false\n' +
      '      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: *off\n' +
      '  U:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n';
    const scan = (await processMemory([{ path: 't.yaml', text }], 'scan')).outcomes[0].tables;
    expect(scan.map((t) => [t.address, t.fixable])).toEqual([
      ['T', false],
      ['U', true],
    ]);
    expect(scan[0].message).toContain(
      'a setting of its SSESpecification is the YAML anchor &off, which Resources.T.Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled also uses',
    );
    const f = await processMemory([{ path: 't.yaml', text }], 'fix');
    expect([f.outcomes[0].error, f.outcomes[0].tables.map((t) => t.fixed ?? false)]).toEqual([undefined, [false, true]]);
    expect(f.output.get('t.yaml')).toContain('SSEEnabled: &off false');
  });

  it('scan: a table whose Properties another resource aliases is not fixable, and says where', async () => {
    const text = `Resources:\n${TABLE('Audit', '', '').replace('Properties:', 'Properties: &p')}  Copy:\n    Type: AWS::CloudFormation::WaitConditionHandle\n    Metadata:\n      Props: *p\n`;
    const r = await processMemory([{ path: 't.yaml', text }], 'scan');
    const t = r.outcomes[0].tables[0];
    expect(t.fixable).toBe(false);
    expect(t.message).toContain('its Properties is the YAML anchor &p, which Resources.Copy.Metadata.Props also uses');
    const f = await processMemory([{ path: 't.yaml', text }], 'fix');
    expect(f.output.get('t.yaml')).toBe(text);
  });

  it('fix: declines a table whose anchored settings a table left alone aliases (a suppressed one)', async () => {
    const text = `Resources:\n${TABLE('A', '      SSESpecification: &s\n        SSEEnabled: false\n')}${TABLE('B', '      SSESpecification: *s\n', '\n    Metadata:\n      kmsfix:\n        ignore: true')}`;
    const r = await processMemory([{ path: 't.yaml', text }], 'fix');
    const o = r.outcomes[0];
    expect(o.error).toBeUndefined();
    expect(r.output.get('t.yaml')).toBe(text);
    const a = o.tables.find((t) => t.address === 'A')!;
    expect(a.fixable).toBe(false);
    expect(a.message).toContain('its settings are in the YAML anchor &s, which Resources.B.Properties.SSESpecification also uses');
  });

  it('a merged SSESpecification counts: a customer-managed key through a merge key is compliant', async () => {
    // With SSEType: KMS, which CloudFormation requires beside a key (without it the table is aws-managed: cfn-lint E3021).
    const text = `Metadata:\n  E: &e\n    SSESpecification:\n      SSEEnabled: true\n      SSEType: KMS\n      KMSMasterKeyId: arn:aws:kms:eu-west-1:111122223333:key/k\nResources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      <<: *e\n      BillingMode: PAY_PER_REQUEST\n`;
    const r = await processMemory([{ path: 't.yaml', text }], 'scan');
    expect(r.outcomes[0].tables[0].status).toBe('customer-managed');
  });

  it('Pulumi YAML: a table whose serverSideEncryption an output aliases is not fixable', async () => {
    const text = `name: p\nruntime: yaml\nresources:\n  t:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: id\n      serverSideEncryption: &sse\n        enabled: false\noutputs:\n  sse: *sse\n`;
    const r = await processMemory([{ path: 'Pulumi.yaml', text }], 'fix');
    const t = r.outcomes[0].tables[0];
    expect(t.fixable).toBe(false);
    expect(t.message).toContain('its serverSideEncryption is the YAML anchor &sse, which outputs.sse also uses');
    expect(r.output.get('Pulumi.yaml')).toBe(text);
  });
});
