/**
 * A provider that sends DynamoDB to an emulator but not KMS and STS (real-world round 15,
 * brdd3v/aws-dynamodb-exp: `endpoints { dynamodb = "http://localhost:4566" }`, LocalStack with mock
 * credentials). The key and the account lookup (`data "aws_caller_identity"`) a fix generates would
 * go to AWS, where the emulator's credentials fail at plan; and the emulator's table could not use a
 * key made there. With every service the fix calls sent to the same place (or tflocal, which sets
 * them all), the table is fixed as any other.
 */
import type { Obstacle } from '../../rule/facts.js';
import type { Placement } from './placement.js';
import type { TopBlock } from './topBlocks.js';

/** The services a fix's generated key calls beside DynamoDB: KMS (the key, its alias) and STS (the account). */
const CALLED = ['kms', 'sts'];

/** `endpoints { ... }` (HCL) or `"endpoints": [{ ... }]` (JSON): the block's body. */
const ENDPOINTS = /"?\bendpoints"?\s*[:=]?\s*\[?\s*\{([^{}]*)\}/g;

/** The provider configuration a placement names: `''` the default `aws`, `aws.east`, `awsalternate`, `awsalternate.west`. */
function providerBlock(place: Placement, tops: TopBlock[]): TopBlock | undefined {
  const [name, alias] = place.provider === '' ? ['aws', undefined] : place.provider.split('.');
  return tops.find((t) => {
    if (t.type !== 'provider' || t.labels[0] !== name) return false;
    const a = t.attr('alias');
    return alias === undefined ? a === undefined : a?.lit?.type === 'string' && a.lit.value === alias;
  });
}

function endpoint(body: string, service: string): string | undefined {
  return new RegExp(`(?:^|[\\s,{])"?${service}"?\\s*[=:]\\s*("[^"\\n]*"|[^\\s,}]+)`).exec(body)?.[1];
}

export function emulatorObstacle(place: Placement, tops: TopBlock[]): Obstacle | undefined {
  const provider = providerBlock(place, tops);
  if (!provider?.text.includes('endpoints')) return undefined;
  for (const [, body] of provider.text.matchAll(ENDPOINTS)) {
    const dynamodb = endpoint(body, 'dynamodb');
    // An AWS endpoint of another kind (FIPS, a VPC endpoint's name) leaves the other services where they are.
    if (!dynamodb || /\.amazonaws\.com(\.cn)?\b|\.api\.aws\b/.test(dynamodb)) continue;
    const missing = CALLED.filter((s) => !endpoint(body, s));
    if (missing.length === 0) continue;
    const name = place.provider || 'aws';
    return {
      kind: 'generated-key',
      step:
        `the provider ${name} sends DynamoDB to ${dynamodb} (an emulator such as LocalStack or DynamoDB Local) but not ` +
        `${missing.map((s) => s.toUpperCase()).join(' and ')}: the key and the account lookup a fix adds would go to AWS, where the emulator's ` +
        `credentials fail at plan, and the emulator's table could not use a key made there. Add ${missing.map((s) => `${s} = ${dynamodb}`).join(' and ')} ` +
        `to its endpoints block (tflocal sets every service), then run kmsfix again`,
    };
  }
  return undefined;
}
