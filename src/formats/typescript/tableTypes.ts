/**
 * What the TypeScript family's detection holds: a table (TsTable: its facts, its class, the nodes a fix edits) and a
 * file's detection (TsDetection), with the construct call of a table created by code (constructOf).
 */
import type { DeployRegion, Detection, TableFacts } from '../../core/types.js';
import type { PulumiKeep } from '../pulumi/retention.js';
import type { FileRef } from '../serverless/fileValues.js';
import type { bindings, ImportInfo } from './imports.js';
import { ts } from './parse.js';
import type { Wanted } from './projectValues.js';
import type { Framework, Generation, TableClass } from './tableClasses.js';

export interface TsTable extends TableFacts {
  kind: TableClass;
  framework: Framework;
  generation: Generation;
  /**
   * The `new` expression, or for a subclass of a table class the `super(...)` call in its constructor;
   * for a CloudFormation resource written as an object literal (`serverless.ts`), that literal.
   */
  node: ts.NewExpression | ts.CallExpression | ts.ObjectLiteralExpression;
  /**
   * CDK: the constructs of the file (by the variable that holds them) its resource policy lets in, and where
   * (resourcePolicy.ts; named by iamRoles.ts under --key-policy iam: a resource policy cannot grant KMS).
   */
  policyPrincipals?: { name: string; at: number }[];
  /** The props / config / args object literal, when the table has one. */
  props?: ts.ObjectLiteralExpression;
  /** The construct id (CDK, CDKTF) or resource name (Pulumi) expression. */
  idNode?: ts.Expression;
  /** CDK, CDKTF: the scope argument, as written. */
  scopeText?: string;
  /** The statement that creates the table (its alias goes after it). */
  statement?: ts.Statement;
  /** The statement the key is declared before, when not `statement`: the `const` that holds the props. */
  keyStatement?: ts.Statement;
  /**
   * The name of the `const` that holds the props, when that const cannot change for this table alone
   * (shared with other tables, used elsewhere, or declared where the key cannot precede it): a fix
   * gives the table its own props there, `{ ...name, <settings> }`, and leaves the const as it is.
   */
  spreadOf?: ts.Identifier;
  /**
   * CDK TableV2: the stack classes it is created in (directly, or through the Construct classes of the file
   * that hold it), when the file exports them and never creates them: the app's entry decides whether the
   * stack has a Region (src/formats/typescript/cdkApp.ts).
   */
  stackClasses?: ts.ClassDeclaration[];
  /**
   * CDK TableV2 in a Construct class the file exports (its own, or one holding its own): the stacks of the
   * files that import and create it decide (src/formats/typescript/cdkApp.ts).
   */
  constructClasses?: ts.ClassDeclaration[];
  /**
   * CDK TableV2 whose stack's Region the file does not show (nor, through stackClasses, the app's entry):
   * Region-agnostic when the app gives no stack an env (src/formats/typescript/appEnv.ts).
   */
  regionOpen?: boolean;
  /**
   * CDKTF: the table sets its own `region`, which its key and alias can repeat (options.ts): its
   * `resource-region` obstacle is lifted when the project's @cdktf/provider-aws has `region` (cdktfRegion.ts).
   */
  regionMovable?: boolean;
  /**
   * Pulumi: what keeps the table past a destroy beside its own options, read from its app: an SST v3 app's
   * `removal` (sstRemoval.ts), which SST applies as retainOnDelete. retention.ts destroyKeeps adds it.
   */
  appKeeps?: PulumiKeep[];
}

/** The construct call of a table created by code (every table a fix changes): its `new` or `super(...)`. */
export function constructOf(t: TsTable): ts.NewExpression | ts.CallExpression {
  if (ts.isObjectLiteralExpression(t.node)) throw new Error(`${t.address} is a resource object, not a construct`);
  return t.node;
}

export interface TsDetection extends Detection {
  tables: TsTable[];
  sf: ts.SourceFile;
  imports: ImportInfo[];
  binds: ReturnType<typeof bindings>;
  /** The files a serverless.ts's keys read (`${file(...)}`: serverless/fileValues.ts), when a table's key reads one. */
  fileRefs?: FileRef[];
  /** The project's values a key met needs and the detection was not given (projectValues.ts Wanted), for a second detection (index.ts). */
  wants?: Wanted[];
  /**
   * A file of resources a serverless.ts spreads into its Resources (serviceImports.ts): that service's Regions
   * (serviceRegions.ts), which its tables deploy to (index.ts serviceRegionsOf; --kms-key-arn).
   */
  importerRegions?: DeployRegion[];
  /** The project's modules (as the file imports them) a `new` or a class's `extends` reaches a name of, for a second detection with what they re-export (reexports.ts). */
  reexporting?: string[];
}
