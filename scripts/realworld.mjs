#!/usr/bin/env node
// Real-world coverage: run `kmsfix scan --format json` over checkouts of public repositories and
// compare what it reports with an independent count of table declarations (a plain text search per
// file, see DECLARATION below). A file where the text search finds more declarations than kmsfix
// reports tables, with no error on that file, is a silent miss: the README's real-world table must
// show none.
//
//   node scripts/realworld.mjs DIR... [--json] [--misses]
//
// Never commit the checkouts themselves; only the counts go to the README.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'kmsfix.js');
const SKIP = new Set(['.git', 'node_modules', '.terraform', '.terragrunt-cache', 'cdk.out', '.aws-sam', '.serverless']);

/** Family of a file by extension, and the declarations a plain text search finds in it. */
const DECLARATION = [
  {
    family: 'cloudformation',
    ext: /\.(ya?ml|json|template)$/,
    re: /(?:Type["']?\s*:\s*["']?)(?:AWS::DynamoDB::(?:Global)?Table|AWS::Serverless::SimpleTable)\b/g,
  },
  {
    family: 'pulumi-yaml',
    ext: /\.ya?ml$/,
    re: /\btype:\s*["']?(?:aws:dynamodb(?:\/table(?:Replica)?)?:Table(?:Replica)?|aws-native:dynamodb:(?:Global)?Table)\b/g,
  },
  {
    family: 'terraform',
    ext: /\.tf$/,
    // Resources, and calls of the registry modules kmsfix reads (registry or git source).
    re: /^\s*resource\s+"aws_dynamodb_table(?:_replica)?"|^\s*source\s*=\s*"(?:terraform-aws-modules\/dynamodb-table\/aws|(?:cloudposse|mineiros-io)\/dynamodb\/aws|[^"]*github\.com[/:](?:cloudposse|mineiros-io)\/terraform-aws-dynamodb(?:\.git)?(?![\w-])[^"]*)"/gm,
  },
  { family: 'terraform', ext: /\.tf\.json$/, re: /"aws_dynamodb_table(?:_replica)?"\s*:/g },
  {
    family: 'terraform',
    ext: /(?:^|\/)terragrunt\.hcl$/,
    // A terragrunt unit whose terraform { source } is one of those modules (tfr:///, git::, github.com/ forms).
    re: /^\s*source\s*=\s*"[^"\n]*(?:terraform-aws-modules\/(?:dynamodb-table\/aws|terraform-aws-dynamodb-table)|(?:cloudposse|mineiros-io)\/(?:dynamodb\/aws|terraform-aws-dynamodb(?:\.git)?(?![\w-])))[^"\n]*"/gm,
  },
  {
    family: 'typescript',
    ext: /(?<!\.d)\.ts$/,
    // Not in a line comment; a construct's first argument is its scope or name, never an object literal
    // (which `new Table({...})` of other libraries, e.g. dynamodb-toolbox, takes).
    re: /^(?![ \t]*\/\/).*\bnew\s+(?:[\w$]+\.)*(?:Table|TableV2|TableV2MultiAccountReplica|CfnTable|CfnGlobalTable|GlobalTable|DynamodbTable|TableReplica|DynamodbTableReplica)\s*\(\s*(?!\{)/gm,
  },
  // CloudFormation resources written as object literals (a Serverless Framework serverless.ts or .js), and
  // tables created through a subclass (counted once, at the class).
  // (A serverless.js too: the TypeScript family reads it for these alone.)
  {
    family: 'typescript',
    ext: /(?<!\.d)\.ts$|(?:^|\/)serverless\.[cm]?js$/,
    re: /^(?![ \t]*\/\/).*\bType:\s*["']AWS::DynamoDB::(?:Global)?Table["']/gm,
  },
  {
    family: 'typescript',
    ext: /(?<!\.d)\.ts$/,
    re: /^(?![ \t]*\/\/).*\bclass\s+\w+\s+extends\s+(?:[\w$]+\.)*(?:Table|TableV2|CfnTable|DynamodbTable)\b/gm,
  },
  // AWS Solutions Constructs that create a table (counted in files that import them), less those given an
  // existing one (`existingTableObj:`, `existingTableInterface:`), which create none.
  {
    family: 'typescript',
    ext: /(?<!\.d)\.ts$/,
    re: /^(?![ \t]*\/\/).*\bnew\s+(?:[\w$]+\.)*(?:LambdaToDynamoDB|ApiGatewayToDynamoDB|DynamoDBStreamsToLambda|DynamoDBStreamsToLambdaToElasticSearchAndKibana|DynamoDBStreamsToPipesToStepfunctions|FargateToDynamoDB|IotToLambdaToDynamoDB|DynamoDBStreamToLambda|DynamoDBStreamToLambdaToElasticSearchAndKibana)\s*\(/gm,
    requires: /@aws-solutions-constructs\//,
    less: /^(?![ \t]*\/\/).*\bexisting(?:TableObj|TableInterface)\s*:/gm,
  },
];

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (SKIP.has(e.name)) continue;
    // The CDK integ-runner's snapshots, generated as cdk.out is (kmsfix skips them too).
    if (e.isDirectory() ? /\.(js|ts)\.snapshot$/.test(e.name) : /^integ\..*\.expected\.json$/.test(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

function declarations(file) {
  const found = [];
  let text;
  for (const d of DECLARATION) {
    if (!d.ext.test(file)) continue;
    if (text === undefined) {
      if (statSync(file).size > 5 * 1024 * 1024) return [];
      text = readFileSync(file, 'utf8');
    }
    let n = text.match(d.re)?.length ?? 0;
    if (n && d.requires && !d.requires.test(text)) continue;
    if (n && d.less) n = Math.max(0, n - (text.match(d.less)?.length ?? 0));
    // A TypeScript `new Table(` counts only in files that import a DynamoDB library.
    if (n && d.family === 'typescript' && !/dynamodb|provider-aws|@pulumi\/aws/i.test(text)) continue;
    if (n && d.family === 'pulumi-yaml' && !/^runtime:\s*yaml/m.test(text)) continue;
    // A Terraform override file declares nothing: its blocks merge into the module's other files'.
    if (n && d.family === 'terraform' && /(^|\/)(override|[^/]+_override)\.tf(\.json)?$/.test(file)) continue;
    if (n) found.push({ family: d.family, n });
  }
  return found;
}

function scan(dir) {
  const r = spawnSync(process.execPath, [CLI, 'scan', '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 1 && r.status !== 2) throw new Error(`kmsfix exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const args = process.argv.slice(2);
const dirs = args.filter((a) => !a.startsWith('--'));
const byFamily = {};
const misses = [];
const reasons = {};
const errorKinds = {};
let repoCount = 0;
const row = (f) => {
  byFamily[f] ??= { declared: 0, reported: 0, statuses: {}, fixable: 0, notFixable: 0, inTests: 0, errors: 0 };
  return byFamily[f];
};
const FAMILY = {
  sam: 'cloudformation',
  serverless: 'cloudformation',
  cloudformation: 'cloudformation',
  cdk: 'typescript',
  cdktf: 'typescript',
  pulumi: 'typescript',
};
/** A table's family: a serverless.ts's resources (format serverless, a .ts file) count as TypeScript, where they are declared. */
const familyOf = (format, file = '') => (/\.ts$/.test(file) ? 'typescript' : (FAMILY[format] ?? format));
const shortReason = (m) =>
  (m.match(/Not fixable automatically: ([^:.]*)/)?.[1] ?? m.split(/[:.]/)[0])
    .replace(/`[^`]*`/g, '`…`')
    .replace(/"[^"]*"/g, '"…"')
    .slice(0, 90);

for (const dir of dirs) {
  repoCount++;
  const result = scan(dir);
  const perFile = new Map();
  for (const t of result.tables) {
    const abs = path.resolve(t.file);
    perFile.set(abs, (perFile.get(abs) ?? 0) + 1);
    const r = row(familyOf(t.format, t.file));
    r.reported++;
    r.statuses[t.status] = (r.statuses[t.status] ?? 0) + 1;
    if (t.compliant) continue;
    if (t.fixable) r.fixable++;
    else {
      r.notFixable++;
      const k = shortReason(t.message ?? '');
      reasons[k] = (reasons[k] ?? 0) + 1;
    }
  }
  const errored = new Set(result.errors.map((e) => path.resolve(e.file)));
  for (const e of result.errors) {
    const k = e.message.replace(/`[^`]*`|"[^"]*"|'[^']*'/g, '…').slice(0, 70);
    errorKinds[k] = (errorKinds[k] ?? 0) + 1;
  }
  for (const file of walk(path.resolve(dir))) {
    for (const d of declarations(file)) {
      row(d.family).declared += d.n;
      const got = perFile.get(file) ?? 0;
      if (got < d.n && !errored.has(file))
        misses.push({ file: path.relative(process.cwd(), file), family: d.family, declared: d.n, reported: got });
      if (errored.has(file)) row(d.family).errors += 1;
    }
  }
}

if (args.includes('--json')) {
  console.log(JSON.stringify({ repositories: repoCount, byFamily, reasons, errorKinds, misses }, null, 2));
} else {
  console.log(`${repoCount} repositories`);
  console.log(
    '| family | declarations (text search) | tables reported | customer-managed | aws-owned | aws-managed | unknown | suppressed | fixable | not fixable | files with errors |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [f, r] of Object.entries(byFamily)) {
    const s = (k) => r.statuses[k] ?? 0;
    console.log(
      `| ${f} | ${r.declared} | ${r.reported} | ${s('customer-managed')} | ${s('aws-owned')} | ${s('aws-managed')} | ${s('unknown')} | ${s('suppressed')} | ${r.fixable} | ${r.notFixable} | ${r.errors} |`,
    );
  }
  console.log('\nNot fixable, by reason:');
  for (const [k, n] of Object.entries(reasons).sort((a, b) => b[1] - a[1])) console.log(`  ${n}  ${k}`);
  console.log('\nErrors, by kind:');
  for (const [k, n] of Object.entries(errorKinds).sort((a, b) => b[1] - a[1])) console.log(`  ${n}  ${k}`);
  console.log(`\nFiles with fewer tables reported than declared and no error: ${misses.length}`);
  if (args.includes('--misses'))
    for (const m of misses) console.log(`  ${m.family} ${m.file}: ${m.declared} declared, ${m.reported} reported`);
}
