// Dependency cycles in SAM templates are judged as CloudFormation sees them after SAM's transform:
// references that land on generated resources (permissions, stages, deployment groups, resolvers) do
// not close a cycle; references SAM writes into another resource (S3 notifications, API definitions) do.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanIac } from '../../src/iac/index.js';

function scan(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'signet-sam-cycles-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'template.yaml'), text);
  return scanIac([dir], { baseDir: dir });
}

const cycles = (text: string) =>
  scan(text)
    .problems.filter((p) => p.message.startsWith('circular dependency'))
    .map((p) => p.message);

const HEAD = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
`;

describe('SAM dependency cycles', () => {
  it('accepts an API whose inline definition names the function that the function’s event names', () => {
    const result = scan(`${HEAD}  MyApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      AccessLogSetting:
        DestinationArn: !GetAtt ApiLogs.Arn
      DefinitionBody:
        openapi: '3.0.1'
        paths:
          /:
            get:
              x-amazon-apigateway-integration:
                httpMethod: POST
                type: aws_proxy
                uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${MyFunction.Arn}/invocations
  ApiLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub /aws/apigateway/\${MyApi}
  MyFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      AutoPublishAlias: live
      DeploymentPreference:
        Type: Canary10Percent5Minutes
        Alarms:
          - !Ref ErrorsAlarm
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref MyApi
            Path: /
            Method: get
  ErrorsAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: Errors
      Namespace: AWS/Lambda
      Dimensions:
        - Name: FunctionName
          Value: !Ref MyFunction
      ComparisonOperator: GreaterThanThreshold
      EvaluationPeriods: 1
      Period: 60
      Statistic: Sum
      Threshold: 0
`);
    expect(result.problems.filter((p) => p.level === 'error')).toEqual([]);
    expect(result.scanned).toEqual([{ file: 'template.yaml', format: 'sam' }]);
    // The template's function is judged, not lost to a parse error.
    expect(result.snapshot.functions.map((f) => f.name)).toEqual(['MyFunction']);
  });

  it('accepts GraphQL resolvers and data sources that point back at the API', () => {
    expect(
      cycles(`${HEAD}  Api:
    Type: AWS::Serverless::GraphQLApi
    Properties:
      SchemaInline: 'type Query { a: String }'
      Auth: { Type: API_KEY }
      Resolvers:
        Query:
          a:
            Runtime: { Name: APPSYNC_JS, Version: 1.0.0 }
            DataSource: !GetAtt Http.Name
  Http:
    Type: AWS::AppSync::DataSource
    Properties:
      ApiId: !GetAtt Api.ApiId
      Name: Http
      Type: HTTP
`),
    ).toEqual([]);
  });

  it('ignores references in an API definition that SAM does not edit (included or from a file)', () => {
    expect(
      cycles(`${HEAD}  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: s1
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters: { Location: ./api.yaml }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          API_URL: !Sub 'https://\${Api}.execute-api.\${AWS::Region}.amazonaws.com/\${Api.Stage}'
      Events:
        Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /, Method: get } }
`),
    ).toEqual([]);
  });

  it('ignores keys SAM drops (EndpointConfiguration.Name naming the API itself)', () => {
    expect(
      cycles(`${HEAD}  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      EndpointConfiguration:
        Type: REGIONAL
        Name: !Ref Api
`),
    ).toEqual([]);
  });

  it('reports the S3 cycle SAM really creates: the bucket notifies the function whose role names the bucket', () => {
    const found = cycles(`${HEAD}  Uploads:
    Type: AWS::S3::Bucket
  Resize:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - S3ReadPolicy:
            BucketName: !Ref Uploads
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/Uploads → Resize → Uploads|Resize → Uploads → Resize/);
    expect(found[0]).toContain('CloudFormation rejects this template');
  });

  it('reports a function that reads its own API’s id when SAM adds the event to the inline definition', () => {
    const found = cycles(`${HEAD}  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          API_ID: !Ref Api
      Events:
        Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /, Method: get } }
`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/Api → Fn → Api|Fn → Api → Fn/);
  });

  it('reports cycles between plain CloudFormation resources of a SAM template', () => {
    const found = cycles(`${HEAD}  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement: [{ Effect: Allow, Action: 's3:*', Resource: !Sub 'arn:aws:s3:::\${Bucket}' }]
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      ReplicationConfiguration: { Role: !GetAtt Role.Arn, Rules: [] }
`);
    expect(found).toHaveLength(1);
  });

  it('labels a template with SAM types but no Transform line as SAM', () => {
    const result = scan(`Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Runtime: python3.12, Handler: app.handler, CodeUri: src/ }
`);
    expect(result.scanned).toEqual([{ file: 'template.yaml', format: 'sam' }]);
  });
});
