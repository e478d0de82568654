/**
 * Deploy-tool output committed beside its source (real-world round 38, F1): the template `sam package`
 * (or `aws cloudformation package`) writes with `--output-template-file packaged.yaml`, every code
 * location rewritten to the object it uploaded (`CodeUri: s3://<bucket>/<md5>`), and the template the
 * Serverless Framework compiles into `.serverless/` (`cloudformation-template-update-stack.json`, with
 * the `ServerlessDeploymentBucket` only the Framework names so), copied out to the repository's root.
 * The next package regenerates either from its source, so a fix there is lost; and where the source has
 * an error (a duplicate key) only the copy was fixed, the user seeing a fix the next package undoes.
 * Their tables are reported (still counted by a scan), never fixed: a `code-shape` obstacle whose step
 * names the source, as Amplify's built templates are declined (detect.ts AMPLIFY_BUILD_STEP).
 *
 * Exact on purpose: a hand-written template that deploys one uploaded object (`CodeUri: s3://b/app.zip`)
 * is the project's own. `sam package` output is told by strong signals only: every code location of the
 * template an uploaded object named by its MD5 (32 hex digits), or `Metadata: SamResourceId` (which the
 * SAM CLI writes) on each table; and, either way, a source template found beside it or in a folder above
 * (one that declares a table of the same logical ID and is not packaged output itself). The Serverless
 * Framework's compiled template is told by its name and `ServerlessDeploymentBucket`; its source is named
 * when found.
 */
import path from 'node:path';
import { decide } from '../../rule/cmk.js';
import { isFixableStatus } from '../../rule/status.js';
import { escapeRegExp } from '../../core/text.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { type CMap, type CNode, child, pair, resolveAlias, scalarString } from '../yaml/tree.js';
import type { CfnDetection, CfnTable } from './tableTypes.js';

/**
 * The property `sam package` rewrites to the object it uploads, by resource type (samcli/lib/package/
 * packageable_resources.py); read by type, as `Location` or `Content` mean other things elsewhere (an SSM document's body).
 */
const LOCATIONS: Record<string, string> = {
  'AWS::Serverless::Function': 'CodeUri',
  'AWS::Serverless::LayerVersion': 'ContentUri',
  'AWS::Serverless::Api': 'DefinitionUri',
  'AWS::Serverless::HttpApi': 'DefinitionUri',
  'AWS::Serverless::StateMachine': 'DefinitionUri',
  'AWS::Serverless::GraphQLApi': 'SchemaUri',
  'AWS::Serverless::Application': 'Location',
  'AWS::Lambda::Function': 'Code',
  'AWS::Lambda::LayerVersion': 'Content',
  'AWS::CloudFormation::Stack': 'TemplateURL',
  'AWS::ApiGateway::RestApi': 'BodyS3Location',
  'AWS::ApiGatewayV2::Api': 'BodyS3Location',
  'AWS::StepFunctions::StateMachine': 'DefinitionS3Location',
  'AWS::AppSync::GraphQLSchema': 'DefinitionS3Location',
};

/** An uploaded object's key: its MD5, with an optional --s3-prefix and extension (`.template`, `.zip`). */
const MD5_KEY = /^(?:[^/]+\/)*[0-9a-f]{32}(?:\.[A-Za-z0-9]+)?$/;
const S3_URI = /^s3:\/\/[^/\s]+\/(.+)$/;
/** `aws cloudformation package` writes a nested template's URL as https (path style or virtual-hosted). */
const S3_URL = /^https:\/\/[^/\s]*s3[^/\s]*\.amazonaws\.com(?:\.cn)?\/(.+)$/;

/** The Serverless Framework's compiled templates (lib/plugins/aws/package/lib/generateCoreTemplate.js, saveCompiledTemplate.js). */
const SLS_COMPILED = /^cloudformation-template-(?:create|update)-stack\.json$/;
const SLS_SOURCES = ['serverless.yml', 'serverless.yaml', 'serverless.ts', 'serverless.js', 'serverless.json'];
/** The names a SAM source template goes by in a folder above the packaged one (`sam init`'s, and the CLI's default). */
const SAM_SOURCES = ['template.yaml', 'template.yml', 'template.json'];

/** How a code location reads: an uploaded object, something else, or not a location (inline code). */
function locationOf(value: CNode | null | undefined): 'uploaded' | 'other' | undefined {
  const node = resolveAlias(value ?? null);
  if (!node) return undefined;
  const s = scalarString(node);
  if (s !== undefined) {
    const key = S3_URI.exec(s)?.[1] ?? S3_URL.exec(s)?.[1];
    return key !== undefined && MD5_KEY.test(key) ? 'uploaded' : 'other';
  }
  if (node.kind !== 'map') return 'other';
  // Code: {S3Bucket, S3Key}, BodyS3Location: {Bucket, Key}; inline code (ZipFile), an image (ImageUri) and a
  // Serverless Application Repository application ({ApplicationId, SemanticVersion}) are left as written.
  const key = scalarString(child(node, 'S3Key') ?? child(node, 'Key'));
  if (key === undefined) return (child(node, 'ZipFile') ?? child(node, 'ImageUri') ?? child(node, 'ApplicationId')) ? undefined : 'other';
  return MD5_KEY.test(key) ? 'uploaded' : 'other';
}

/** Whether every code location of the template's resources is an uploaded object (and there is one). */
function everyLocationUploaded(resources: CMap): boolean {
  let uploaded = 0;
  for (const rp of resources.pairs) {
    const resource = resolveAlias(rp.value);
    const name = LOCATIONS[scalarString(child(resource, 'Type')) ?? ''];
    const found = name === undefined ? undefined : locationOf(child(child(resource, 'Properties'), name));
    if (found === 'other') return false;
    if (found === 'uploaded') uploaded++;
  }
  return uploaded > 0;
}

const samResourceId = (t: CfnTable): boolean => pair(child(t.resource, 'Metadata'), 'SamResourceId') !== undefined;

/**
 * Whether the text holds 32 lowercase hexadecimal digits in a row (an MD5, as `/[0-9a-f]{32}/` finds):
 * only every 32nd character is looked at until one is a digit, then the run around it.
 */
export function holdsMd5(text: string): boolean {
  const n = 32;
  const hex = (i: number) => {
    const c = text.charCodeAt(i);
    return (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
  };
  let i = n - 1;
  while (i < text.length) {
    if (!hex(i)) {
      i += n;
      continue;
    }
    let start = i;
    while (start > i - n + 1 && hex(start - 1)) start--;
    let end = i;
    while (end - start + 1 < n && end + 1 < text.length && hex(end + 1)) end++;
    if (end - start + 1 >= n) return true;
    // No run of n holds end + 1: the next one ends at end + 1 + n at the earliest.
    i = end + 1 + n;
  }
  return false;
}

/** Text that packaged output holds and a source template does not. */
const PACKAGED_TEXT = /SamResourceId|s3:\/\/[^/\s'"]+\/(?:[^/\s'"]+\/)*[0-9a-f]{32}\b/;

/** A source of the packaged template: declares one of its tables' logical IDs (read as text: it may not parse) and is not packaged itself. */
function isSourceOf(candidate: SourceFile, file: SourceFile, ids: string[]): boolean {
  if (candidate.absPath === file.absPath || !candidate.text.includes('Resources') || PACKAGED_TEXT.test(candidate.text)) return false;
  return ids.some((id) => new RegExp(`(?:^|\\n)[ \\t]*(?:\\{\\s*)?["']?${escapeRegExp(id)}["']?[ \\t]*:`).test(candidate.text));
}

/** The source template beside the file (any name) or, by SAM's names, in a folder above. */
async function samSource(file: SourceFile, context: DiskContext, ids: string[]): Promise<SourceFile | undefined> {
  const siblings = await context.siblings().catch(() => [] as SourceFile[]);
  const dir = path.dirname(file.absPath);
  const beside = siblings.filter((s) => path.dirname(s.absPath) === dir && isSourceOf(s, file, ids));
  // template.yaml first: a folder may hold other templates that share a logical ID.
  const named = beside.find((s) => SAM_SOURCES.includes(path.basename(s.path))) ?? beside[0];
  if (named) return named;
  for (const name of SAM_SOURCES) {
    const above = await context.projectFile(file, name, (f) => isSourceOf(f, file, ids));
    if (above) return above;
  }
  return undefined;
}

function step(what: string, source: string | undefined, again: string): string {
  return (
    `the template is ${what}, regenerated from its source at each package, so a change here would be lost: ` +
    `fix the source${source ? `, ${source},` : ''} then ${again}`
  );
}

/** The detection with a `code-shape` obstacle on each fixable table of committed deploy output (see above). */
export function withDeployOutput(
  detection: CfnDetection,
  file: SourceFile,
  context: DiskContext | undefined,
): CfnDetection | Promise<CfnDetection> {
  const marked = detection.tables.filter((t) => isFixableStatus(decide(t.encryption).status));
  if (marked.length === 0) return detection;
  const mark = (text: string) => {
    for (const t of marked) t.encryption.obstacles.push({ kind: 'code-shape', step: text });
    return detection;
  };
  const base = path.basename(file.path);
  if (SLS_COMPILED.test(base) && marked.some((t) => child(t.template.resources, 'ServerlessDeploymentBucket') !== undefined)) {
    const what = `the Serverless Framework's compiled template (\`serverless package\` writes it to .serverless/${base}; it declares ServerlessDeploymentBucket)`;
    const again = 'run `serverless package` (or deploy) again';
    if (!context) return mark(step(what, undefined, again));
    return (async () => {
      for (const name of SLS_SOURCES) {
        const source = await context.projectFile(file, name);
        if (source) return mark(step(what, source.path, again));
      }
      return mark(step(what, undefined, again));
    })();
  }
  if (!context) return detection;
  // A serverless.yml and the files of Resources it includes are the Framework's sources, never sam package's output.
  if (marked.some((t) => t.template.flavor === 'serverless')) return detection;
  const why = marked.every(samResourceId)
    ? 'its resources carry Metadata SamResourceId, which the SAM CLI writes'
    : marked.every((t) => everyLocationUploaded(t.template.resources))
      ? 'every code location is an object it uploaded, s3://<bucket>/<MD5>'
      : undefined;
  // The text's own signal asked last: the tree's answers above are a few lookups, this a pass over the whole text
  // (about 30 ms of a dense CloudFormation scan's 1.35 s: docs/performance.md, sixty-third session).
  if (!why || !(file.text.includes('SamResourceId') || holdsMd5(file.text))) return detection;
  const ids = marked.map((t) => t.resourcePair.key);
  return samSource(file, context, ids).then((source) =>
    source ? mark(step(`\`sam package\` output (${why})`, source.path, 'run `sam package` (or `sam deploy`) again')) : detection,
  );
}
