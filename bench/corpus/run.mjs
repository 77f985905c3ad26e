// `signet iac` on the real-world corpus (../shared/corpus: SAM translator inputs/outputs, serverless
// patterns, terraform-aws-lambda, Serverless Framework examples). Prints files, functions, parse errors
// by cause, findings per rule and status, wall time, peak RSS, and the SAM differential: each
// function's package type and CSC state from sam-translator/input must agree with the CloudFormation
// SAM produces for it in sam-translator/output. Not part of `npm test`: users' clones lack the corpus.
//
//   npm run corpus [-- --corpus DIR]
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../../dist/config/schema.js';
import { evaluate } from '../../dist/engine/evaluate.js';
import { scanIac } from '../../dist/iac/index.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const argAt = process.argv.indexOf('--corpus');
// The corpus sits beside the repository (../shared/corpus); a worktree may sit one level deeper.
const candidates =
  argAt > 0
    ? [resolve(process.argv[argAt + 1])]
    : [resolve(repo, '../shared/corpus'), resolve(repo, '../../shared/corpus')];
const corpus = candidates.find((c) => existsSync(c));
if (!corpus) {
  console.log(`corpus: skipped, no corpus at ${candidates.join(' or ')} (it is not part of a clone)`);
  process.exit(0);
}

const FOLDERS = [
  'sam-translator/input',
  'serverless-patterns',
  'terraform-aws-lambda',
  'serverless-examples',
];
/** Files the corpus README lists as genuinely invalid (or a real cycle): errors expected there only. */
const EXPECTED_ERRORS = new Set([
  'serverless-patterns/apigw-custom-domain-edge/template.yaml',
  'serverless-patterns/rds-sns-event-notification/template.yaml',
  'serverless-patterns/s3-s3-replication-sam/template.yaml',
]);

const cause = (message) =>
  message
    .replace(/between resources: .*/, 'between resources')
    .replace(/ at line \d+.*/, '')
    .replace(/'[^']*'/g, "'…'")
    .slice(0, 90);

const config = defaultConfig();
const started = performance.now();
const cpuStart = process.cpuUsage();
let crashes = 0;
const totals = {
  files: 0,
  functions: 0,
  formats: {},
  errors: new Map(),
  unexpected: [],
  findings: new Map(),
};
for (const folder of FOLDERS) {
  const dir = join(corpus, folder);
  if (!existsSync(dir)) continue;
  let result;
  try {
    result = scanIac([dir], { baseDir: corpus });
  } catch (err) {
    crashes++;
    console.log(`CRASH scanning ${folder}: ${err?.stack ?? err}`);
    continue;
  }
  totals.files += result.scanned.length;
  totals.functions += result.snapshot.functions.length;
  for (const s of result.scanned) totals.formats[s.format] = (totals.formats[s.format] ?? 0) + 1;
  for (const p of result.problems) {
    if (p.level !== 'error') continue;
    const key = cause(p.message);
    totals.errors.set(key, (totals.errors.get(key) ?? 0) + 1);
    if (!EXPECTED_ERRORS.has(p.file)) totals.unexpected.push(`${p.file}:${p.line ?? '?'}: ${p.message}`);
  }
  for (const f of evaluate(result.snapshot, config).findings) {
    const row = totals.findings.get(f.ruleId) ?? {};
    row[f.status] = (row[f.status] ?? 0) + 1;
    totals.findings.set(f.ruleId, row);
  }
}
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);

// SAM differential: translator input vs the CloudFormation SAM generated from it.
const diff = { templates: 0, functions: 0, agree: 0, disagreements: [] };
const inputDir = join(corpus, 'sam-translator/input');
const outputDir = join(corpus, 'sam-translator/output');
const state = (fn, file) => {
  const csc = fn.codeSigningConfig;
  const target = csc.state === 'attached' ? ` → ${csc.id.slice(csc.id.indexOf('#') + 1)}` : '';
  return `${fn.packageType}/${csc.state}${target}${csc.arn ? ` ${csc.arn}` : ''}`.replace(file, '');
};
if (existsSync(inputDir) && existsSync(outputDir)) {
  for (const name of readdirSync(inputDir).sort()) {
    if (!/\.ya?ml$/.test(name) || name.startsWith('error_')) continue;
    const out = join(outputDir, name.replace(/\.ya?ml$/, '.json'));
    if (!existsSync(out)) continue;
    let a;
    let b;
    try {
      a = scanIac([join(inputDir, name)], { baseDir: corpus });
      b = scanIac([out], { baseDir: corpus });
    } catch (err) {
      crashes++;
      console.log(`CRASH in the SAM differential on ${name}: ${err?.stack ?? err}`);
      continue;
    }
    diff.templates++;
    const byId = (snap) =>
      new Map(snap.functions.map((f) => [f.provenance.source === 'iac' ? f.provenance.logicalId : f.id, f]));
    const inFns = byId(a.snapshot);
    const outFns = byId(b.snapshot);
    for (const [id, fn] of inFns) {
      diff.functions++;
      const other = outFns.get(id);
      const left = state(fn, '');
      const right = other ? state(other, '') : 'missing in output';
      if (left === right) diff.agree++;
      else diff.disagreements.push(`${name} ${id}: input ${left} · output ${right}`);
    }
  }
}

const rssMb = process.resourceUsage().maxRSS / 1024;
const pad = (s, n) => String(s).padEnd(n);
console.log(`corpus: ${relative(process.cwd(), corpus) || corpus}`);
console.log(
  `files scanned: ${totals.files} (${Object.entries(totals.formats)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')})`,
);
console.log(`functions: ${totals.functions}`);
console.log(`crashes: ${crashes}`);
console.log(`parse errors: ${[...totals.errors.values()].reduce((a, b) => a + b, 0)}`);
for (const [k, v] of [...totals.errors].sort((x, y) => y[1] - x[1])) console.log(`  ${pad(v, 4)} ${k}`);
console.log(`parse errors outside the files the corpus README lists as invalid: ${totals.unexpected.length}`);
for (const line of totals.unexpected.slice(0, 20)) console.log(`  ${line}`);
console.log('findings per rule and status:');
const statuses = ['FAIL', 'ERROR', 'UNKNOWN', 'NOT_APPLICABLE', 'PASS'];
console.log(`  ${pad('rule', 9)}${statuses.map((s) => pad(s, 15)).join('')}`);
for (const [rule, row] of [...totals.findings].sort()) {
  console.log(`  ${pad(rule, 9)}${statuses.map((s) => pad(row[s] ?? 0, 15)).join('')}`);
}
console.log(
  `wall time (scan + evaluate, 4 folders): ${(wallMs / 1000).toFixed(2)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s; on a shared machine wall time includes waiting)`,
);
console.log(`peak RSS: ${rssMb.toFixed(0)} MB`);
console.log(
  `SAM differential: ${diff.templates} templates, ${diff.functions} functions, ${diff.agree} agree, ${diff.disagreements.length} disagree`,
);
for (const line of diff.disagreements.slice(0, 30)) console.log(`  ${line}`);
process.exitCode = crashes > 0 || totals.unexpected.length > 0 || diff.disagreements.length > 0 ? 1 : 0;
