/**
 * A Pulumi YAML program (Pulumi.yaml, runtime: yaml): config, variables, tables with every
 * encryption setting, functions, roles, queues and outputs. No YAML aliases: Pulumi YAML rejects
 * them (`alias nodes are not supported`), so real programs have none.
 */
import { WORDS, cap, comment, words } from './common.mjs';

function table(r, w) {
  let s = `  # ${comment(r, '').trim()}\n  ${w}Table:\n    type: aws:dynamodb:Table\n    properties:\n      name: \${pulumi.stack}-${w}\n      billingMode: PAY_PER_REQUEST\n      hashKey: pk\n      rangeKey: sk\n      attributes:\n        - name: pk\n          type: S\n        - name: sk\n          type: S\n`;
  const gsis = r.chance(0.3) ? r.int(1, 2) : 0;
  for (let g = 0; g < gsis; g++) s += `        - name: g${g}\n          type: ${r.pick(['S', 'N'])}\n`;
  if (gsis) {
    s += `      globalSecondaryIndexes:\n`;
    for (let g = 0; g < gsis; g++)
      s += `        - name: by-g${g}\n          hashKey: g${g}\n          projectionType: ${r.pick(['ALL', 'KEYS_ONLY'])}\n`;
  }
  if (r.chance(0.4)) s += `      streamEnabled: true\n      streamViewType: NEW_AND_OLD_IMAGES\n`;
  if (r.chance(0.4)) s += `      pointInTimeRecovery:\n        enabled: true\n`;
  const k = r.int(0, 3);
  if (k === 1) s += `      serverSideEncryption:\n        enabled: true${r.chance(0.5) ? ' # AWS managed key for now' : ''}\n`;
  if (k === 2) s += `      serverSideEncryption:\n        enabled: true\n        kmsKeyArn: \${tableKeyArn}\n`;
  if (k === 3) s += `      serverSideEncryption:\n        enabled: false\n`;
  s += `      tags:\n        team: ${r.pick(WORDS)}\n        stack: \${pulumi.stack}\n`;
  return s;
}

function fn(r, w, i) {
  return `  ${w}Role${i}:\n    type: aws:iam:Role\n    properties:\n      assumeRolePolicy:\n        fn::toJSON:\n          Version: '2012-10-17'\n          Statement:\n            - Effect: Allow\n              Principal:\n                Service: lambda.amazonaws.com\n              Action: sts:AssumeRole\n  ${w}Function${i}:\n    type: aws:lambda:Function\n    properties:\n      runtime: nodejs22.x\n      handler: index.handler\n      role: \${${w}Role${i}.arn}\n      timeout: ${r.int(3, 30)}\n      code:\n        fn::fileArchive: ./functions/${w}\n      environment:\n        variables:\n          TABLE_NAME: \${${w}Table.name}\n          LOG_LEVEL: info\n`;
}

export function pulumiYaml(r) {
  const name = `${r.pick(WORDS)}-${r.pick(['service', 'data', 'platform'])}`;
  let s = `name: ${name}\nruntime: yaml\ndescription: ${cap(name.replace('-', ' '))} on Pulumi YAML\n\nconfig:\n  tableKeyArn:\n    type: string\n    default: ''\n  logRetentionDays:\n    type: integer\n    default: ${r.pick([7, 14, 30])}\n\n`;
  s += `variables:\n  region:\n    fn::invoke:\n      function: aws:getRegion\n      return: name\n\nresources:\n`;
  const ws = words(r, r.int(2, 6));
  for (const w of ws) {
    s += table(r, w);
    for (let i = r.int(0, 2); i > 0; i--) s += fn(r, w, i);
    if (r.chance(0.4))
      s += `  ${w}Queue:\n    type: aws:sqs:Queue\n    properties:\n      visibilityTimeoutSeconds: ${r.int(30, 900)}\n      sqsManagedSseEnabled: true\n`;
  }
  s += `\noutputs:\n`;
  for (const w of ws) s += `  ${w}TableName: \${${w}Table.name}\n`;
  return s;
}
