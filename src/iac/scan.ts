// `signet iac` input side: discovers template files under the given paths, recognises their format
// (CloudFormation/SAM, CDK assembly, Terraform module or plan, Serverless) and scans them into one
// IaC Snapshot. A file that cannot be parsed becomes a parse error; the other files are still scanned.
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { Snapshot } from '../model/snapshot.js';
import { type IacFormat, type IacProblem, SnapshotBuilder } from './builder.js';
import { scanCfnTemplate } from './cloudformation.js';
import { discover, readLimited } from './files.js';
import { type Body, type Expr, parseHcl } from './hcl.js';
import type { IacParams } from './params.js';
import { isSamTemplate } from './sam-dependencies.js';
import { isServerlessConfig, scanServerless } from './serverless.js';
import {
  findSuppressionComments,
  IacParseError,
  type Located,
  parseJsonLocated,
  parseYamlLocated,
  stripBom,
} from './source.js';
import { TerraformModule, type TfFile } from './terraform.js';
import { isTerraformPlan, scanTerraformPlan } from './terraform-plan.js';

export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface IacScanOptions {
  /** File names in the snapshot are relative to this directory (default: the working directory). */
  baseDir?: string;
  maxFileBytes?: number;
  collectedAt?: string;
  /** Deploy-time values of CloudFormation/SAM parameters and root-module Terraform variables. */
  params?: IacParams;
  /**
   * Called before each YAML file of at least LARGE_FILE_CHARS characters is parsed: the CLI then asks
   * V8 for a lean heap (src/util/gc.ts), which a library should not do behind its caller's back. (JSON,
   * parsed natively, stays within ~10× its size without it, and would take twice the time with it.)
   */
  onLargeYaml?: () => void;
}

/** A file of at least this many characters is "large" for `IacScanOptions.onLargeYaml`. */
export const LARGE_FILE_CHARS = 8 * 1024 * 1024;

export interface IacScanResult {
  snapshot: Snapshot;
  /** Errors, warnings and notes (nested stacks not followed, unresolved counts, …). */
  problems: IacProblem[];
  /** What was scanned, as what. */
  scanned: { file: string; format: IacFormat }[];
}

/**
 * Records why a file could not be scanned: its parse error with the position, or (for anything the
 * adapters did not expect, such as a stack overflow on input nobody anticipated) the error's message.
 */
function fileFailed(builder: SnapshotBuilder, file: string, err: unknown): void {
  if (err instanceof IacParseError) {
    builder.problem(err.file ?? file, err.message, { line: err.line, column: err.column });
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  builder.problem(file, `could not be scanned: ${message}`);
}

/** Runs one file's (or module's) scan so that its failure is its own error and the others still run. */
function isolate(builder: SnapshotBuilder, file: string, scan: () => void): void {
  // What the failed scan had already added is kept: it was built from the file before the failure.
  try {
    scan();
  } catch (err) {
    fileFailed(builder, file, err);
  }
}

/** Cheap check before parsing: does the text look like something we scan? */
function mayBeTemplate(text: string): boolean {
  return (
    text.includes('Resources') ||
    text.includes('AWSTemplateFormatVersion') ||
    text.includes('format_version') ||
    (text.includes('service') && text.includes('provider'))
  );
}

export function scanIac(paths: readonly string[], options: IacScanOptions = {}): IacScanResult {
  const baseDir = resolve(options.baseDir ?? process.cwd());
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const builder = new SnapshotBuilder();
  const scanned: IacScanResult['scanned'] = [];
  const rel = (abs: string) => {
    const r = relative(baseDir, abs);
    return (r === '' ? basename(abs) : r).split(sep).join('/');
  };
  const work = discover(
    paths.map((p) => resolve(p)),
    (abs, msg, level) => builder.problem(rel(abs), msg, undefined, level),
  );

  const read = (abs: string): string | undefined => {
    const result = readLimited(abs, maxBytes);
    if ('error' in result) {
      builder.problem(rel(abs), result.error, { line: 1, column: 1 });
      return undefined;
    }
    return result.text;
  };

  const deploy: DeployValues = { params: options.params ?? new Map(), knownParams: new Set<string>() };
  for (const { abs, explicit } of work.templates) {
    const file = rel(abs);
    let text = read(abs);
    if (text === undefined) continue;
    if (!explicit && !mayBeTemplate(text)) continue;
    const json = /\.json$/i.test(abs) || /^\s*\{/.test(text);
    if (!json && text.length >= LARGE_FILE_CHARS) options.onLargeYaml?.();
    let located: Located;
    try {
      located = json ? parseJsonLocated(text) : parseYamlLocated(text);
    } catch (err) {
      if (explicit || mayBeTemplate(text)) fileFailed(builder, file, err);
      continue;
    }
    // From here the text is reachable only through `source`, which scanParsed empties once it has
    // what it needs: a large template's text then goes before the snapshot is built.
    const source = { text: text as string | undefined };
    text = undefined;
    isolate(builder, file, () => scanParsed(located, source, abs, file, builder, scanned, deploy));
  }

  const assemblyVisits: AssemblyVisits = { dirs: new Set(), templates: new Set() };
  for (const dir of work.assemblies)
    isolate(builder, rel(join(dir, 'manifest.json')), () =>
      scanAssembly(dir, builder, scanned, rel, read, assemblyVisits),
    );

  // Terraform: parse every directory first, so that a directory only ever called as a local module
  // is evaluated through its callers (with their inputs), not again as a root with its defaults.
  const tfParsed = new Map<string, TfFile[]>();
  const parseTf = (abs: string): TfFile | undefined => {
    const text = read(abs);
    if (text === undefined) return undefined;
    try {
      return { file: rel(abs), body: parseHcl(text), comments: findSuppressionComments(text) };
    } catch (err) {
      fileFailed(builder, rel(abs), err);
      return undefined;
    }
  };
  const tfDirs = [...work.terraformDirs].sort(([a], [b]) => a.localeCompare(b));
  for (const [dir, entry] of tfDirs) {
    tfParsed.set(
      dir,
      entry.tf.sort().flatMap((abs) => parseTf(abs) ?? []),
    );
  }
  const tfScanned = new Set<string>();
  const loadModule = (absDir: string): TfFile[] | undefined => {
    let files = tfParsed.get(absDir);
    if (!files) {
      // A module outside the scanned paths (e.g. `source = "../../"` from an example).
      let names: string[] = [];
      try {
        names = readdirSync(absDir)
          .filter((n) => n.endsWith('.tf'))
          .sort();
      } catch {
        names = [];
      }
      files = names.flatMap((n) => parseTf(join(absDir, n)) ?? []);
      tfParsed.set(absDir, files);
    }
    for (const f of files) tfScanned.add(f.file);
    return files.length > 0 ? files : undefined;
  };
  const roots = terraformRoots(
    tfDirs.map(([dir]) => dir),
    tfParsed,
  );
  for (const [dir, entry] of tfDirs) {
    if (!roots.has(dir)) continue;
    const files = tfParsed.get(dir) ?? [];
    const varFiles: { file: string; body: Body }[] = [];
    const ordered = entry.tfvars.sort(
      (a, b) =>
        Number(basename(a) !== 'terraform.tfvars') - Number(basename(b) !== 'terraform.tfvars') ||
        a.localeCompare(b),
    );
    for (const abs of ordered) {
      const text = read(abs);
      if (text === undefined) continue;
      try {
        varFiles.push({ file: rel(abs), body: parseHcl(text) });
      } catch (err) {
        fileFailed(builder, rel(abs), err);
      }
    }
    if (files.length === 0) continue;
    isolate(builder, files[0]!.file, () =>
      new TerraformModule(files, varFiles, builder, { ...deploy, dir, loadModule }).scan(),
    );
    for (const f of files) tfScanned.add(f.file);
  }
  for (const file of [...tfScanned].sort()) scanned.push({ file, format: 'terraform' });

  for (const [name, given] of deploy.params) {
    if (!deploy.knownParams.has(name))
      builder.problem(
        given.source,
        `${name} is given a value but no scanned template declares a parameter or variable of that name; check the spelling`,
        undefined,
        'note',
      );
  }

  return { snapshot: builder.snapshot(options.collectedAt), problems: builder.problems, scanned };
}

/**
 * Terraform directories evaluated as roots: those no scanned directory calls as a local module
 * (`source = "./…"` or `"../…"`), plus any left unreached (modules that only call each other).
 */
function terraformRoots(dirs: string[], parsed: Map<string, TfFile[]>): Set<string> {
  const calls = new Map<string, string[]>();
  const called = new Set<string>();
  for (const dir of dirs) {
    const targets: string[] = [];
    for (const f of parsed.get(dir) ?? []) {
      for (const block of f.body.blocks) {
        if (block.type !== 'module') continue;
        const source = localModuleSource(block.body.attrs.get('source')?.expr);
        if (source === undefined) continue;
        const target = resolve(dir, source);
        targets.push(target);
        if (target !== dir) called.add(target);
      }
    }
    calls.set(dir, targets);
  }
  const roots = new Set(dirs.filter((d) => !called.has(d)));
  const reached = new Set<string>();
  const visit = (dir: string) => {
    if (reached.has(dir)) return;
    reached.add(dir);
    for (const t of calls.get(dir) ?? []) visit(t);
  };
  for (const r of roots) visit(r);
  for (const dir of dirs) {
    if (reached.has(dir)) continue;
    roots.add(dir);
    visit(dir);
  }
  return roots;
}

function localModuleSource(expr: Expr | undefined): string | undefined {
  const text =
    expr?.k === 'lit' && typeof expr.v === 'string'
      ? expr.v
      : expr?.k === 'tpl' && expr.parts.length === 1 && typeof expr.parts[0] === 'string'
        ? expr.parts[0]
        : undefined;
  return text !== undefined && (text.startsWith('./') || text.startsWith('../')) ? text : undefined;
}

interface DeployValues {
  params: IacParams;
  knownParams: Set<string>;
}

function scanParsed(
  located: Located,
  source: { text: string | undefined },
  abs: string,
  file: string,
  builder: SnapshotBuilder,
  scanned: IacScanResult['scanned'],
  deploy: DeployValues,
): void {
  const value = located.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const obj = value as Record<string, unknown>;
  if (isTerraformPlan(obj)) {
    scanTerraformPlan(obj, source.text ?? '', file, builder);
    scanned.push({ file, format: 'terraform-plan' });
    return;
  }
  const comments = findSuppressionComments(source.text ?? '');
  source.text = undefined;
  if (isServerlessConfig(obj, basename(abs))) {
    const provider = obj.provider;
    const name =
      typeof provider === 'string'
        ? provider
        : typeof provider === 'object' && provider !== null
          ? (provider as Record<string, unknown>).name
          : undefined;
    if (typeof name === 'string' && name !== 'aws') {
      // Another cloud's service (azure, google, …): nothing for Lambda code signing to judge.
      builder.problem(file, `Serverless service for provider '${name}', not AWS; skipped`, undefined, 'note');
      return;
    }
    scanServerless(obj, located, file, comments, builder);
    scanned.push({ file, format: 'serverless' });
    return;
  }
  const isCfn =
    'AWSTemplateFormatVersion' in obj ||
    (typeof obj.Resources === 'object' &&
      obj.Resources !== null &&
      !Array.isArray(obj.Resources) &&
      Object.values(obj.Resources).some(
        (r) => typeof r === 'object' && r !== null && typeof (r as Record<string, unknown>).Type === 'string',
      ));
  if (!isCfn) return;
  const format: IacFormat = isSamTemplate(obj) ? 'sam' : 'cloudformation';
  scanCfnTemplate(
    {
      template: obj,
      file,
      format,
      located,
      comments,
      params: deploy.params,
      knownParams: deploy.knownParams,
      // Nothing reads this file's parsed value after the adapter: let each resource go once modelled.
      consume: true,
    },
    builder,
  );
  scanned.push({ file, format });
}

/** Nested assemblies (stages) deeper than this are not followed; CDK apps nest a stage or two. */
export const MAX_ASSEMBLY_DEPTH = 10;

/** Real paths already scanned, so a manifest pointing at "." or at a sibling is read once. */
interface AssemblyVisits {
  dirs: Set<string>;
  templates: Set<string>;
}

function realOr(abs: string): string {
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}

/** A CDK cloud assembly: stacks listed in manifest.json, nested assemblies (stages) and nested stacks. */
function scanAssembly(
  dir: string,
  builder: SnapshotBuilder,
  scanned: IacScanResult['scanned'],
  rel: (abs: string) => string,
  read: (abs: string) => string | undefined,
  visits: AssemblyVisits,
  depth = 0,
): void {
  const manifestPath = join(dir, 'manifest.json');
  const real = realOr(dir);
  if (visits.dirs.has(real)) return;
  visits.dirs.add(real);
  const text = read(manifestPath);
  if (text === undefined) return;
  let manifest: Record<string, unknown>;
  let manifestLocated: Located;
  try {
    manifestLocated = parseJsonLocated(text);
    manifest = manifestLocated.value as Record<string, unknown>;
  } catch (err) {
    if (!(err instanceof IacParseError)) throw err;
    builder.problem(rel(manifestPath), err.message, { line: err.line, column: err.column });
    return;
  }
  const artifacts = (manifest?.artifacts ?? {}) as Record<
    string,
    {
      type?: string;
      properties?: Record<string, unknown>;
      metadata?: unknown;
      additionalMetadataFile?: string;
    }
  >;
  // Construct paths by logical id, from the manifest's metadata (inline or in `<stack>.metadata.json`).
  const paths = new Map<string, string>();
  const addPaths = (metadata: unknown) => {
    if (typeof metadata !== 'object' || metadata === null) return;
    for (const [path, entries] of Object.entries(metadata as Record<string, unknown>)) {
      for (const entry of Array.isArray(entries) ? entries : []) {
        if (entry?.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
          paths.set(entry.data, path.replace(/^\//, '').replace(/\/Resource$/, ''));
        }
      }
    }
  };
  const templates: string[] = [];
  for (const artifact of Object.values(artifacts)) {
    const props = artifact?.properties ?? {};
    if (artifact?.type === 'aws:cloudformation:stack') {
      addPaths(artifact.metadata);
      if (typeof artifact.additionalMetadataFile === 'string') {
        // Names are cosmetic: without the metadata file (unreadable, too big, not JSON), logical ids are used.
        const meta = readLimited(join(dir, artifact.additionalMetadataFile), DEFAULT_MAX_FILE_BYTES);
        if ('text' in meta) {
          try {
            addPaths(JSON.parse(stripBom(meta.text)));
          } catch {}
        }
      }
    }
    if (artifact?.type === 'aws:cloudformation:stack' && typeof props.templateFile === 'string')
      templates.push(join(dir, props.templateFile));
    if (artifact?.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string') {
      const nested = join(dir, props.directoryName);
      if (visits.dirs.has(realOr(nested))) {
        builder.problem(
          rel(manifestPath),
          `nested assembly ${props.directoryName} is an assembly already scanned (a manifest pointing at itself or a parent); not followed again`,
          manifestLocated.pathPos(['artifacts']),
          'warning',
        );
      } else if (depth + 1 > MAX_ASSEMBLY_DEPTH) {
        builder.problem(
          rel(manifestPath),
          `nested assemblies go deeper than ${MAX_ASSEMBLY_DEPTH} levels; ${props.directoryName} is not scanned`,
          undefined,
          'error',
        );
      } else scanAssembly(nested, builder, scanned, rel, read, visits, depth + 1);
    }
  }
  const queue = [...templates];
  const seen = visits.templates;
  while (queue.length > 0) {
    const abs = queue.shift()!;
    const realTemplate = realOr(abs);
    if (seen.has(realTemplate)) continue;
    seen.add(realTemplate);
    const file = rel(abs);
    const body = read(abs);
    if (body === undefined) continue;
    let located: Located;
    try {
      located = parseJsonLocated(body);
    } catch (err) {
      if (!(err instanceof IacParseError)) throw err;
      builder.problem(file, err.message, { line: err.line, column: err.column });
      continue;
    }
    const template = located.value as Record<string, unknown>;
    const resources = (template?.Resources ?? {}) as Record<
      string,
      { Type?: string; Metadata?: Record<string, unknown> }
    >;
    const nested = new Set<string>();
    for (const [id, res] of Object.entries(resources)) {
      const asset = res?.Metadata?.['aws:asset:path'];
      if (
        res?.Type === 'AWS::CloudFormation::Stack' &&
        typeof asset === 'string' &&
        existsSync(join(dir, asset))
      ) {
        queue.push(join(dir, asset));
        nested.add(id);
      }
    }
    scanCfnTemplate(
      {
        template,
        file,
        format: 'cdk',
        located,
        comments: findSuppressionComments(body),
        displayName: (id, res) => {
          const meta = res.Metadata as Record<string, unknown> | undefined;
          const path = meta?.['aws:cdk:path'];
          return typeof path === 'string' ? path.replace(/\/Resource$/, '') : paths.get(id);
        },
        nestedHandled: nested,
      },
      builder,
    );
    scanned.push({ file, format: 'cdk' });
  }
}
