// Moved to src/model/ (snapshot-index.ts, refs.ts, arn.ts) so rules and engine no longer import each
// other; these re-exports keep branches written against the old path compiling. Import from model/.
export { parseSigningJobArn, parseSigningProfileArn, type SignerArn } from '../model/arn.js';
export { cscRef, functionRef, profileRef } from '../model/refs.js';
export { SnapshotIndex } from '../model/snapshot-index.js';
