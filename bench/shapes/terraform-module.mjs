/**
 * A Terraform module as a directory of many .tf files, as larger teams lay them out: versions.tf,
 * providers.tf (with aliases for replica Regions), variables.tf, outputs.tf, locals.tf, data.tf,
 * some files holding tables (dynamodb_<name>.tf: tables, with GSIs, count/for_each, replicas,
 * every encryption status, now and then a terraform-aws-modules/dynamodb-table call) and the rest
 * ordinary resources (lambda_*, iam_*, sqs_*, s3_*, cloudwatch_*, sns_*, ssm_*). Every name is
 * unique within the module, every variable declared once.
 */
import { REGIONS, WORDS, comment } from './common.mjs';

/** A table (or a module call) named `name`; `aliases` maps a Region to its provider alias. */
function table(r, name, aliases) {
  if (r.chance(0.08)) {
    const k = r.int(0, 2);
    let s = `module "${name}" {\n  source  = "terraform-aws-modules/dynamodb-table/aws"\n  version = "~> 4.0"\n\n  name      = "\${var.prefix}-${name}"\n  hash_key  = "pk"\n  range_key = "sk"\n\n  attributes = [\n    { name = "pk", type = "S" },\n    { name = "sk", type = "S" },\n  ]\n`;
    if (k === 1) s += `\n  server_side_encryption_enabled = true\n`;
    if (k === 2) s += `\n  server_side_encryption_enabled     = true\n  server_side_encryption_kms_key_arn = var.table_key_arn\n`;
    return `${s}\n  tags = local.common_tags\n}\n\n`;
  }
  const gsis = r.chance(0.4) ? r.int(1, 3) : 0;
  const mode = r.int(0, 9);
  let s = `${comment(r, '#')}\nresource "aws_dynamodb_table" "${name}" {\n`;
  if (mode === 0) s += `  count = var.enabled ? 1 : 0\n\n`;
  if (mode === 1) s += `  for_each = toset(["${r.pick(WORDS)}", "${r.pick(WORDS)}-archive"])\n\n`;
  const provisioned = r.chance(0.2);
  const attrs = [
    ['name', mode === 1 ? `"\${var.prefix}-\${each.key}"` : `"\${var.prefix}-${name}"`],
    ['billing_mode', provisioned ? '"PROVISIONED"' : '"PAY_PER_REQUEST"'],
    ...(provisioned
      ? [
          ['read_capacity', r.int(1, 50)],
          ['write_capacity', r.int(1, 50)],
        ]
      : []),
    ['hash_key', '"pk"'],
    ['range_key', '"sk"'],
  ];
  const width = Math.max(...attrs.map(([k]) => k.length));
  for (const [k, v] of attrs) s += `  ${k.padEnd(width)} = ${v}\n`;
  s += `\n  attribute {\n    name = "pk"\n    type = "S"\n  }\n\n  attribute {\n    name = "sk"\n    type = "S"\n  }\n`;
  for (let g = 0; g < gsis; g++) {
    s += `\n  attribute {\n    name = "g${g}"\n    type = "${r.pick(['S', 'N'])}"\n  }\n\n  global_secondary_index {\n    name            = "by-g${g}"\n    hash_key        = "g${g}"\n    projection_type = "${r.pick(['ALL', 'KEYS_ONLY'])}"\n  }\n`;
  }
  if (r.chance(0.3)) s += `\n  ttl {\n    attribute_name = "expires_at"\n    enabled        = true\n  }\n`;
  const regions = Object.keys(aliases);
  if (mode > 1 && regions.length && r.chance(0.12)) {
    s += `\n  stream_enabled   = true\n  stream_view_type = "NEW_AND_OLD_IMAGES"\n`;
    for (const region of regions.slice(0, r.int(1, regions.length))) s += `\n  replica {\n    region_name = "${region}"\n  }\n`;
  } else if (r.chance(0.4)) s += `\n  stream_enabled   = true\n  stream_view_type = "NEW_AND_OLD_IMAGES"\n`;
  const k = r.int(0, 4);
  if (k === 1) s += `\n  server_side_encryption {\n    enabled = false # TODO\n  }\n`;
  if (k === 2) s += `\n  server_side_encryption {\n    enabled = true\n  }\n`;
  if (k === 3) s += `\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = var.table_key_arn\n  }\n`;
  s += `\n  point_in_time_recovery {\n    enabled = ${r.chance(0.5)}\n  }\n`;
  if (r.chance(0.3)) s += `\n  lifecycle {\n    prevent_destroy = true\n  }\n`;
  s += `\n  tags = merge(local.common_tags, {\n    table = "${name}" // owner\n  })\n}\n\n`;
  return s;
}

/** One ordinary resource (and what it needs), named `name`. */
function resource(r, kind, name) {
  switch (kind) {
    case 'lambda':
      return `resource "aws_lambda_function" "${name}" {\n  function_name = "\${var.prefix}-${name}"\n  runtime       = "nodejs22.x"\n  handler       = "index.handler"\n  role          = aws_iam_role.${name}.arn\n  timeout       = ${r.int(3, 30)}\n  memory_size   = ${r.pick([128, 256, 512, 1024])}\n  s3_bucket     = var.artifact_bucket\n  s3_key        = "\${var.artifact_version}/${name}.zip"\n\n  environment {\n    variables = {\n      LOG_LEVEL = var.log_level\n      STAGE     = var.environment\n    }\n  }\n\n  tags = local.common_tags\n}\n\nresource "aws_iam_role" "${name}" {\n  name = "\${var.prefix}-${name}"\n  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = { Service = "lambda.amazonaws.com" }\n      Action    = "sts:AssumeRole"\n    }]\n  })\n}\n\nresource "aws_cloudwatch_log_group" "${name}" {\n  name              = "/aws/lambda/\${var.prefix}-${name}"\n  retention_in_days = ${r.pick([7, 14, 30, 90])}\n}\n\n`;
    case 'iam':
      return `data "aws_iam_policy_document" "${name}" {\n  statement {\n    effect    = "Allow"\n    actions   = ["s3:GetObject", "s3:PutObject"]\n    resources = ["arn:aws:s3:::\${var.prefix}-${name}/*"]\n  }\n\n  statement {\n    effect    = "Allow"\n    actions   = ["sqs:SendMessage"]\n    resources = ["*"]\n  }\n}\n\nresource "aws_iam_policy" "${name}" {\n  name   = "\${var.prefix}-${name}"\n  policy = data.aws_iam_policy_document.${name}.json\n}\n\n`;
    case 'sqs':
      return `/* Queue for ${name} */\nresource "aws_sqs_queue" "${name}" {\n  name                       = "\${var.prefix}-${name}"\n  visibility_timeout_seconds = ${r.int(30, 900)}\n  message_retention_seconds  = 1209600\n  redrive_policy = jsonencode({\n    deadLetterTargetArn = aws_sqs_queue.${name}_dlq.arn\n    maxReceiveCount     = 5\n  })\n}\n\nresource "aws_sqs_queue" "${name}_dlq" {\n  name = "\${var.prefix}-${name}-dlq"\n}\n\n`;
    case 's3':
      return `resource "aws_s3_bucket" "${name}" {\n  bucket = "\${var.prefix}-${name}"\n  tags   = local.common_tags\n}\n\nresource "aws_s3_bucket_versioning" "${name}" {\n  bucket = aws_s3_bucket.${name}.id\n\n  versioning_configuration {\n    status = "Enabled"\n  }\n}\n\nresource "aws_s3_bucket_public_access_block" "${name}" {\n  bucket                  = aws_s3_bucket.${name}.id\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n\n`;
    case 'cloudwatch':
      return `resource "aws_cloudwatch_metric_alarm" "${name}" {\n  alarm_name          = "\${var.prefix}-${name}"\n  comparison_operator = "GreaterThanOrEqualToThreshold"\n  evaluation_periods  = 1\n  metric_name         = "Errors"\n  namespace           = "AWS/Lambda"\n  period              = 300\n  statistic           = "Sum"\n  threshold           = ${r.int(1, 50)}\n  treat_missing_data  = "notBreaching"\n  alarm_actions       = [var.alarm_topic_arn]\n}\n\n`;
    case 'sns':
      return `resource "aws_sns_topic" "${name}" {\n  name              = "\${var.prefix}-${name}"\n  kms_master_key_id = "alias/aws/sns"\n}\n\n`;
    default:
      return `resource "aws_ssm_parameter" "${name}" {\n  name  = "/\${var.prefix}/${name}"\n  type  = "String"\n  value = "${r.pick(WORDS)}-${r.int(1, 999)}"\n}\n\n`;
  }
}

const KINDS = ['lambda', 'lambda', 'iam', 'sqs', 's3', 'cloudwatch', 'sns', 'ssm'];

/**
 * The files of one module: { name: text }. `files` in all (at least 6), `tableFiles` of them
 * holding tables (1 to 3 each, with their related resources), the rest the usual module files.
 */
export function terraformModule(r, { files = 50, tableFiles = Math.max(1, Math.round(files / 5)) } = {}) {
  const out = {};
  const aws = r.pick(['~> 5.0', '>= 5.0', '>= 5.0, < 7.0', '~> 6.0']);
  out['versions.tf'] =
    `terraform {\n  required_version = ">= 1.5"\n\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "${aws}"\n    }\n  }\n}\n`;
  const aliases = {};
  let providers = `provider "aws" {\n  region = var.region\n\n  default_tags {\n    tags = local.common_tags\n  }\n}\n`;
  for (const region of REGIONS.slice(1)) {
    if (!r.chance(0.4)) continue;
    const alias = region.replace(/-(\w)\w*-(\d)$/, '$1$2').replace(/-/g, '');
    aliases[region] = alias;
    providers += `\nprovider "aws" {\n  alias  = "${alias}"\n  region = "${region}"\n}\n`;
  }
  out['providers.tf'] = providers;
  const vars = [
    ['prefix', 'string', null],
    ['region', 'string', '"us-east-1"'],
    ['environment', 'string', '"dev"'],
    ['enabled', 'bool', 'true'],
    ['table_key_arn', 'string', 'null'],
    ['artifact_bucket', 'string', null],
    ['artifact_version', 'string', '"latest"'],
    ['log_level', 'string', '"info"'],
    ['alarm_topic_arn', 'string', null],
    ['tags', 'map(string)', '{}'],
  ];
  for (let i = r.int(5, 40); i > 0; i--) vars.push([`${r.pick(WORDS)}_setting_${i}`, r.pick(['string', 'number', 'bool']), null]);
  out['variables.tf'] = vars
    .map(
      ([n, t, d]) =>
        `variable "${n}" {\n  description = "The ${n.replace(/_/g, ' ')}."\n  type        = ${t}\n${d === null ? '' : `  default     = ${d}\n`}}\n`,
    )
    .join('\n');
  out['locals.tf'] =
    `locals {\n  common_tags = merge(var.tags, {\n    environment = var.environment\n    managed_by  = "terraform"\n  })\n  name_prefix = "\${var.prefix}-\${var.environment}"\n}\n`;
  out['data.tf'] = `data "aws_caller_identity" "current" {}\n\ndata "aws_partition" "current" {}\n`;
  const outputs = [];
  const used = new Set();
  const unique = (base) => {
    let n = base;
    for (let i = 2; used.has(n); i++) n = `${base}_${i}`;
    used.add(n);
    return n;
  };
  for (let f = 0; f < tableFiles; f++) {
    const w = r.pick(WORDS);
    let s = '';
    for (let t = r.int(1, 3); t > 0; t--) {
      const name = unique(w);
      const text = table(r, name, aliases);
      s += text;
      if (text.startsWith('module')) outputs.push([`${name}_table_arn`, `module.${name}.dynamodb_table_arn`]);
      else if (text.includes('count = ')) outputs.push([`${name}_table_arn`, `one(aws_dynamodb_table.${name}[*].arn)`]);
      else if (text.includes('for_each = '))
        outputs.push([`${name}_table_arns`, `{ for k, t in aws_dynamodb_table.${name} : k => t.arn }`]);
      else outputs.push([`${name}_table_arn`, `aws_dynamodb_table.${name}.arn`]);
      for (let k = r.int(0, 2); k > 0; k--)
        s += resource(r, r.pick(KINDS), unique(`${w}_${r.pick(['handler', 'worker', 'sync', 'export'])}`));
    }
    let file = `dynamodb_${w}.tf`;
    for (let i = 2; out[file]; i++) file = `dynamodb_${w}_${i}.tf`;
    out[file] = s;
  }
  while (Object.keys(out).length < files - 1) {
    const kind = r.pick(KINDS);
    const w = r.pick(WORDS);
    let s = '';
    for (let k = r.int(1, 4); k > 0; k--) s += resource(r, kind, unique(`${w}_${kind}`));
    let file = `${kind}_${w}.tf`;
    for (let i = 2; out[file]; i++) file = `${kind}_${w}_${i}.tf`;
    out[file] = s;
  }
  out['outputs.tf'] = outputs.map(([n, v]) => `output "${n}" {\n  value = ${v}\n}\n`).join('\n');
  return out;
}
