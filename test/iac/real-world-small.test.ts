// Smaller real-world cases: Serverless services for other clouds, functions whose name resolves to "".
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanIac } from '../../src/iac/index.js';

function scan(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'signet-small-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return scanIac([dir], { baseDir: dir });
}

describe('real-world small cases', () => {
  it('does not count a serverless.yml for another cloud as a scanned AWS service', () => {
    const { scanned, snapshot, problems } = scan({
      'azure/serverless.yml':
        'service: hello\nprovider:\n  name: azure\nfunctions:\n  hello:\n    handler: src/handler.hello\n',
      'aws/serverless.yml':
        'service: hello\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  hello:\n    handler: handler.hello\n',
    });
    expect(scanned).toEqual([{ file: 'aws/serverless.yml', format: 'serverless' }]);
    expect(snapshot.functions).toHaveLength(1);
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: 'azure/serverless.yml',
        level: 'note',
        message: expect.stringContaining("provider 'azure'"),
      }),
    );
  });

  it('names a CloudFormation function whose FunctionName resolves to "" by its logical id', () => {
    const { snapshot } = scan({
      'template.yaml': `Parameters:
  Name: { Type: String, Default: '' }
Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties: { Code: { ZipFile: x }, FunctionName: !Ref Name }
`,
    });
    expect(snapshot.functions.map((f) => f.name)).toEqual(['Worker']);
  });

  it('drops a SAM function whose id SAM takes for the API it generates for events naming no API', () => {
    const { snapshot, problems } = scan({
      'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: s3://bucket/app.zip
      Events:
        Get: { Type: Api, Properties: { Path: /, Method: get } }
  ServerlessRestApi:
    Type: AWS::Serverless::Function
    Properties: { Runtime: python3.12, Handler: app.handler, CodeUri: s3://bucket/app.zip }
`,
    });
    expect(snapshot.functions.map((f) => f.name)).toEqual(['Handler']);
    expect(problems).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        message: expect.stringContaining('ServerlessRestApi is replaced'),
      }),
    );
  });
});
