/** The CloudFormation resource types of a DynamoDB table (SAM's SimpleTable too), read by every reader of a template's tables. */
export const TABLE_TYPES = ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Serverless::SimpleTable'];
