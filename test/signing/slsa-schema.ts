// The published shapes, written from the specifications (independently of src/signing/provenance.ts):
// in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md,
// resource_descriptor.md, digest_set.md) and SLSA Provenance v1 (https://slsa.dev/spec/v1.0/provenance).
// Objects are strict so that Signet adds no field the specifications do not define.
import { z } from 'zod';

/** RFC 3986 URI: a scheme, then anything without spaces. */
const typeUri = z.string().regex(/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/, 'a URI (RFC 3986)');
/** RFC 3339 timestamp in UTC. */
const timestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'an RFC 3339 UTC timestamp');

/** DigestSet: algorithm → lower-case hex (sha256 64, sha512 128, gitCommit 40 or 64). */
const digestSet = z
  .record(z.string(), z.string())
  .refine((d) => Object.keys(d).length > 0, 'a digest set needs at least one digest')
  .refine(
    (d) =>
      Object.entries(d).every(([alg, value]) =>
        alg === 'sha256'
          ? /^[0-9a-f]{64}$/.test(value)
          : alg === 'sha512'
            ? /^[0-9a-f]{128}$/.test(value)
            : alg === 'gitCommit'
              ? /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(value)
              : /^[0-9a-f]+$/.test(value),
      ),
    'digests are lower-case hex of the right length',
  );

const resourceDescriptor = z
  .object({
    uri: typeUri.optional(),
    digest: digestSet.optional(),
    name: z.string().optional(),
    downloadLocation: typeUri.optional(),
    mediaType: z.string().optional(),
    content: z.string().optional(),
    annotations: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((r) => r.uri !== undefined || r.digest !== undefined || r.content !== undefined, {
    message: 'a ResourceDescriptor MUST set one of uri, digest, content',
  });

export const slsaProvenanceV1 = z
  .object({
    buildDefinition: z
      .object({
        buildType: typeUri,
        externalParameters: z.record(z.string(), z.unknown()),
        internalParameters: z.record(z.string(), z.unknown()).optional(),
        resolvedDependencies: z.array(resourceDescriptor).optional(),
      })
      .strict(),
    runDetails: z
      .object({
        builder: z
          .object({
            id: typeUri,
            builderDependencies: z.array(resourceDescriptor).optional(),
            version: z.record(z.string(), z.string()).optional(),
          })
          .strict(),
        metadata: z
          .object({
            invocationId: z.string().optional(),
            startedOn: timestamp.optional(),
            finishedOn: timestamp.optional(),
          })
          .strict()
          .optional(),
        byproducts: z.array(resourceDescriptor).optional(),
      })
      .strict(),
  })
  .strict();

export const inTotoStatementV1 = z
  .object({
    _type: z.literal('https://in-toto.io/Statement/v1'),
    // Subjects MUST carry a digest; names identify them.
    subject: z.array(z.object({ name: z.string().min(1), digest: digestSet }).strict()).min(1),
    predicateType: typeUri,
    predicate: z.record(z.string(), z.unknown()),
  })
  .strict();

/** Validates a Statement whose predicate is SLSA Provenance v1. */
export function checkSlsaStatement(doc: unknown): void {
  const statement = inTotoStatementV1.parse(doc);
  if (statement.predicateType !== 'https://slsa.dev/provenance/v1')
    throw new Error(`predicateType is ${statement.predicateType}`);
  slsaProvenanceV1.parse(statement.predicate);
}
