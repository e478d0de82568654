/**
 * Cheap registry entry for the TypeScript family (AWS CDK, CDK for Terraform, Pulumi, serverless.ts and
 * serverless.js; the same programs in JavaScript): TypeScript loads only when a file needs it.
 */
import type { FormatEntry } from '../../core/types.js';

// `AWS::DynamoDB::`: CloudFormation resources written as object literals (a Serverless Framework serverless.ts).
// `@aws-amplify/backend`: an Amplify Gen2 data resource, whose `a.model()`s are tables.
// SST v3's `sst.aws.Dynamo` component (src/formats/typescript/sst.ts). AWS Solutions Constructs that create a table
// (`@aws-solutions-constructs/aws-lambda-dynamodb`, src/formats/typescript/solutionsConstructs.ts).
const MARKERS =
  /aws-dynamodb|aws_dynamodb|DynamodbTable|dynamodb\.Table|@pulumi\/aws|AWS::DynamoDB::|@aws-amplify\/backend|sst\.aws\.Dynamo|@aws-solutions-constructs\/aws-[\w-]*dynamodb|@pulumi\/cloud/;
/**
 * A `new` of a table class under a name of its own (`new MyTable(...)`, `new t.Table(...)`) in a file that imports a
 * module of the project, which may re-export the class (src/formats/typescript/reexports.ts).
 */
const RELATIVE_IMPORT = /\bfrom\s*['"]\.\.?\//;
const NEW_TABLE = /\bnew\s+[\w$.]*Table\w*\s*[(<]/;
/** SST v2's constructs: a file that imports them and names a `Table`. */
const SST_V2 = /sst\/constructs|@serverless-stack\/resources/;

/** A Serverless Framework service written in JavaScript (`serverless.js`, `.cjs`, `.mjs`): read for its resources alone. */
export const SERVERLESS_JS = /(?:^|[\\/])serverless\.[cm]?js$/i;

// TypeScript files: `.ts`, ESM `.mts`, CommonJS `.cts` and `.tsx` (parsed with JSX: parse.ts scriptKindOf), not
// declarations (`.d.ts`, `.d.mts`, `.d.cts`). JavaScript files (`.js`, `.mjs`, `.cjs`, `.jsx`): CDK, CDKTF, Pulumi
// and SST programs, read and never fixed (src/formats/typescript/javascript.ts), and serverless.js; not a minified
// bundle (`*.min.js`: vendored front-end code, megabytes read for nothing). `.mts`, `.cts` and `.tsx` were never
// read: a table there was missed without a word. The prefilter lets in only those that name a table's module.
export const typescriptEntry: FormatEntry = {
  name: 'typescript',
  accepts: (path) =>
    (/\.(?:[cm]?ts|tsx)$/i.test(path) && !/\.d\.[cm]?ts$/i.test(path)) ||
    (/\.(?:[cm]?js|jsx)$/i.test(path) && !/\.min\.(?:[cm]?js|jsx)$/i.test(path)),
  prefilter: (text) =>
    MARKERS.test(text) ||
    (SST_V2.test(text) && /\bTable\b/.test(text)) ||
    (NEW_TABLE.test(text) && RELATIVE_IMPORT.test(text)) ||
    (/\bResources\s*:/.test(text) && /dynamo|KeySchema/i.test(text)),
  load: async () => (await import('./index.js')).typescript,
};
