/**
 * A key whose value a store holds in each account (and Region): AWS Systems Manager Parameter Store, or Secrets
 * Manager. The code names where the value is, not the value, which may be alias/aws/dynamodb: such a key is not
 * known (`unknown`), never taken for a customer-managed key. One rule for every way of writing it: a CloudFormation
 * parameter of an SSM parameter type (`AWS::SSM::Parameter::Value<String>`, whose Default names the SSM parameter),
 * a CloudFormation dynamic reference (`{{resolve:ssm:/keys/ddb}}`, `resolve:ssm-secure`, `resolve:secretsmanager`),
 * and a Serverless Framework variable (`${ssm:/keys/ddb}`, `${ssm(raw):...}`, Secrets Manager through
 * `/aws/reference/secretsmanager/`), alone or as a source of a fallback chain the Framework may resolve. (Terraform's
 * `data.aws_ssm_parameter` value is not read so: a key passed in, as docs/limitations.md says.)
 */

/** The store a CloudFormation dynamic reference in `s` reads, when `s` holds one (`{{resolve:ssm:/x}}`: SSM). */
export function dynamicReferenceStore(s: string): string | undefined {
  const m = /\{\{\s*resolve:(ssm-secure|ssm|secretsmanager):/.exec(s);
  if (!m) return undefined;
  return m[1] === 'secretsmanager' ? 'Secrets Manager' : 'SSM';
}

/** The words for a key whose value `store` holds (`names`: what the code names, as written). */
export function storedKeyWords(store: string, names: string): string {
  return `whose value ${store} holds in each account (${names}), which kmsfix does not read`;
}
