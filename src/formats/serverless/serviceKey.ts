/**
 * A KMSMasterKeyId written as one Serverless Framework variable, which the Framework resolves when it packages the
 * service: the Serverless path of the CloudFormation family's key reader (src/formats/cfn-values/settings.ts
 * keySetting), for a serverless.yml and a serverless.ts alike. The CloudFormation reading (a `Ref` to a parameter's
 * Default, Fn::FindInMap, Fn::Sub...) stays there; this reads what only a service has.
 */
import type { Setting } from '../../rule/facts.js';
import { AWS_MANAGED_ALIAS } from '../../rule/status.js';
import { composedParam } from './compose.js';
import { fileKeySetting, fileRefOf } from './fileValues.js';
import type { ServiceInputs } from './inputs.js';
import { type KeyReader, serverlessKey } from './variables.js';

/**
 * The key a service's variable `s` (a plain string, `source` its text) gives: read from files (`${file(...)}`), passed by
 * a Serverless Compose file (`${param:x}`), or read in the service file (`${self:...}`, a stage's params, a fallback).
 * Undefined where the service decides nothing (or there is no service): the string is the key as written (a literal).
 * `read`: the key reader, for a value the service file holds that a variable names (variables.ts KeyReader).
 */
export function serviceKeySetting(
  s: string,
  inputs: ServiceInputs,
  source: string,
  raw: Setting['raw'],
  read?: KeyReader,
): Setting | undefined {
  if (!inputs.service) return undefined;
  // A key the Framework reads from a file (`${file(./config/${sls:stage}.yml):kmsKeyArn}`): what the files hold.
  const ref = fileRefOf(s, inputs.service);
  if (ref) {
    inputs.fileRefs?.push(ref);
    return fileKeySetting(s, ref, inputs.files, source, raw);
  }
  // A param a Serverless Compose file passes the service: its value, over the service's own (compose.ts).
  const passed = composedParam(s, inputs, source, raw, read);
  if (passed) return passed;
  const variable = serverlessKey(s, inputs.service, read);
  if (variable === 'managed') return { state: 'literal', source, text: AWS_MANAGED_ALIAS, raw };
  if (variable) return { state: 'unreadable', source: `KMSMasterKeyId is ${s}, ${variable}`, raw };
  return undefined;
}
