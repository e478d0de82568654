/**
 * A Terraform provider that sends DynamoDB to an emulator but not KMS and STS (src/rule/emulator.ts):
 * `endpoints { dynamodb = "http://localhost:4566" }` in the configuration the table goes through.
 */
import { emulatorObstacle as obstacleOf } from '../../rule/emulator.js';
import type { Obstacle } from '../../rule/facts.js';
import type { Placement } from './placement.js';
import type { TopBlock } from './topBlocks.js';

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
    const o =
      dynamodb &&
      obstacleOf(
        place.provider || 'aws',
        dynamodb,
        (s) => endpoint(body, s) !== undefined,
        (s) => `${s} = ${dynamodb}`,
      );
    if (o) return o;
  }
  return undefined;
}
