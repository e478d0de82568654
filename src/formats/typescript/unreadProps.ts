/**
 * A table's props (CDK Table, TableV2 and CfnTable props, Pulumi table args, a CDKTF table config) that kmsfix reads
 * nothing from that decides the table's key or how a fix gives it one: its keys and attributes, its capacity and
 * billing, its time to live, its indexes, its table class, its contributor insights. A change of one of them in a
 * `const` holding the props after its declaration (`props.billingMode = ...`, `args.tags.stage = 'prod'`) leaves the
 * rest read as the initializer says (mutatedConsts.ts changeBeyond); a change of any other prop, of one kmsfix
 * cannot name, or of the whole const makes the table `unknown`. Not here, since kmsfix reads them: the encryption
 * settings, replicas and their Regions, the table's own Region, provider and lifecycle, its name (the alias's),
 * its deletion protection, point-in-time recovery and removal policy (what keeps the key), its resource policies, its
 * stream. `tags` are here: a CDKTF or Pulumi key copies them only when the file does not change them (keyTags.ts).
 */
export const UNREAD_TABLE_PROPS: ReadonlySet<string> = new Set([
  // CDK Table / TableV2
  'partitionKey',
  'sortKey',
  'billingMode',
  'billing',
  'readCapacity',
  'writeCapacity',
  'maxReadRequestUnits',
  'maxWriteRequestUnits',
  'timeToLiveAttribute',
  'tableClass',
  'contributorInsightsEnabled',
  'contributorInsights',
  'globalSecondaryIndexes',
  'localSecondaryIndexes',
  // CfnTable
  'keySchema',
  'attributeDefinitions',
  'provisionedThroughput',
  'timeToLiveSpecification',
  'contributorInsightsSpecification',
  // Pulumi table args, CDKTF table config
  'attributes',
  'attribute',
  'hashKey',
  'rangeKey',
  'ttl',
  'globalSecondaryIndex',
  'localSecondaryIndex',
  'tags',
]);
