// Typed cross-service helpers. A service registers its implementation on `Internals` in its factory;
// another service reads it at request time with `internal(ctx.internals, 's3')`.
import type { AwsError } from './errors.js';
import type { Internals } from './service.js';

export interface StoredObject {
  body: Buffer;
  versionId?: string;
  metadata: Record<string, string>;
  /** Owner account and region of the bucket. */
  accountId: string;
  region: string;
  etag: string;
  lastModified: number;
}

export interface S3Internals {
  /** Reads an object (latest, or a given version); undefined when the bucket, key or version is absent. */
  getObject(bucket: string, key: string, versionId?: string): StoredObject | undefined;
  /** Writes an object into an existing bucket; returns the new version id when versioning is on. */
  putObject(
    bucket: string,
    key: string,
    body: Buffer,
    metadata?: Record<string, string>,
  ): { versionId?: string; etag: string } | AwsError;
  bucket(
    bucket: string,
  ): { accountId: string; region: string; versioning: 'Enabled' | 'Suspended' | undefined } | undefined;
}

/** The outcome of checking a package's embedded signature against Signer's records. */
export type SignatureCheck =
  | { kind: 'not-zip' }
  | { kind: 'unsigned' }
  /** Signature block present but does not verify (tampered package or forged block). */
  | { kind: 'integrity-failed'; profileVersionArn?: string; jobArn?: string }
  | {
      kind: 'signed';
      profileVersionArn: string;
      jobArn: string;
      platformId: string;
      /** epoch ms */
      signedAt: number;
      /** epoch ms */
      expiresAt: number;
      profileStatus: 'Active' | 'Canceled' | 'Revoked';
      /** epoch ms; signatures made at or after this instant are revoked with the profile. */
      profileRevokedFrom?: number;
      jobRevoked: boolean;
    };

export interface SignerInternals {
  /** Verifies a package's embedded signature with the key of the profile version it names. */
  checkPackage(pkg: Buffer): SignatureCheck;
}

export interface TaggedResource {
  arn: string;
  /** Tagging API resource type, e.g. `lambda:function`, `signer:signing-profile`. */
  resourceType: string;
  tags: Record<string, string>;
}

/** Something that owns taggable resources (Lambda, Signer) and lists them for the Tagging API. */
export type TaggedResourceProvider = (accountId: string, region: string) => TaggedResource[];

export interface InternalsMap {
  s3: S3Internals;
  signer: SignerInternals;
  taggingProviders: TaggedResourceProvider[];
}

export function internal<K extends keyof InternalsMap>(internals: Internals, name: K): InternalsMap[K] {
  const value = internals[name];
  if (value === undefined) throw new Error(`sandbox: internal service '${name}' is not registered`);
  return value as InternalsMap[K];
}

export function registerInternal<K extends keyof InternalsMap>(
  internals: Internals,
  name: K,
  value: InternalsMap[K],
): void {
  internals[name] = value;
}

export function addTaggingProvider(internals: Internals, provider: TaggedResourceProvider): void {
  const list = (internals.taggingProviders as TaggedResourceProvider[] | undefined) ?? [];
  list.push(provider);
  internals.taggingProviders = list;
}
