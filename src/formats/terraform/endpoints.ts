/**
 * A Terraform provider that sends DynamoDB to an emulator but not KMS and STS (src/rule/emulator.ts):
 * `endpoints { dynamodb = "http://localhost:4566" }` in the configuration the table goes through.
 */
import { emulatorObstacle } from '../../rule/emulator.js';
import type { Obstacle } from '../../rule/facts.js';
import { configRef, type Placement } from './placement.js';
import type { TopBlock } from './topBlocks.js';

/** `endpoints { ... }` (HCL) or `"endpoints": [{ ... }]` (JSON): the block's body. */
const ENDPOINTS = /"?\bendpoints"?\s*[:=]?\s*\[?\s*\{([^{}]*)\}/g;

function endpoint(body: string, service: string): string | undefined {
  return new RegExp(`(?:^|[\\s,{])"?${service}"?\\s*[=:]\\s*("[^"\\n]*"|[^\\s,}]+)`).exec(body)?.[1];
}

/** The obstacle of the provider configuration a placement names (`''` the default `aws`, `aws.east`, `awsalternate`), if any. */
export function endpointsObstacle(place: Placement, tops: TopBlock[]): Obstacle | undefined {
  const provider = tops.find((t) => configRef(t) === place.provider);
  if (!provider?.text.includes('endpoints')) return undefined;
  for (const [, body] of provider.text.matchAll(ENDPOINTS)) {
    const dynamodb = endpoint(body, 'dynamodb');
    const o =
      dynamodb &&
      emulatorObstacle(
        place.provider || 'aws',
        dynamodb,
        (s) => endpoint(body, s) !== undefined,
        (s) => `${s} = ${dynamodb}`,
      );
    if (o) return o;
  }
  return undefined;
}
