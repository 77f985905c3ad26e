// Minimal ZIP reading/writing for the sandbox: enough to build deployment packages, check that an
// upload is a ZIP, and carry a signature in the archive comment.
import { crc32 } from 'node:zlib';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MIN = 22;

export interface ZipEntryInput {
  name: string;
  data: Buffer | string;
}

/** Builds a ZIP archive with stored (uncompressed) entries. */
export function createZip(entries: ZipEntryInput[], comment = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIGNATURE, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(0, 10); // time/date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_SIGNATURE, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const centralDir = Buffer.concat(centrals);
  const commentBytes = Buffer.from(comment, 'utf8');
  const eocd = Buffer.alloc(EOCD_MIN);
  eocd.writeUInt32LE(EOCD_SIGNATURE, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(centralDir.length, 12);
  eocd.writeUInt32LE(offset, 16);
  eocd.writeUInt16LE(commentBytes.length, 20);
  return Buffer.concat([...locals, centralDir, eocd, commentBytes]);
}

export interface ZipLayout {
  entryCount: number;
  /** Offset of the end-of-central-directory record. */
  eocdOffset: number;
  comment: Buffer;
}

/** Locates the end-of-central-directory record; undefined when the buffer is not a ZIP archive. */
export function readZipLayout(buf: Buffer): ZipLayout | undefined {
  if (buf.length < EOCD_MIN) return undefined;
  const start = Math.max(0, buf.length - EOCD_MIN - 0xffff);
  for (let i = buf.length - EOCD_MIN; i >= start; i--) {
    if (buf.readUInt32LE(i) !== EOCD_SIGNATURE) continue;
    const commentLength = buf.readUInt16LE(i + 20);
    if (i + EOCD_MIN + commentLength !== buf.length) continue;
    const entryCount = buf.readUInt16LE(i + 10);
    const centralSize = buf.readUInt32LE(i + 12);
    const centralOffset = buf.readUInt32LE(i + 16);
    if (centralOffset + centralSize > i) return undefined;
    if (entryCount > 0 && buf.readUInt32LE(centralOffset) !== CENTRAL_SIGNATURE) return undefined;
    return { entryCount, eocdOffset: i, comment: buf.subarray(i + EOCD_MIN) };
  }
  return undefined;
}

/** Returns a copy of the archive with its comment replaced. */
export function withZipComment(buf: Buffer, layout: ZipLayout, comment: Buffer): Buffer {
  if (comment.length > 0xffff) throw new Error('zip comment too long');
  const head = Buffer.from(buf.subarray(0, layout.eocdOffset + EOCD_MIN));
  head.writeUInt16LE(comment.length, layout.eocdOffset + 20);
  return Buffer.concat([head, comment]);
}
