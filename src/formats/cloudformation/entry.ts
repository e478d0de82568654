/** Cheap registry entry for the CloudFormation family: its parser loads only when a file needs it. */
import type { FormatEntry } from '../../core/types.js';

const TABLE_TYPE = /AWS::DynamoDB::(Global)?Table|AWS::Serverless::SimpleTable/;

export const cloudformationEntry: FormatEntry = {
  name: 'cloudformation',
  accepts: (path) => /\.(ya?ml|json|template)$/i.test(path) && !/(^|\/)(package(-lock)?|tsconfig|cdk)\.json$/i.test(path),
  prefilter: (text) => TABLE_TYPE.test(text),
  load: async () => (await import('./index.js')).cloudformation,
};
