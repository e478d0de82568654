/**
 * A provider that sends DynamoDB to an emulator (LocalStack, DynamoDB Local) but not KMS and STS
 * (real-world round 15, brdd3v/aws-dynamodb-exp): the key a fix generates and its account lookup
 * would go to AWS, where the emulator's mock credentials fail at plan, and the emulator's table could
 * not use a key made there. One rule for every format that configures endpoints (Terraform's
 * `endpoints { }`, Pulumi's and CDKTF's `endpoints: [{ }]`): `--kms-key-arn` adds neither call.
 */
import type { Obstacle } from './facts.js';

/** The services a generated key calls beside DynamoDB: KMS (the key, its alias) and STS (the account). */
export const KEY_SERVICES = ['kms', 'sts'] as const;

/** Whether an endpoint is AWS's own (a FIPS or dual-stack name, a VPC endpoint's): the other services stay where they are. */
export function isAwsEndpoint(url: string): boolean {
  return /\.amazonaws\.com(\.cn)?\b|\.api\.aws\b/.test(url);
}

/**
 * The obstacle of a provider (`provider`, as written) whose endpoints send DynamoDB to `dynamodb` (as
 * written) and `has(service)` tells which others; undefined when DynamoDB's endpoint is AWS's or
 * every service a key calls goes there too. `add` writes one endpoint in the format's syntax.
 */
export function emulatorObstacle(
  provider: string,
  dynamodb: string,
  has: (service: string) => boolean,
  add: (service: string) => string,
): Obstacle | undefined {
  if (isAwsEndpoint(dynamodb)) return undefined;
  const missing = KEY_SERVICES.filter((s) => !has(s));
  if (missing.length === 0) return undefined;
  return {
    kind: 'generated-key',
    step:
      `the provider ${provider} sends DynamoDB to ${dynamodb} (an emulator such as LocalStack or DynamoDB Local) but not ` +
      `${missing.map((s) => s.toUpperCase()).join(' and ')}: the key and the account lookup a fix adds would go to AWS, where the ` +
      `emulator's credentials fail at plan, and the emulator's table could not use a key made there. Add ${missing.map(add).join(' and ')} ` +
      'to its endpoints (tflocal and pulumi-local set every service), then run kmsfix again',
  };
}
