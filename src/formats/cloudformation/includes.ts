/**
 * How the Serverless Framework service files above a file of Resources include it with `${file(...)}`,
 * read through the engine (DiskContext.projectFile) when detect finds a table a fix would change in a
 * file that could be included: a table included by its key alone gets the `key-include` obstacle (scan
 * and fix say the same), and fix learns whether a service file includes the file whole (the Framework
 * then resolves its `${...}`: no Fn::Sub is written there), and the cautions the service file gives
 * its tables (a permissions boundary, DynamoDB Local migrations). A normal template pays nothing.
 */
import path from 'node:path';
import { decide } from '../../rule/cmk.js';
import { isFixableStatus } from '../../rule/status.js';
import { globalTablesPlugin } from '../../rule/blockers.js';
import { GLOBAL_TABLES_PLUGIN, LOCAL_MIGRATION_PLUGIN } from '../../rule/facts.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { pair, parseYaml, type CNode } from '../yaml/tree.js';
import type { CfnDetection, CfnTemplate } from './tableTypes.js';
import { includedGrants, mayGrantGlobalTables, type ApiGlobalTables } from './apiGlobalTables.js';
import { serviceBoundaries } from './cautions.js';
import { tablesOf } from '../cfn-values/iamStatements.js';

/** A LOCAL_MIGRATION_PLUGIN named in a service file's text, as a list item or a quoted string. */
const LOCAL_PLUGIN_IN_TEXT = new RegExp(`(?:^|[\\s'"[,])(${LOCAL_MIGRATION_PLUGIN.source.slice(1, -1)})(?=['"\\s,\\]]|$)`, 'm');

/** The Serverless Framework service files that may include a file of Resources with `${file(...)}`. */
const SERVICE_FILES = ['serverless.yml', 'serverless.yaml', 'serverless.ts'];

/** How the service files above a file of Resources include it. */
export interface Includes {
  /**
   * Its keys included one by one, `${file(resources/orders.yml):OrdersTable}` (a dotted path,
   * `:Resources.OrdersTable`, for a template): only that key's value is deployed. Key -> the include
   * as the service file writes it.
   */
  keys: Map<string, string>;
  /** A service file that includes it whole, `${file(resources/tables.yml)}`: the Framework resolves its `${...}`. */
  whole?: string;
  /**
   * A service file that includes it lists serverless-create-global-dynamodb-table with its
   * custom.globalTables (read from the text; `v2`: `version: v2`): its tables are joined into global tables.
   */
  globalTables?: { v2: boolean };
  /**
   * What the including service file says of every role of the stack (read from its text): a
   * permissions boundary (each setting that gives one, `serverless.yml: functions.api.iamPermissionsBoundary`:
   * boundariesIn), and a plugin that migrates its tables into DynamoDB Local. The file's tables get the
   * cautions an inline table of that service gets.
   */
  boundary?: string[];
  localPlugin?: string;
  /**
   * A service file that includes it grants a global-table API (`dynamodb:CreateGlobalTable`, ...:
   * apiGlobalTables.ts), read from its parsed text: the grant joins the included file's tables as it
   * joins the service's own.
   */
  grants?: { text: string; root: CNode | null; path: string };
}

/**
 * A template a service file may include: a bare file of Resources, or a file of `Resources:` without
 * AWSTemplateFormatVersion (a template CloudFormation deploys on its own declares it more often than not).
 */
export function includable(t: CfnTemplate): boolean {
  if (t.lone) return false;
  return t.resourcesPath.length === 0 || (t.flavor === 'cloudformation' && !pair(t.root, 'AWSTemplateFormatVersion'));
}

/** The key a service file writes to include one table of the template alone (`OrdersTable`, `Resources.OrdersTable`). */
export function includeKey(t: CfnTemplate, address: string): string {
  return [...t.resourcesPath, address].join('.');
}

/**
 * Does a service file include the file so that the Framework resolves the `${...}` a fix writes with
 * its tables: whole, or a template's whole Resources (`${file(template.yml):Resources}`)?
 */
export function resolvedByFramework(detection: CfnDetection): boolean {
  const i = detection.includes;
  if (!i) return false;
  return i.whole !== undefined || detection.templates.some((t) => t.resourcesPath.length > 0 && i.keys.has(t.resourcesPath.join('.')));
}

const NONE: Includes = { keys: new Map() };

/**
 * Detect's part: the includes of a file with a table a fix would change in an includable template
 * (its detection's `includes`, for fix), and the `key-include` obstacle on each table a service file
 * includes alone. Synchronous, and the detection as it was, for any other file.
 */
export function withIncludes(
  detection: CfnDetection,
  file: SourceFile,
  context: DiskContext | undefined,
): CfnDetection | Promise<CfnDetection> {
  if (!context) return detection;
  const service = detection.tables.filter(
    (t) => t.template.flavor === 'serverless' && t.type === 'AWS::DynamoDB::Table' && isFixableStatus(decide(t.encryption).status),
  );
  if (service.length > 0 && file.text.includes('${file('))
    return grantsOfIncluded(detection, file, context, service).then(() => ofIncludes(detection, file, context));
  return ofIncludes(detection, file, context);
}

/**
 * A service's own tables, and the grants of global-table APIs in the files it includes with
 * `${file(...)}` (`resources: - ${file(resources/iam.yml)}`): the Framework deploys them in one stack,
 * so such a grant joins the service's tables as one written in serverless.yml does.
 */
async function grantsOfIncluded(
  detection: CfnDetection,
  file: SourceFile,
  context: DiskContext,
  open: CfnDetection['tables'],
): Promise<void> {
  const ids = tableIdsOf(detection);
  const seen = new Set<string>();
  for (const m of file.text.matchAll(INCLUDE)) {
    const rel = m[1].replace(/^['"]|['"]$/g, '');
    if (rel.includes('${') || seen.has(rel)) continue;
    seen.add(rel);
    const included = (await context.folder(file, path.posix.dirname(rel)))?.find(
      (f) => path.resolve(f.absPath) === path.resolve(path.dirname(file.absPath), rel),
    );
    if (!included || !/\.ya?ml$/i.test(included.path) || !mayGrantGlobalTables(included.text)) continue;
    let root: CNode | null;
    try {
      root = parseYaml(included.text)[0]?.root ?? null;
    } catch {
      continue; // its own scan reports the error
    }
    const grants = includedGrants(included.text, root, ids, `${included.path}, which the service includes,`);
    for (const t of open) addGranted(t, grants);
  }
}

/** The logical IDs of the file's tables, which a grant elsewhere in the stack may name. */
const tableIdsOf = (detection: CfnDetection) => new Set(detection.templates.flatMap((t) => [...tablesOf(t)]));

/** A table's obstacle from a grant of another file of the stack (by logical ID, as apiGlobalTables is asked), unless it has one of that kind already. */
function addGranted(t: CfnDetection['tables'][number], grants: ApiGlobalTables | undefined): void {
  const granted = grants?.(t.resourcePair.key, t.resource);
  if (granted && !t.encryption.obstacles.some((o) => o.kind === granted.kind)) t.encryption.obstacles.push(granted);
}

/** `${file(path)}` and `${file(path):key}` as service files write them. */
const INCLUDE = /\$\{file\(\s*([^)\s]+?)\s*\)\s*(?::\s*([A-Za-z0-9_.-]+)\s*)?\}/g;

function ofIncludes(detection: CfnDetection, file: SourceFile, context: DiskContext): CfnDetection | Promise<CfnDetection> {
  const open = detection.tables.filter((t) => !t.loop && includable(t.template) && isFixableStatus(decide(t.encryption).status));
  if (open.length === 0) return detection;
  return includesOf(file, context).then((includes) => {
    detection.includes = includes;
    const grants =
      includes.grants &&
      includedGrants(
        includes.grants.text,
        includes.grants.root,
        tableIdsOf(detection),
        `${includes.grants.path}, which includes this file,`,
      );
    for (const t of open) {
      const include = includes.keys.get(includeKey(t.template, t.address));
      if (include !== undefined) t.encryption.obstacles.push({ kind: 'key-include', include });
      if (includes.globalTables && t.type === 'AWS::DynamoDB::Table')
        t.encryption.obstacles.push(globalTablesPlugin(includes.globalTables.v2));
      addGranted(t, grants);
      const cautions = [...(t.encryption.cautions ?? [])];
      if (includes.boundary && !cautions.some((c) => c.kind === 'permissions-boundary'))
        cautions.push({ kind: 'permissions-boundary', where: includes.boundary });
      if (includes.localPlugin && t.type === 'AWS::DynamoDB::Table' && !cautions.some((c) => c.kind === 'local-migrations'))
        cautions.push({ kind: 'local-migrations', plugin: includes.localPlugin });
      if (cautions.length > 0) t.encryption.cautions = cautions;
    }
    return detection;
  });
}

/**
 * The settings of a service file that give roles a permissions boundary (cautions.ts serviceBoundaries: where
 * each is, `functions.api.iam.role.permissionsBoundary`), read from its parsed YAML. A serverless.ts, or a YAML
 * file that does not parse, is searched as text (`text`, its comments blanked) and each setting named as written
 * (`permissionsBoundary`): where it sits is not known there (deploy review, session 55: any
 * `permissionsBoundary:` was called `provider.iam.role.permissionsBoundary`, a function's own included).
 */
function boundariesIn(service: SourceFile, text: string): string[] {
  if (!text.includes('ermissionsBoundary')) return [];
  if (/\.ya?ml$/.test(service.path)) {
    try {
      return serviceBoundaries(parseYaml(service.text)[0]?.root);
    } catch {}
  }
  const names = [...text.matchAll(/(?<![\w-])(\w*[pP]ermissionsBoundary)['"]?\s*:/g)].map((m) => m[1]);
  return [...new Set(names)];
}

/**
 * A service file's text with its comments blanked (same length): YAML's `#` at a line's start or after white
 * space, TypeScript's `//` after white space and `/* ... *\/`. Quotes are not followed: this is for the text
 * searches above, which a `#` inside a quoted value can only make miss.
 */
function withoutComments(text: string, yaml: boolean): string {
  const blank = (m: string) => m.replace(/[^\n]/g, ' ');
  return yaml ? text.replace(/(^|[ \t])#[^\n]*/gm, blank) : text.replace(/\/\*[\s\S]*?\*\/|(^|[ \t])\/\/[^\n]*/gm, blank);
}

/**
 * Does a service file's `${file(rel)}` name `file`? Relative to the service file's folder, as the Framework
 * resolves it since v3; or, for a path that does not climb (`serverless/resources/tables.yml`), relative to a folder
 * above it, as v1 and v2 resolve it from the working folder of `sls deploy --config serverless/serverless.yml`.
 */
function includesFile(service: string, rel: string, file: string): boolean {
  let dir = path.dirname(service);
  if (path.resolve(dir, rel) === file) return true;
  if (path.isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) return false;
  for (let i = 0; i < 4 && path.dirname(dir) !== dir; i++) {
    dir = path.dirname(dir);
    if (path.resolve(dir, rel) === file) return true;
  }
  return false;
}

/** The includes of the file by the nearest service files above it (each name's nearest that includes it). */
async function includesOf(file: SourceFile, context: DiskContext): Promise<Includes> {
  const out: Includes = { keys: new Map() };
  const read = new Map<SourceFile, Includes>();
  const including = (service: SourceFile) => {
    let found = read.get(service);
    if (found) return found;
    read.set(service, (found = { keys: new Map() }));
    // What the service's comments say (`#- ${file(resources/tables.yml)}`, a boundary commented out) is not configuration.
    const text = withoutComments(service.text, /\.ya?ml$/.test(service.path));
    for (const m of text.matchAll(INCLUDE)) {
      if (!includesFile(service.absPath, m[1].replace(/^['"]|['"]$/g, ''), file.absPath)) continue;
      if (m[2] === undefined) found.whole ??= service.path;
      else found.keys.set(m[2], `${service.path}: ${m[0]}`);
    }
    const bounds = boundariesIn(service, text);
    if (bounds.length > 0) found.boundary = bounds.map((b) => `${service.path}: ${b}`);
    const plugin = LOCAL_PLUGIN_IN_TEXT.exec(text)?.[1];
    if (plugin) found.localPlugin = plugin;
    if ((found.keys.size > 0 || found.whole !== undefined) && /\.ya?ml$/.test(service.path) && mayGrantGlobalTables(service.text)) {
      // Parsed only when it includes this file; one that does not parse has no grant kmsfix can read (its own scan reports the error).
      try {
        found.grants = { text: service.text, root: parseYaml(service.text)[0]?.root ?? null, path: service.path };
      } catch {}
    }
    if (text.includes(GLOBAL_TABLES_PLUGIN) && /\bglobalTables['"]?\s*:/.test(text))
      found.globalTables = { v2: /\bglobalTables['"]?\s*:[\s\S]*?\bversion['"]?\s*:\s*['"]?v2\b/.test(text) };
    return found;
  };
  /** A service file's includes of the file, and what it says of them, added to the file's (the first one's cautions). */
  const take = (i: Includes) => {
    if (i.keys.size === 0 && i.whole === undefined) return;
    for (const [k, v] of i.keys) out.keys.set(k, v);
    out.whole ??= i.whole;
    out.globalTables ??= i.globalTables;
    out.grants ??= i.grants;
    out.boundary ??= i.boundary;
    out.localPlugin ??= i.localPlugin;
  };
  for (const name of SERVICE_FILES) {
    const service = await context.projectFile(file, name, (f) => {
      const i = including(f);
      return i.keys.size > 0 || i.whole !== undefined;
    });
    if (service) take(including(service));
  }
  // Service files of other names, deployed with `--config` (`sls deploy -c serverless-dynamodb.yml`: real-world round 30,
  // codeforjapan/remote-patient-monitoring-api), in the file's folder or up to three above: each that includes it counts.
  for (let up = 0, rel = '.'; up < OTHER_NAMES_UP; up++, rel = up === 1 ? '..' : `${rel}/..`) {
    const others = await context.folderFiles(file, rel, (n) => OTHER_SERVICE_FILE.test(n) && !SERVICE_FILES.includes(n));
    for (const service of others) {
      if (service.unreadable === undefined && service.absPath !== file.absPath) take(including(service));
    }
  }
  return out.keys.size > 0 || out.whole !== undefined ? out : NONE;
}

/** A service file named for `--config` (`serverless-dynamodb.yml`, `serverless.prod.yml`), looked for this many folders up. */
const OTHER_SERVICE_FILE = /^serverless[\w.-]*\.(?:ya?ml|ts)$/i;
const OTHER_NAMES_UP = 4;
