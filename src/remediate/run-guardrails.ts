// `signet guardrails scp` behind the CLI: build, size-check and write the SCP(s).
import { writeFileAtomic } from '../util/fs.js';
import { buildScps, DEFAULT_ADMIN_ROLE, renderScp, SCP_LIMITS, splitFileNames } from './guardrails.js';

export function runGuardrailsScp(opts: {
  output?: string;
  allowedCsc?: string[];
  adminRole?: string[];
}): number {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const adminRoles = opts.adminRole?.length ? opts.adminRole : [DEFAULT_ADMIN_ROLE];
  if (!opts.adminRole?.length)
    log(`admin roles: ${DEFAULT_ADMIN_ROLE} (the role signet apply uses; pass --admin-role to choose)`);
  const docs = buildScps({ allowedCscs: opts.allowedCsc ?? [], adminRoles });
  if (opts.output) {
    const files = splitFileNames(opts.output, docs.length);
    for (const [i, doc] of docs.entries()) writeFileAtomic(files[i]!, renderScp(doc));
    log(`wrote ${files.join(', ')}${docs.length > 1 ? ' (split: over 5,120 characters as one policy)' : ''}`);
  } else {
    process.stdout.write(docs.length === 1 ? renderScp(docs[0]!) : `${JSON.stringify(docs, null, 2)}\n`);
  }
  for (const limit of SCP_LIMITS) log(`note: ${limit}`);
  return 0;
}
