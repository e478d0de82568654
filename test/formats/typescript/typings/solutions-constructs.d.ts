/**
 * Hand-written stand-in for the AWS Solutions Constructs its fixture uses (cdk-solutions-constructs): each
 * construct's table props, as named in source/patterns/@aws-solutions-constructs/<package>/lib/index.ts of
 * awslabs/aws-solutions-constructs; the rest of their props, loosely.
 */
declare module '@aws-solutions-constructs/aws-lambda-dynamodb' {
  import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
  import type * as lambda from 'aws-cdk-lib/aws-lambda';
  import { Construct } from 'constructs';
  export interface LambdaToDynamoDBProps {
    readonly lambdaFunctionProps?: lambda.FunctionProps;
    readonly dynamoTableProps?: dynamodb.TableProps;
    readonly existingTableObj?: dynamodb.Table;
  }
  export class LambdaToDynamoDB extends Construct {
    readonly dynamoTable: dynamodb.Table;
    constructor(scope: Construct, id: string, props: LambdaToDynamoDBProps);
  }
}

declare module '@aws-solutions-constructs/aws-dynamodbstreams-lambda' {
  import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
  import type * as lambda from 'aws-cdk-lib/aws-lambda';
  import { Construct } from 'constructs';
  export interface DynamoDBStreamsToLambdaProps {
    readonly lambdaFunctionProps?: lambda.FunctionProps;
    readonly dynamoTableProps?: dynamodb.TableProps;
    readonly existingTableInterface?: dynamodb.ITable;
  }
  export class DynamoDBStreamsToLambda extends Construct {
    constructor(scope: Construct, id: string, props: DynamoDBStreamsToLambdaProps);
  }
}

declare module '@aws-solutions-constructs/aws-apigateway-dynamodb' {
  import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
  import { Construct } from 'constructs';
  export interface ApiGatewayToDynamoDBProps {
    readonly dynamoTableProps?: dynamodb.TableProps;
    readonly existingTableObj?: dynamodb.Table;
  }
  export class ApiGatewayToDynamoDB extends Construct {
    constructor(scope: Construct, id: string, props: ApiGatewayToDynamoDBProps);
  }
}

declare module '@aws-solutions-constructs/aws-fargate-dynamodb' {
  import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
  import { Construct } from 'constructs';
  export interface FargateToDynamoDBProps {
    readonly publicApi: boolean;
    readonly dynamoTableProps?: dynamodb.TableProps;
    readonly existingTableInterface?: dynamodb.ITable;
  }
  export class FargateToDynamoDB extends Construct {
    constructor(scope: Construct, id: string, props: FargateToDynamoDBProps);
  }
}

declare module '@aws-solutions-constructs/aws-iot-lambda-dynamodb' {
  import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
  import type * as iot from 'aws-cdk-lib/aws-iot';
  import type * as lambda from 'aws-cdk-lib/aws-lambda';
  import { Construct } from 'constructs';
  export interface IotToLambdaToDynamoDBProps {
    readonly iotTopicRuleProps: iot.CfnTopicRuleProps;
    readonly lambdaFunctionProps: lambda.FunctionProps;
    readonly dynamoTableProps?: dynamodb.TableProps;
  }
  export class IotToLambdaToDynamoDB extends Construct {
    constructor(scope: Construct, id: string, props: IotToLambdaToDynamoDBProps);
  }
}
