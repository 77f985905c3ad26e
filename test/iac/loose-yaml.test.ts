// Loose YAML that PyYAML (the SAM CLI's reader) accepts is read with exact positions; YAML that is
// genuinely invalid stays an error with its position.
import { describe, expect, it } from 'vitest';
import { IacParseError, parseYamlLocated } from '../../src/iac/source.js';

// biome-ignore lint/suspicious/noExplicitAny: walking a parsed document in assertions
type Doc = any;

function parseError(text: string): IacParseError {
  try {
    parseYamlLocated(text);
  } catch (err) {
    if (err instanceof IacParseError) return err;
    throw err;
  }
  throw new Error('expected a parse error');
}

describe('loose YAML', () => {
  it('reads a multi-line single-quoted !Sub whose closing line sits at the key’s indentation', () => {
    const text = `Resources:
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: !Sub '{
        "source": ["\${AWS::AccountId}"]
      }'
      State: ENABLED
`;
    const located = parseYamlLocated(text);
    const props = (located.value as Doc).Resources.Rule.Properties;
    expect(props.EventPattern).toEqual({ 'Fn::Sub': '{ "source": ["${AWS::AccountId}"] }' });
    expect(props.State).toBe('ENABLED');
    expect(located.pathPos(['Resources', 'Rule', 'Properties', 'State'])).toEqual({ line: 8, column: 7 });
  });

  it('reads a flow sequence [{ … }] whose closing bracket sits at the key’s indentation, keeping columns', () => {
    const text = `Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      Auth:
        ResourcePolicy:
          CustomStatements: [{
            "Effect": "Allow",
          "Action": "execute-api:Invoke"
          }]
      StageName: prod
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Resource: [
      !Sub "arn:\${AWS::Partition}:rds:::db",
      "x"
      ]
`;
    const located = parseYamlLocated(text);
    const value = located.value as Doc;
    expect(value.Resources.Api.Properties.Auth.ResourcePolicy.CustomStatements).toEqual([
      { Effect: 'Allow', Action: 'execute-api:Invoke' },
    ]);
    expect(value.Resources.Fn.Properties.Resource).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:rds:::db' },
      'x',
    ]);
    expect(located.pathPos(['Resources', 'Api', 'Properties', 'StageName'])).toEqual({ line: 11, column: 7 });
    expect(located.pathPos(['Resources', 'Fn'])).toEqual({ line: 12, column: 3 });
    // A key inside the re-indented flow map keeps its column in the original text.
    const statement = value.Resources.Api.Properties.Auth.ResourcePolicy.CustomStatements[0];
    expect(located.keyPos(statement, 'Action')).toEqual({ line: 9, column: 11 });
  });

  it('leaves block scalars alone, even when they contain brackets and quotes', () => {
    const located = parseYamlLocated(`A:
  Script: |
    echo '[{ not yaml
  B: [1,
    2]
`);
    expect(located.value).toEqual({ A: { Script: "echo '[{ not yaml\n", B: [1, 2] } });
  });

  it('keeps genuinely invalid YAML an error at its position', () => {
    const broken = parseError(`Resources:
  Mapping:curc
    Type: AWS::ApiGateway::BasePathMapping
`);
    expect(broken.message).toMatch(/^invalid YAML: /);
    expect(broken.line).toBe(2);

    const unclosed = parseError(`Resources:
  Fn:
    Properties:
      List: [{
        "a": 1
      }
      Other: 2
`);
    expect(unclosed.message).toMatch(/^invalid YAML: /);
    expect(unclosed.line).toBeGreaterThanOrEqual(4);

    const trailing = parseError(`Description: 'quoted' (trailing words)
Resources: {}
`);
    expect(trailing.line).toBe(1);
  });
});
