// Saved snapshots are strict: a wrong schemaVersion type is named as such, impossible dates are refused
// (an unparseable signatureExpiresAt once turned an expired signature into a valid one).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { emptySnapshot, type Snapshot } from '../../src/model/snapshot.js';
import { loadSnapshot, saveSnapshot } from '../../src/model/snapshot-file.js';
import { isValidTimestamp } from '../../src/model/timestamp.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-snapshot-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function aSnapshot(job: Partial<Snapshot['signingJobs'][number]> = {}): Snapshot {
  const snapshot = emptySnapshot('aws', '2026-06-01T12:00:00.000Z');
  snapshot.signingJobs.push({
    jobId: 'job-1',
    jobArn: 'arn:aws:signer:us-east-1:111111111111:/signing-jobs/job-1',
    accountId: '111111111111',
    region: 'us-east-1',
    isRevoked: false,
    createdAt: '2025-06-01T12:00:00.000Z',
    signatureExpiresAt: '2026-01-01T00:00:00.000Z',
    ...job,
  });
  return snapshot;
}

function write(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

function loadError(file: string): string {
  try {
    loadSnapshot(file);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`${file} loaded`);
}

describe('loadSnapshot', () => {
  it('round-trips a saved snapshot', () => {
    const file = join(dir, 'ok.json');
    const snapshot = aSnapshot();
    saveSnapshot(file, snapshot);
    expect(loadSnapshot(file)).toEqual(snapshot);
  });

  it('says the type is wrong for "schemaVersion": "1"', () => {
    const file = write('string-version.json', { ...aSnapshot(), schemaVersion: '1' });
    expect(loadError(file)).toBe(
      `snapshot ${file}: schemaVersion must be a number (this Signet reads 1), got string "1"; pass a file written by --save-snapshot`,
    );
  });

  it('names a missing schemaVersion and another version', () => {
    const { schemaVersion: _, ...rest } = aSnapshot();
    expect(loadError(write('no-version.json', rest))).toMatch(/schemaVersion must be a number .* got none/);
    expect(loadError(write('v2.json', { ...aSnapshot(), schemaVersion: 2 }))).toMatch(
      /has schema version 2, this Signet reads 1; collect it again/,
    );
    expect(loadError(write('array.json', '[]'))).toMatch(/is not a JSON object/);
  });

  it('refuses signatureExpiresAt: "garbage" and other impossible dates, naming the field', () => {
    const cases: [string, Partial<Snapshot['signingJobs'][number]>, string][] = [
      ['garbage.json', { signatureExpiresAt: 'garbage' }, 'signingJobs.0.signatureExpiresAt'],
      ['feb30.json', { signatureExpiresAt: '2026-02-30T00:00:00Z' }, 'signingJobs.0.signatureExpiresAt'],
      ['month13.json', { createdAt: '2027-13-45T00:00:00Z' }, 'signingJobs.0.createdAt'],
      ['hour25.json', { createdAt: '2026-01-01T25:00:00Z' }, 'signingJobs.0.createdAt'],
      ['empty.json', { signatureExpiresAt: '' }, 'signingJobs.0.signatureExpiresAt'],
    ];
    for (const [name, job, path] of cases) {
      const message = loadError(write(name, aSnapshot(job)));
      expect(message, name).toContain(`is not valid at ${path}: must be an ISO 8601 date-time`);
    }
    expect(loadError(write('collected.json', { ...aSnapshot(), collectedAt: 'yesterday' }))).toContain(
      'is not valid at collectedAt',
    );
  });

  it('accepts the timestamp shapes AWS returns (Lambda LastModified with +0000, Signer ISO dates)', () => {
    for (const value of [
      '2026-01-31T12:00:00.000+0000',
      '2026-01-31T12:00:00Z',
      '2026-01-31T12:00:00.123456789+05:30',
      '2028-02-29T00:00:00Z',
      '2026-01-31',
    ])
      expect(isValidTimestamp(value), value).toBe(true);
    for (const value of [
      '2027-02-29T00:00:00Z',
      '9999-99-99',
      '2026-1-31',
      '2026-01-31T12:00:60Z',
      'NaN',
      '1e12',
    ])
      expect(isValidTimestamp(value), value).toBe(false);
  });

  it('property: every real instant’s ISO form is valid; an out-of-range month or day never is', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => isValidTimestamp(d.toISOString()),
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.oneof(fc.integer({ min: 13, max: 99 }), fc.constant(0)),
        fc.integer({ min: 1, max: 28 }),
        (y, m, d) =>
          !isValidTimestamp(
            `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T00:00:00Z`,
          ),
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 32, max: 99 }),
        (y, m, d) => !isValidTimestamp(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${d}`),
      ),
    );
  });
});
