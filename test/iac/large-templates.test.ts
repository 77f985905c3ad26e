// Large templates (issue 8 item 5): what keeps `signet iac` within ~10× a template's size must not
// change what it finds. Dependency cycles over long chains, resources let go once modelled, the lean
// heap asked for large YAML only, V8 hidden classes shared after a piece-by-piece parse, and `__proto__`
// keys kept as keys. Inputs are generated here; the memory figures themselves are in docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SnapshotBuilder } from '../../src/iac/builder.js';
import { scanCfnTemplate } from '../../src/iac/cloudformation.js';
import { LARGE_FILE_CHARS, scanIac } from '../../src/iac/scan.js';
import { parseJsonLocated, parseYamlLocated } from '../../src/iac/source.js';
import { CLI, ROOT, requireFreshDist } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-large-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A template of `n` resources R0…R(n-1) where each DependsOn the next; `closing` makes the last depend on R0. */
function chain(n: number, closing: boolean): string {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    resources[`R${i}`] = {
      Type: 'AWS::SNS::Topic',
      ...(last ? (closing ? { DependsOn: 'R0' } : {}) : { DependsOn: `R${i + 1}` }),
    };
  }
  resources.F = { Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: 'x' } } };
  return JSON.stringify({ Resources: resources });
}

function scanText(name: string, text: string) {
  writeFileSync(join(dir, name), text);
  return scanIac([join(dir, name)], { baseDir: dir });
}

const cycleErrors = (problems: { message: string }[]) =>
  problems.filter((p) => p.message.startsWith('circular dependency'));

describe('dependency cycles on long chains', () => {
  it('checks a 100,000-resource DependsOn chain without a stack overflow', () => {
    const result = scanText('chain.json', chain(100_000, false));
    expect(result.problems.filter((p) => p.level === 'error')).toEqual([]);
    expect(result.snapshot.functions).toHaveLength(1);
  });

  it('reports the cycle a 100,000-resource chain closes, with its length and not every name', () => {
    const result = scanText('cycle.json', chain(100_000, true));
    const [cycle, ...others] = cycleErrors(result.problems);
    expect(others).toEqual([]);
    expect(cycle!.message).toBe(
      `circular dependency between resources: R0 → R1 → R2 → R3 → R4 → R5 → R6 → R7 → R8 → R9 → R10 → … 99989 more … → R0; CloudFormation rejects this template`,
    );
    expect(cycle!.message.length).toBeLessThan(200);
    // The file's other resources are still modelled.
    expect(result.snapshot.functions).toHaveLength(1);
  });

  it('names every resource of a short cycle', () => {
    const result = scanText('short.json', chain(11, true));
    expect(cycleErrors(result.problems).map((p) => p.message)).toEqual([
      'circular dependency between resources: R0 → R1 → R2 → R3 → R4 → R5 → R6 → R7 → R8 → R9 → R10 → R0; CloudFormation rejects this template',
    ]);
  });

  it('names only the resources on the cycle, not the path that led to it, and reports it once', () => {
    const resources = {
      P: { Type: 'AWS::SNS::Topic', DependsOn: 'A' },
      A: { Type: 'AWS::SNS::Topic', DependsOn: ['B'] },
      // GetAtt in its string form, and Ref: both are dependencies.
      B: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { 'Fn::GetAtt': 'A.TopicName' } } },
      Q: { Type: 'AWS::SNS::Topic', Properties: { Tags: [{ Key: 'k', Value: { Ref: 'B' } }] } },
    };
    const result = scanText('prefix.json', JSON.stringify({ Resources: resources }));
    expect(cycleErrors(result.problems).map((p) => p.message)).toEqual([
      'circular dependency between resources: A → B → A; CloudFormation rejects this template',
    ]);
  });

  it('follows references at any depth of a property up to 64 levels, and survives 20,000', () => {
    // Written as text: JSON.stringify itself recurses once per level.
    const nest = (levels: number, inner: string) => {
      let open = '';
      let close = '';
      for (let i = 0; i < levels; i++) {
        open += i % 2 ? '[' : '{"k":';
        close = (i % 2 ? ']' : '}') + close;
      }
      return `${open}${inner}${close}`;
    };
    const cyclic = (levels: number) =>
      `{"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": ${nest(levels, '{"Ref": "B"}')}}},
        "B": {"Type": "AWS::SNS::Topic", "DependsOn": "A"},
        "F": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"ZipFile": "x"}}}}}`;
    expect(cycleErrors(scanText('shallow.json', cyclic(60)).problems)).toHaveLength(1);
    // Deeper than any real template: the reference is not followed, and the file is still scanned
    // (an unbounded walk would overflow the stack and make the whole file an error).
    const deep = scanText('deep.json', cyclic(20_000));
    expect(deep.problems.filter((p) => p.level === 'error')).toEqual([]);
    expect(deep.snapshot.functions).toHaveLength(1);
  });

  it('reports at most ten cycles of a template where every resource depends on every other', () => {
    const n = 300;
    const ids = Array.from({ length: n }, (_, i) => `R${i}`);
    const resources = Object.fromEntries(
      ids.map((id) => [id, { Type: 'AWS::SNS::Topic', DependsOn: ids.filter((d) => d !== id) }]),
    );
    const start = performance.now();
    const result = scanText('dense.json', JSON.stringify({ Resources: resources }));
    expect(cycleErrors(result.problems)).toHaveLength(10);
    // Linear in the edges (90,000): far from the quadratic path copies per back edge it would otherwise take.
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});

describe('resources let go once modelled (CfnInput.consume)', () => {
  const examples = join(ROOT, 'docs/rules/examples');
  const files = readdirSync(examples, { recursive: true, encoding: 'utf8' })
    .filter((f) => /^[^/]+\/(cloudformation|sam)-[^/]+\/template\.(ya?ml|json)$/.test(f))
    .map((f) => join(examples, f));

  /** Scans a template with and without consume: the same snapshot and problems, and what is left. */
  function compare(template: () => Record<string, unknown>, text?: string) {
    const run = (consume: boolean) => {
      const value = template();
      const located = text
        ? text.trimStart().startsWith('{')
          ? parseJsonLocated(text)
          : parseYamlLocated(text)
        : { value, keyPos: () => undefined, pathPos: () => undefined };
      const parsed = located.value as Record<string, unknown>;
      const builder = new SnapshotBuilder();
      const format = 'Transform' in parsed ? 'sam' : 'cloudformation';
      scanCfnTemplate({ template: parsed, file: 't', format, located, consume }, builder);
      return { snapshot: builder.snapshot('2026-01-01T00:00:00Z'), problems: builder.problems, parsed };
    };
    const kept = run(false);
    const consumed = run(true);
    expect(consumed.snapshot).toEqual(kept.snapshot);
    expect(consumed.problems).toEqual(kept.problems);
    // Only the types are left of the resources; without consume the template is untouched.
    for (const r of Object.values(consumed.parsed.Resources as Record<string, object>))
      expect(Object.keys(r)).toEqual(['Type']);
    expect(kept.parsed).toEqual(template());
    return kept.snapshot;
  }

  it('has rule examples to compare', () => expect(files.length).toBeGreaterThanOrEqual(10));

  it.each(files.map((f) => [f.slice(examples.length + 1), f]))('%s', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    compare(
      () =>
        (text.trimStart().startsWith('{') ? JSON.parse(text) : parseYamlLocated(text).value) as Record<
          string,
          unknown
        >,
      text,
    );
  });

  it('gives the same result on generated templates whose resources refer to ones before and after them (property-based)', () => {
    const kinds = [
      'AWS::Lambda::Function',
      'AWS::Serverless::Function',
      'AWS::Lambda::CodeSigningConfig',
      'AWS::Lambda::LayerVersion',
      'AWS::Signer::SigningProfile',
    ] as const;
    const spec = fc.record({
      kind: fc.constantFrom(...kinds),
      csc: fc.nat(),
      layer: fc.nat(),
      profile: fc.nat(),
      dependsOn: fc.option(fc.nat()),
    });
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 12 }), fc.boolean(), (specs, sam) => {
        const ids = specs.map((_, i) => `R${i}`);
        const pick = (n: number) => ids[n % ids.length]!;
        const build = () => {
          const resources: Record<string, unknown> = {};
          specs.forEach((s, i) => {
            const Properties: Record<string, unknown> =
              s.kind === 'AWS::Lambda::CodeSigningConfig'
                ? {
                    AllowedPublishers: {
                      SigningProfileVersionArns: [{ 'Fn::GetAtt': [pick(s.profile), 'ProfileVersionArn'] }],
                    },
                    CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
                  }
                : s.kind === 'AWS::Signer::SigningProfile'
                  ? { PlatformId: 'AWSLambda-SHA384-ECDSA' }
                  : s.kind === 'AWS::Lambda::LayerVersion'
                    ? { LayerName: `layer${i}` }
                    : {
                        CodeSigningConfigArn: { Ref: pick(s.csc) },
                        Layers: [{ Ref: pick(s.layer) }],
                        Tags:
                          s.kind === 'AWS::Lambda::Function'
                            ? [{ Key: 'env', Value: 'prod' }]
                            : { env: 'prod' },
                      };
            resources[ids[i]!] = {
              Type: s.kind,
              Properties,
              ...(s.dependsOn !== null ? { DependsOn: pick(s.dependsOn) } : {}),
            };
          });
          return {
            ...(sam
              ? { Transform: 'AWS::Serverless-2016-10-31', Globals: { Function: { Runtime: 'nodejs22.x' } } }
              : {}),
            Resources: resources,
          };
        };
        const text = stringify(build());
        compare(() => parseYamlLocated(text).value as Record<string, unknown>, text);
      }),
      { numRuns: 150 },
    );
  });
});

describe('the lean heap is asked for large YAML only (IacScanOptions.onLargeYaml)', () => {
  const template =
    'Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code: {ZipFile: x}\n';
  // Padding with comments: a file of the size without the parse time of that many resources.
  const padded = (comment: string) =>
    `${template}${`# ${'x'.repeat(98)}\n`.repeat(LARGE_FILE_CHARS / 100 + 1)}`.replace(/^/, comment);

  it('is called once for each YAML file of at least LARGE_FILE_CHARS characters, not for smaller ones', () => {
    writeFileSync(join(dir, 'big.yaml'), padded(''));
    writeFileSync(join(dir, 'big2.yml'), padded('# second\n'));
    writeFileSync(join(dir, 'small.yaml'), template);
    let calls = 0;
    const result = scanIac([dir], {
      baseDir: dir,
      onLargeYaml: () => calls++,
      maxFileBytes: 64 * 1024 * 1024,
    });
    expect(calls).toBe(2);
    expect(result.snapshot.functions).toHaveLength(3);
  });

  it('is not called for a large JSON template (parsed natively, within budget without it)', () => {
    const resources: Record<string, unknown> = {};
    for (let i = 0; resources && JSON.stringify(resources).length < LARGE_FILE_CHARS; i += 1000)
      for (let j = i; j < i + 1000; j++)
        resources[`F${j}`] = {
          Type: 'AWS::Lambda::Function',
          Properties: { Code: { ZipFile: 'x'.repeat(64) } },
        };
    writeFileSync(join(dir, 'big.json'), JSON.stringify({ Resources: resources }));
    let calls = 0;
    scanIac([dir], { baseDir: dir, onLargeYaml: () => calls++, maxFileBytes: 64 * 1024 * 1024 });
    expect(calls).toBe(0);
  });
});

describe('objects made after a piece-by-piece parse share V8 hidden classes', () => {
  it('two small objects built alike have the same map after 3,000 resources parsed in pieces', () => {
    requireFreshDist();
    // A piece's own object used to be `{}` with the resource's logical id as its first key: 3,000
    // transitions from V8's empty-object map, after which V8 stops sharing maps and every new object
    // (parsed values, the snapshot's tags) carries a hidden class of its own.
    const resources: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i++)
      resources[`Function${i}`] = {
        Type: 'AWS::Lambda::Function',
        Properties: { Tags: [{ Key: 'env', Value: 'prod' }] },
      };
    writeFileSync(join(dir, 't.yaml'), stringify({ Resources: resources }));
    const script = `
      import { parseYamlLocated } from ${JSON.stringify(join(ROOT, 'dist/iac/source.js'))};
      import { readFileSync } from 'node:fs';
      const v = parseYamlLocated(readFileSync(${JSON.stringify(join(dir, 't.yaml'))}, 'utf8'), { chunkAbove: 0 }).value;
      const make = (k) => { const o = {}; o[k] = 1; o.team = 2; return o; };
      const a = v.Resources.Function1.Properties.Tags[0];
      const b = v.Resources.Function2999.Properties.Tags[0];
      console.log(JSON.stringify({ fresh: %HaveSameMap(make('env'), make('env')), parsed: %HaveSameMap(a, b) }));
    `;
    const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: ROOT,
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ fresh: true, parsed: true });
    expect(CLI).toContain('dist');
  });
});

describe('a `__proto__` key is a key, as in JSON', () => {
  const yaml = `Resources:
  F:
    Type: AWS::Lambda::Function
    Properties:
      __proto__:
        CodeSigningConfigArn: arn:aws:lambda:eu-west-1:111122223333:code-signing-config:csc-0123456789abcdef0
      Code: {ZipFile: x}
`;

  it.each([
    ['whole document', Number.POSITIVE_INFINITY],
    ['in pieces', 0],
  ])('%s: an own property, not the prototype', (_how, chunkAbove) => {
    const value = parseYamlLocated(yaml, { chunkAbove }).value as {
      Resources: { F: { Properties: Record<string, unknown> } };
    };
    const props = value.Resources.F.Properties;
    expect(Object.hasOwn(props, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
    expect(props.CodeSigningConfigArn).toBeUndefined();
  });

  it('a CSC hidden under __proto__ does not count as attached (CloudFormation never sees it)', () => {
    const result = scanText('proto.yaml', yaml);
    expect(result.snapshot.functions[0]!.codeSigningConfig).toEqual({ state: 'none' });
  });

  it('a merge key (<<) brings in keys named like Object.prototype members', () => {
    const value = parseYamlLocated('base: &b {toString: kept, constructor: too}\nm:\n  <<: *b\n').value as {
      m: Record<string, unknown>;
    };
    expect(value.m).toEqual({ toString: 'kept', constructor: 'too' });
  });
});
