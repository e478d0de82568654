/**
 * CDK, CDKTF, Pulumi and SST programs written in JavaScript (`.js`, `.mjs`, `.cjs`, `.jsx`, ES imports or
 * `require`): their tables are read as a TypeScript file's are and never fixed (kmsfix's fixes write
 * TypeScript); the step says what to write by hand. So are the CloudFormation resources such a file
 * writes as object literals (a file of Resources a serverless.yml includes, `- ${file(resources/tables.js)}`).
 * A Serverless Framework `serverless.js` is not one of them (its resources are fixed: src/formats/typescript/resources.ts).
 * A JavaScript file beside a TypeScript one of the same name is its compiler's output, left out by
 * discovery (src/io/discover.ts); one compiled elsewhere (`outDir: dist`) is told by what compilers write.
 */
import { SERVERLESS_JS } from './entry.js';
import { isJavaScript } from './parse.js';
import type { TableClass } from './tableClasses.js';
import { CUSTOMER_KEY } from './sst.js';

/** A JavaScript file other than a Serverless Framework service: its constructs are read, never fixed. */
export const isJavaScriptProgram = (path: string) => isJavaScript(path) && !SERVERLESS_JS.test(path);

/**
 * A compiler's or bundler's output (tsc, esbuild, Babel write `__esModule` in CommonJS output, and a
 * source map comment when asked): its tables are its sources', counted there.
 */
export const isCompiledJavaScript = (text: string) => text.includes('__esModule') || text.includes('//# sourceMappingURL=');

/** What a fix of the table would write, by hand (undefined: a class never fixed, whose own obstacle says why). */
const SETTINGS: Partial<Record<TableClass, string>> = {
  CfnResource:
    "`SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': ['<Table>Key', 'Arn'] } }` " +
    "in its Properties, with `<Table>Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, KeyPolicy: ... } }` in the same Resources",
  Table: '`encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: key` with `const key = new kms.Key(this, ...)`',
  TableV2: '`encryption: TableEncryptionV2.customerManagedKey(key)` with `const key = new kms.Key(this, ...)`',
  CfnTable:
    "`sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: key.keyArn }` with `const key = new kms.Key(this, ...)`",
  DynamodbTable: '`serverSideEncryption: { enabled: true, kmsKeyArn: key.arn }` with `const key = new KmsKey(this, ...)`',
  PulumiTable: '`serverSideEncryption: { enabled: true, kmsKeyArn: key.arn }` with `const key = new aws.kms.Key(...)`',
};

/** The manual step for a table of a JavaScript program, or undefined for a class never fixed anyway. */
export function javaScriptStep(kind: TableClass): string | undefined {
  const settings = SETTINGS[kind];
  if (!settings) return undefined;
  const where =
    kind === 'CfnResource' ? 'as kmsfix writes it in a serverless.js' : 'in its props, as kmsfix writes it in a TypeScript file';
  return (
    'the file is JavaScript, which kmsfix reads but does not rewrite (it rewrites TypeScript files and serverless.js): give the table ' +
    `${CUSTOMER_KEY}, ${where}: ${settings}`
  );
}
