/** `kmsfix --help`, `kmsfix help [command]`, `kmsfix <command> --help`. */
import { DEFAULT_MAX_FILE_MB } from '../io/read.js';

const USAGE = `Usage:
  kmsfix scan [PATH...]   every DynamoDB table found, with its encryption status (PATH defaults to ".")
  kmsfix fix  [PATH...]   prints a unified diff of every change, then writes
  kmsfix help [COMMAND]   this help, or a command's
`;

const FIX = `Options of fix:
  --dry-run               print the diff, write nothing (exit 1 if something would change)
  --patch FILE            write the unified diff to FILE (- for stdout), touch no source file
                          (\`git apply FILE\` from this directory produces what fix would write)
  --patch-dir DIR         one patch per git repository under the paths, DIR/<repository>.patch
                          (\`git apply\` at that repository's root), DIR/<repository>.mbox (\`git am\`: one
                          commit with a message for reviewers), and DIR/summary.json; touch no source file
  --check                 write nothing, list the files fix would change, exit 1 if any (for CI)
  --force                 also write files that have uncommitted changes in their git work tree
                          (--patch-dir: also put them in the patches and mails)
  --commit                then, in each git repository written to, one commit on a new branch
                          kmsfix/dynamodb-cmk with a message for reviewers (never pushed)
  --yes, -y               never ask (fix asks "Apply N changes? [y/N]" only on a terminal)
  --key-strategy per-table|shared
                          one new key per table (default), or one key per template
  --kms-key-arn VALUE     use this existing key for every fixed table; generate no key. A key ARN
                          (arn:aws:kms:REGION:ACCOUNT:key/ID), an alias ARN (Terraform: through a
                          data aws_kms_key), alias/NAME (CloudFormation only), or an expression in
                          the file's language: var.x, local.x, module.m.x, data.aws_kms_key.k.arn
                          (Terraform); !Ref P, !GetAtt R.Arn, !ImportValue E, '\${...}'
                          (CloudFormation, Pulumi YAML); props.keyArn (TypeScript). A table whose
                          file cannot take the value, or whose Region is another than the key's,
                          is not fixed, with the reason
  --key-policy drop-in|iam
                          the policy of generated keys: drop-in (default) lets every principal of the
                          account use the key through DynamoDB only, like aws/dynamodb (no IAM change);
                          iam leaves all use to IAM policies (each app role then needs kms: permissions)
  --fix-parameterised     also fix tables whose encryption a template parameter's default decides
                          (SSEEnabled: !Ref EnableSSE with Default: false): the table's settings are
                          written explicitly and the parameter no longer controls them
  --recreate-replicas     also fix Terraform tables whose replicas need a new key: terraform apply
                          deletes and re-creates each such replica (the AWS provider changes a
                          replica's key no other way), out of service until it is copied again
`;

const SCAN = `Options of scan:
  --profile strict|checkov|trivy|kics|cfn-nag|cfn-guard|aws-config
                          whose rules decide compliance and the exit code (default strict: a
                          customer-managed key; a tool's profile follows that tool's own rules, and
                          a table that tool does not scan is "not scanned by TOOL", not compliant)
`;

const COMMON = `Options of both:
  --config FILE           settings from FILE for every file (default: each file's nearest .kmsfix.yml,
                          from its folder up; above the path given, up to its repository root);
                          flags given here override it
  --exclude GLOB          leave out paths matching GLOB (.gitignore syntax, relative to the scanned
                          folder); repeatable
  --skip-table PATTERN    leave out tables whose address matches PATTERN (* and ?): reported
                          suppressed, never fixed; repeatable
  --include-tests         also fix tables in test code (below test/, tests/, __tests__/, testdata/,
                          __fixtures__/, and *.test.ts / *.spec.ts files), which are otherwise
                          reported, not changed (scan: counted fixable, not in tests)
  --accept-aws-managed    count the AWS managed key (alias/aws/dynamodb) as compliant
  --max-file-size MB      read files up to this size (default ${DEFAULT_MAX_FILE_MB}); fix writes no file larger,
                          so that later runs with the same limit can read what it wrote
  --format text|json|sarif
                          output format (default: text); sarif (2.1.0, for GitHub code scanning)
                          with scan or fix --dry-run
  --output FILE, -o FILE  write the report (text, JSON, SARIF; fix: the diff) to FILE, atomically
  --quiet, -q             print only what needs action: no progress; scan: only non-compliant tables
                          and errors; fix: no diff, no before-deploying note (the summary stays)
  --verbose, -v           each table's whole message and the peer scanners' rules that fail it
  --no-color              no colours (also NO_COLOR=1, which wins; FORCE_COLOR=1 forces them)
  --version, -V, --help, -h
`;

const EXIT = `Exit codes:
  scan  0 all compliant, 1 some table non-compliant, 2 a file could not be read or parsed, or bad usage
  fix   0 done; with --dry-run 1 if it would change something; 2 on errors (other files are still processed)
`;

export const HELP = `kmsfix: find DynamoDB tables not encrypted with a customer-managed KMS key, and fix the code.

${USAGE}
${FIX}
${SCAN}
${COMMON}
${EXIT}`;

/** The help of one command (scan, fix), or the whole help. */
export function helpOf(command: string | undefined): string {
  if (command === 'scan')
    return `kmsfix scan [PATH...]: report every DynamoDB table and its encryption status.\n\n${SCAN}\n${COMMON}\n${EXIT}`;
  if (command === 'fix') return `kmsfix fix [PATH...]: make every fixable table use a customer-managed key.\n\n${FIX}\n${COMMON}\n${EXIT}`;
  return HELP;
}
