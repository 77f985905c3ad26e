// How a sandbox signature travels with a signed Lambda package. AWS does not document its format
// (spec §3.3), so the sandbox chooses: the signature lives in the ZIP archive comment, so a copied
// object, a ZipFile upload and a layer all stay verifiable. The ECDSA P-384 signature covers the
// SHA-384 digest of the unsigned archive plus the signature metadata, so altering either fails
// integrity.
import { createHash, sign, verify } from 'node:crypto';
import { readZipLayout, withZipComment } from './zip.js';

const MARKER = 'SIGNET-SANDBOX-SIGNATURE:';

export interface SignatureMetadata {
  platformId: string;
  profileVersionArn: string;
  jobArn: string;
  /** epoch seconds */
  signedAt: number;
  /** epoch seconds */
  expiresAt: number;
}

export type PackageInspection =
  | { kind: 'not-zip' }
  | { kind: 'unsigned' }
  | { kind: 'malformed-signature' }
  | { kind: 'signed'; metadata: SignatureMetadata; digest: Buffer; signature: Buffer };

function digestOf(unsigned: Buffer, metadata: SignatureMetadata): Buffer {
  return createHash('sha384').update(unsigned).update(JSON.stringify(metadata)).digest();
}

/** Reads the signature block of a package, if any, and the digest it must cover. */
export function inspectPackage(pkg: Buffer): PackageInspection {
  const layout = readZipLayout(pkg);
  if (!layout) return { kind: 'not-zip' };
  const comment = layout.comment.toString('utf8');
  if (!comment.startsWith(MARKER)) return { kind: 'unsigned' };
  try {
    const block = JSON.parse(Buffer.from(comment.slice(MARKER.length), 'base64').toString('utf8')) as {
      metadata: SignatureMetadata;
      signature: string;
    };
    const unsigned = withZipComment(pkg, layout, Buffer.alloc(0));
    return {
      kind: 'signed',
      metadata: block.metadata,
      digest: digestOf(unsigned, block.metadata),
      signature: Buffer.from(block.signature, 'base64'),
    };
  } catch {
    return { kind: 'malformed-signature' };
  }
}

/** Signs an unsigned ZIP with a profile version's private key (PEM); returns the signed package. */
export function signPackage(unsignedZip: Buffer, privateKeyPem: string, metadata: SignatureMetadata): Buffer {
  const layout = readZipLayout(unsignedZip);
  if (!layout) throw new Error('not a zip archive');
  const bare = withZipComment(unsignedZip, layout, Buffer.alloc(0));
  const signature = sign('sha384', digestOf(bare, metadata), { key: privateKeyPem, dsaEncoding: 'der' });
  const block = Buffer.from(JSON.stringify({ metadata, signature: signature.toString('base64') })).toString(
    'base64',
  );
  return withZipComment(bare, readZipLayout(bare)!, Buffer.from(MARKER + block, 'utf8'));
}

/** Integrity check: does the signature verify under the public key of the profile version it names? */
export function verifyDigest(digest: Buffer, signature: Buffer, publicKeyPem: string): boolean {
  try {
    return verify('sha384', digest, { key: publicKeyPem, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}
