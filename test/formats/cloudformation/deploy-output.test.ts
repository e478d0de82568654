/**
 * Deploy-tool output committed beside its source (real-world round 38, F1): `sam package`'s packaged.yaml
 * (every code location an uploaded s3://<bucket>/<MD5> object, or Metadata SamResourceId) and the Serverless
 * Framework's compiled cloudformation-template-update-stack.json copied out of .serverless/. kmsfix fixed the
 * copy (and, where the source had an error, only the copy): the next package regenerates it. Its tables are
 * reported, not fixed, the step naming the source; a hand-written template is fixed as before.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/engine/run.js';
import { holdsMd5 } from '../../../src/formats/cloudformation/deployOutput.js';

const TABLE = `  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
      - AttributeName: id
        AttributeType: S
      KeySchema:
      - AttributeName: id
        KeyType: HASH
`;
const sam = (codeUri: string, extra = '') => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ${codeUri}
      Handler: index.handler
      Runtime: nodejs20.x
${extra}${TABLE}`;
const SOURCE = sam('src/');
const PACKAGED = sam('s3://my-artifacts/5946adca9c211e3abd2ccdbd3b62aeb7');
const SLS = `service: orders
provider:
  name: aws
  runtime: nodejs20.x
resources:
  Resources:
${TABLE.replace(/^/gm, '    ').replace(/ +$/, '')}`;
const COMPILED = JSON.stringify(
  {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      ServerlessDeploymentBucket: { Type: 'AWS::S3::Bucket' },
      OrdersTable: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        },
      },
    },
  },
  null,
  2,
);

async function fixed(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-deploy-output-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  const r = await run(['.'], { cwd: dir, mode: 'fix', workers: 0, keyStrategy: 'per-table', acceptAwsManaged: false });
  const tables = r.outcomes.flatMap((o) => o.tables).sort((a, b) => a.file.localeCompare(b.file));
  return { tables, rows: tables.map((t) => [t.file, t.fixable, t.fixed ?? false]) };
}

describe('deploy-tool output committed beside its source', () => {
  it('sam package output beside template.yaml is reported with the step naming the source, not fixed; the source is fixed', async () => {
    const { rows, tables } = await fixed({ 'packaged.yaml': PACKAGED, 'template.yaml': SOURCE });
    expect(rows).toEqual([
      ['packaged.yaml', false, false],
      ['template.yaml', true, true],
    ]);
    expect(tables[0].blocker).toMatch(
      /^the template is `sam package` output \(every code location .*s3:\/\/<bucket>\/<MD5>\).*fix the source, template\.yaml, then run `sam package`/,
    );
  });

  it('sam package output with what it leaves as written (a SAR application, inline code, an SSM document) is still told', async () => {
    const extra = `  App:
    Type: AWS::Serverless::Application
    Properties:
      Location:
        ApplicationId: arn:aws:serverlessrepo:us-east-1:123456789012:applications/x
        SemanticVersion: 1.0.0
  Inline:
    Type: AWS::Lambda::Function
    Properties:
      Code:
        ZipFile: exports.handler = async () => 1
  Doc:
    Type: AWS::SSM::Document
    Properties:
      Content:
        schemaVersion: '2.2'
`;
    const { rows } = await fixed({
      'packaged.yaml': sam('s3://my-artifacts/5946adca9c211e3abd2ccdbd3b62aeb7', extra),
      'template.yaml': SOURCE,
    });
    expect(rows).toEqual([
      ['packaged.yaml', false, false],
      ['template.yaml', true, true],
    ]);
  });

  it('a source with a duplicate key: neither it nor its packaged copy is fixed (only the copy was)', async () => {
    const broken = SOURCE.replace('      Runtime: nodejs20.x\n', '      Runtime: nodejs20.x\n      Timeout: 10\n      Timeout: 20\n');
    const { rows } = await fixed({ 'packaged.yaml': PACKAGED, 'template.yaml': broken });
    expect(rows).toEqual([
      ['packaged.yaml', false, false],
      ['template.yaml', false, false],
    ]);
  });

  it('Metadata SamResourceId, the source template in a folder above', async () => {
    const marked = PACKAGED.replace(
      '      KeyType: HASH\n',
      '      KeyType: HASH\n    Metadata:\n      SamResourceId: OrdersTable\n',
    ).replace(/CodeUri: .*/, 'CodeUri: OrdersFunction');
    const { rows, tables } = await fixed({ 'sam-app/packaged.yaml': marked, 'template.yaml': SOURCE });
    expect(rows).toEqual([
      ['sam-app/packaged.yaml', false, false],
      ['template.yaml', true, true],
    ]);
    expect(tables[0].blocker).toMatch(/Metadata SamResourceId.*fix the source, template\.yaml,/);
  });

  it("the Serverless Framework's compiled template at the root is reported naming serverless.yml; serverless.yml is fixed", async () => {
    const { rows, tables } = await fixed({ 'cloudformation-template-update-stack.json': COMPILED, 'serverless.yml': SLS });
    expect(rows).toEqual([
      ['cloudformation-template-update-stack.json', false, false],
      ['serverless.yml', true, true],
    ]);
    expect(tables[0].blocker).toMatch(
      /compiled template .*ServerlessDeploymentBucket.*fix the source, serverless\.yml, then run `serverless package`/,
    );
  });

  it('hand-written templates are fixed: one uploaded object not named by its MD5, an MD5 object with no source around, a stack template without ServerlessDeploymentBucket', async () => {
    const { rows } = await fixed({
      'one/app.yaml': sam('s3://my-artifacts/orders/app.zip'),
      'one/template.yaml': SOURCE,
      'two/packaged.yaml': PACKAGED,
      'three/cloudformation-template-update-stack.json': COMPILED.replace('ServerlessDeploymentBucket', 'ArtifactsBucket'),
      'three/serverless.yml': SLS.replace('OrdersTable', 'OtherTable'),
      'four/packaged.yaml': sam(
        's3://my-artifacts/5946adca9c211e3abd2ccdbd3b62aeb7',
        `  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      DefinitionUri: ./api.yaml\n`,
      ),
      'four/template.yaml': SOURCE,
    });
    expect(rows).toEqual([
      ['four/packaged.yaml', true, true],
      ['four/template.yaml', true, true],
      ['one/app.yaml', true, true],
      ['one/template.yaml', true, true],
      ['three/cloudformation-template-update-stack.json', true, true],
      ['three/serverless.yml', true, true],
      ['two/packaged.yaml', true, true],
    ]);
  });
});

describe('holdsMd5: 32 lowercase hexadecimal digits in a row, as /[0-9a-f]{32}/ finds them', () => {
  it('answers as the regular expression for runs of every length at every offset, among other characters', () => {
    const md5 = /[0-9a-f]{32}/;
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    const alphabet = '0123456789abcdefABCDEFgxyz/ -\n';
    let found = 0;
    for (let round = 0; round < 4000; round++) {
      const parts: string[] = [];
      const pieces = next() % 6;
      for (let p = 0; p < pieces; p++) {
        const length = next() % 70;
        // Runs of hex digits near 32 long, broken by other characters now and then.
        const hexOnly = next() % 3 !== 0;
        let piece = '';
        for (let i = 0; i < length; i++) piece += hexOnly ? alphabet[next() % 16] : alphabet[next() % alphabet.length];
        parts.push(piece);
      }
      const text = parts.join(alphabet[16 + (next() % (alphabet.length - 16))]);
      expect(holdsMd5(text), JSON.stringify(text)).toBe(md5.test(text));
      if (md5.test(text)) found++;
    }
    for (const text of [
      '',
      'a'.repeat(31),
      'a'.repeat(32),
      `x${'0'.repeat(32)}`,
      `${'f'.repeat(31)}g${'f'.repeat(31)}`,
      `${'F'.repeat(32)}`,
    ])
      expect(holdsMd5(text), text).toBe(md5.test(text));
    expect(found).toBeGreaterThan(100);
  });
});
