/**
 * Random infrastructure templates for the property tests: CloudFormation YAML with random style
 * (indent unit, flush or indented sequences, quoting, short or long intrinsics, flow mappings,
 * comments, CRLF, BOM, final newline) and every SSE state; CloudFormation JSON, Terraform and CDK
 * from the benchmark generator with random comments, indentation and line endings.
 */
import { cdk, cfnJson, prng, terraform, type Prng } from '../../bench/generate.mjs';

export interface Generated {
  path: string;
  text: string;
}

type YNode = { k: 'map'; pairs: [string, YNode][]; flow?: boolean } | { k: 'seq'; items: YNode[] } | { k: 's'; v: string };

interface YStyle {
  indent: number;
  flushSeq: boolean;
  short: boolean;
  quote: 'plain' | 'single' | 'double';
}

const m = (pairs: [string, YNode][], flow = false): YNode => ({ k: 'map', pairs, flow });
const s = (v: string): YNode => ({ k: 's', v });
const seq = (items: YNode[]): YNode => ({ k: 'seq', items });

function str(st: YStyle, v: string): string {
  if (st.quote === 'single') return `'${v.replace(/'/g, "''")}'`;
  if (st.quote === 'double') return JSON.stringify(v);
  return /^[A-Za-z][\w./-]*$/.test(v) ? v : `'${v}'`;
}

function ref(st: YStyle, name: string): YNode {
  return st.short ? s(`!Ref ${name}`) : m([['Ref', s(name)]]);
}

function getAtt(st: YStyle, name: string, attr: string): YNode {
  return st.short ? s(`!GetAtt ${name}.${attr}`) : m([['Fn::GetAtt', seq([s(name), s(attr)])]], true);
}

function flowText(n: YNode): string {
  if (n.k === 's') return n.v;
  if (n.k === 'seq') return `[${n.items.map(flowText).join(', ')}]`;
  return `{${n.pairs.map(([k, v]) => `${k}: ${flowText(v)}`).join(', ')}}`;
}

function render(n: YNode, st: YStyle, r: Prng, depth: number, out: string[], comment: () => string): void {
  const pad = ' '.repeat(st.indent * depth);
  if (n.k === 'map') {
    for (const [key, v] of n.pairs) {
      if (r.chance(0.08)) out.push(`${pad}# ${comment()}`);
      const trail = r.chance(0.1) ? ` # ${comment()}` : '';
      if (v.k === 's') out.push(`${pad}${key}: ${v.v}${trail}`);
      else if ((v.k === 'map' && v.flow) || (v.k === 'seq' && v.items.length === 0)) out.push(`${pad}${key}: ${flowText(v)}${trail}`);
      else {
        out.push(`${pad}${key}:${trail}`);
        render(v, st, r, v.k === 'seq' && st.flushSeq ? depth : depth + 1, out, comment);
      }
    }
  } else if (n.k === 'seq') {
    for (const item of n.items) {
      if (item.k === 's') out.push(`${pad}- ${item.v}`);
      else if (item.k === 'map' && !item.flow && item.pairs.length > 0) {
        const sub: string[] = [];
        render(item, st, r, 0, sub, comment);
        const inner = ' '.repeat(pad.length + 2);
        // The first line follows the dash; comment lines inside keep the item's column.
        sub.forEach((line, i) => {
          out.push(i === 0 ? `${pad}- ${line}` : `${inner}${line.replace(/^ {0}/, '')}`);
        });
      } else out.push(`${pad}- ${flowText(item)}`);
    }
  }
}

/** A random CloudFormation (or SAM) YAML template with 1-3 tables in any SSE state. */
export function randomCfnYaml(seed: number): Generated {
  const r = prng(seed);
  const st: YStyle = {
    indent: r.pick([2, 4]),
    flushSeq: r.chance(0.3),
    short: r.chance(0.7),
    quote: r.pick(['plain', 'single', 'double'] as const),
  };
  const comments = ['owned by team data', 'TODO: encrypt', 'see runbook: SSE', 'KMSMasterKeyId: later', 'Type: AWS::DynamoDB::Table'];
  const comment = () => r.pick(comments);
  const params: [string, YNode][] = [
    ['KeyArn', m([['Type', s('String')]])],
    [
      'Enc',
      m([
        ['Type', s('String')],
        ['Default', s(str(st, 'true'))],
      ]),
    ],
  ];
  const resources: [string, YNode][] = [];
  const n = r.int(1, 3);
  for (let i = 0; i < n; i++) {
    const name = r.pick(['Orders', 'Users', 'Audit', 'Ledger']) + 'Table' + i;
    const kind = r.pick(['AWS::DynamoDB::Table', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Serverless::SimpleTable']);
    const props: [string, YNode][] = [];
    if (kind !== 'AWS::Serverless::SimpleTable') {
      props.push(['BillingMode', s(str(st, 'PAY_PER_REQUEST'))]);
      props.push([
        'AttributeDefinitions',
        seq([
          m([
            ['AttributeName', s(str(st, 'pk'))],
            ['AttributeType', s('S')],
          ]),
        ]),
      ]);
      props.push([
        'KeySchema',
        seq([
          m([
            ['AttributeName', s(str(st, 'pk'))],
            ['KeyType', s('HASH')],
          ]),
        ]),
      ]);
      if (r.chance(0.3)) {
        props.push([
          'GlobalSecondaryIndexes',
          seq([
            m([
              ['IndexName', s(str(st, 'by-x'))],
              [
                'KeySchema',
                seq([
                  m(
                    [
                      ['AttributeName', s('pk')],
                      ['KeyType', s('HASH')],
                    ],
                    r.chance(0.5),
                  ),
                ]),
              ],
              ['Projection', m([['ProjectionType', s('ALL')]])],
            ]),
          ]),
        ]);
      }
    } else {
      props.push([
        'PrimaryKey',
        m([
          ['Name', s('id')],
          ['Type', s('String')],
        ]),
      ]);
    }
    const sseFlow = r.chance(0.2);
    const variant = r.int(0, 8);
    const sse: [string, YNode][] | undefined =
      variant === 0
        ? undefined
        : variant === 1
          ? [['SSEEnabled', s(r.pick(['false', "'false'", 'False']))]]
          : variant === 2
            ? [['SSEEnabled', s('true')]]
            : variant === 3
              ? [
                  ['SSEEnabled', s('true')],
                  ['SSEType', s('KMS')],
                ]
              : variant === 4
                ? [
                    ['SSEEnabled', s('true')],
                    ['SSEType', s('KMS')],
                    ['KMSMasterKeyId', s(str(st, 'alias/aws/dynamodb'))],
                  ]
                : variant === 5
                  ? [
                      ['SSEEnabled', s('true')],
                      ['KMSMasterKeyId', ref(st, 'KeyArn')],
                    ]
                  : variant === 6
                    ? [['SSEEnabled', ref(st, 'Enc')]]
                    : variant === 7
                      ? [
                          ['SSEEnabled', s('true')],
                          ['SSEType', s('KMS')],
                          ['KMSMasterKeyId', getAtt(st, 'SomeKey', 'Arn')],
                        ]
                      : [
                          ['KMSMasterKeyId', s(str(st, 'arn:aws:kms:us-east-1:111122223333:key/abc'))],
                          ['SSEEnabled', s('false')],
                        ];
    if (kind === 'AWS::DynamoDB::GlobalTable') {
      if (sse)
        props.push([
          'SSESpecification',
          m(
            sse.filter(([k]) => k !== 'KMSMasterKeyId'),
            sseFlow,
          ),
        ]);
      const replicas: YNode[] = [m([['Region', ref(st, 'AWS::Region')]])];
      if (r.chance(0.3)) replicas.push(m([['Region', s('eu-west-1')]]));
      props.push(['Replicas', seq(replicas)]);
    } else if (sse) props.push(['SSESpecification', m(sse, sseFlow)]);
    if (r.chance(0.2))
      props.push(['TableName', st.short ? s(`!Sub '\${AWS::StackName}-${i}'`) : m([['Fn::Sub', s(`'\${AWS::StackName}-${i}'`)]])]);
    const res: [string, YNode][] = [['Type', s(kind)]];
    if (r.chance(0.3)) res.push(['DeletionPolicy', s('Retain')]);
    if (r.chance(0.1))
      res.push([
        'Metadata',
        m([
          [
            'checkov',
            m([
              [
                'skip',
                seq([
                  m([
                    ['id', s('CKV_AWS_119')],
                    ['comment', s(str(st, 'accepted'))],
                  ]),
                ]),
              ],
            ]),
          ],
        ]),
      ]);
    res.push(['Properties', m(props)]);
    resources.push([name, m(res)]);
    if (r.chance(0.5))
      resources.push([
        `${name}Fn`,
        m([
          ['Type', s('AWS::Lambda::Function')],
          [
            'Properties',
            m([
              ['Runtime', s('nodejs20.x')],
              ['Environment', m([['Variables', m([['TABLE', ref(st, name)]])]])],
            ]),
          ],
        ]),
      ]);
  }
  const top: [string, YNode][] = [['AWSTemplateFormatVersion', s(str(st, '2010-09-09'))]];
  if (r.chance(0.2)) top.push(['Transform', s('AWS::Serverless-2016-10-31')]);
  top.push(['Parameters', m(params)], ['Resources', m(resources)]);
  const lines: string[] = [];
  if (r.chance(0.3)) lines.push(`# ${comment()}`);
  render(m(top), st, r, 0, lines, comment);
  let text = lines.join('\n') + (r.chance(0.85) ? '\n' : '');
  if (r.chance(0.2)) text = text.replace(/\n/g, '\r\n');
  if (r.chance(0.1)) text = '\uFEFF' + text;
  return { path: r.pick(['template.yaml', 'stack.yml', 'app.template']), text };
}

function addLineComments(r: Prng, text: string, marker: string, p: number): string {
  return text
    .split('\n')
    .map((l) => (/[\w"')\]}]\s*$/.test(l) && !/^\s*(#|\/\/)/.test(l) && r.chance(p) ? `${l} ${marker} note` : l))
    .join('\n');
}

export function randomJson(seed: number): Generated {
  const r = prng(seed);
  let text = cfnJson(r);
  if (r.chance(0.4)) text = JSON.stringify(JSON.parse(text), null, r.pick([2, 4, '\t'])) + (r.chance(0.5) ? '\n' : '');
  if (r.chance(0.2)) text = text.replace(/\n/g, '\r\n');
  if (r.chance(0.1)) text = '\uFEFF' + text;
  return { path: r.pick(['stack.json', 'app.template.json', 'x.template']), text };
}

export function randomTerraform(seed: number): Generated {
  const r = prng(seed);
  let text = addLineComments(r, terraform(r), r.pick(['#', '//']), 0.1);
  if (r.chance(0.2)) text = text.replace(/\n/g, '\r\n');
  return { path: 'main.tf', text };
}

export function randomCdk(seed: number): Generated {
  const r = prng(seed);
  let text = addLineComments(r, cdk(r), '//', 0.05);
  if (r.chance(0.3)) text = text.replace(/;\n/g, '\n');
  if (r.chance(0.3)) text = text.replace(/^( +)/gm, (sp) => sp.replace(/ {2}/g, '    '));
  if (r.chance(0.2)) text = text.replace(/\n/g, '\r\n');
  return { path: 'stack.ts', text };
}

export const GENERATORS: Record<string, (seed: number) => Generated> = {
  'cloudformation-yaml': randomCfnYaml,
  'cloudformation-json': randomJson,
  terraform: randomTerraform,
  cdk: randomCdk,
};
