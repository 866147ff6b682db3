/**
 * A small, defensive zip reader for untrusted archives (PyTorch `torch.save` checkpoints): reads
 * the central directory, extracts stored (method 0) and deflate (method 8) entries, checks CRC-32,
 * and rejects zip64-only archives, unsafe names, overlapping entries, oversized entries and
 * zip bombs with typed errors.
 */
import { inflateSync } from 'fflate';
import { AdapterFormatError } from '../errors';
import { crc32 } from './crc32';

/** Limits applied while reading an archive. */
export interface ZipOptions {
  /** Largest uncompressed entry, in bytes (default 2 GiB). */
  maxEntrySize?: number;
  /** Largest sum of uncompressed entry sizes, in bytes (default 2 GiB). */
  maxTotalSize?: number;
  /** Largest uncompressed/compressed ratio of a deflate entry (default 1000). */
  maxRatio?: number;
}

/** One file of a zip archive, as described by the central directory. */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  compressedSize: number;
  /** Uncompressed size. */
  size: number;
  crc32: number;
  /** Offset of the entry's local header in the archive. */
  headerOffset: number;
  /** Offset of the entry's (compressed) data in the archive. */
  dataOffset: number;
}

const GIB2 = 2 * 1024 ** 3;
const SIG_EOCD = 0x06054b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A parsed, validated zip archive; entry data is extracted on demand by {@link ZipArchive.read}. */
export class ZipArchive {
  /** Entries by name, in central-directory order. */
  readonly entries: ReadonlyMap<string, ZipEntry>;

  constructor(
    private readonly bytes: Uint8Array,
    readonly file: string,
    entries: Map<string, ZipEntry>,
  ) {
    this.entries = entries;
  }

  /** Whether the archive holds an entry called `name`. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /**
   * The uncompressed bytes of entry `name` (a zero-copy view for stored entries), CRC-checked.
   * @throws AdapterFormatError when the entry is missing, uses an unsupported method, or is corrupt.
   */
  read(name: string): Uint8Array {
    const e = this.entries.get(name);
    if (!e) throw new AdapterFormatError(this.file, 'zip entry not found', name);
    const raw = this.bytes.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
    let out: Uint8Array;
    if (e.method === 0) {
      out = raw;
    } else if (e.method === 8) {
      let inflated: Uint8Array;
      try {
        // One spare byte reveals a stream that inflates to more than the declared size.
        inflated = inflateSync(raw, { out: new Uint8Array(e.size + 1) });
      } catch (err) {
        throw new AdapterFormatError(this.file, `corrupt deflate data: ${(err as Error).message}`, `${name} @ byte ${e.dataOffset}`);
      }
      if (inflated.length !== e.size) {
        const got = inflated.length > e.size ? `more than ${e.size}` : String(inflated.length);
        throw new AdapterFormatError(this.file, `inflates to ${got} bytes, declared ${e.size}`, `${name} @ byte ${e.dataOffset}`);
      }
      out = inflated;
    } else {
      throw new AdapterFormatError(this.file, `unsupported compression method ${e.method}`, `${name} @ byte ${e.headerOffset}`);
    }
    if (crc32(out) !== e.crc32) throw new AdapterFormatError(this.file, 'CRC-32 mismatch (corrupt entry)', `${name} @ byte ${e.dataOffset}`);
    return out;
  }
}

/**
 * Parses a zip archive's central directory and validates every entry (before anything is
 * allocated from a declared size).
 * @throws AdapterFormatError naming `file` and the entry or byte offset at fault.
 */
export function readZip(bytes: Uint8Array, file = '<buffer>', options: ZipOptions = {}): ZipArchive {
  const maxEntry = options.maxEntrySize ?? GIB2;
  const maxTotal = options.maxTotalSize ?? GIB2;
  const maxRatio = options.maxRatio ?? 1000;
  const fail = (message: string, location?: string): never => {
    throw new AdapterFormatError(file, message, location);
  };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => dv.getUint16(at, true);
  const u32 = (at: number) => dv.getUint32(at, true);

  const eocd = findEocd(bytes, dv);
  if (eocd < 0) return fail('not a zip archive (no end-of-central-directory record)', `byte ${bytes.length}`);
  const count = u16(eocd + 10);
  const cdSize = u32(eocd + 12);
  const cdOffset = u32(eocd + 16);
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0 || u16(eocd + 8) !== count) {
    fail('multi-disk zip archives are not supported', `byte ${eocd}`);
  }
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const hasLocator = eocd >= 20 && u32(eocd - 20) === SIG_ZIP64_LOCATOR;
    fail(`zip64 archives are not supported${hasLocator ? '' : ' (saturated end-of-central-directory fields)'}`, `byte ${eocd}`);
  }
  if (cdOffset + cdSize > eocd) fail('central directory lies outside the archive', `byte ${eocd}`);

  const entries = new Map<string, ZipEntry>();
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdOffset + cdSize || u32(p) !== SIG_CENTRAL) fail(`central directory entry ${i} is missing or corrupt`, `byte ${p}`);
    const flags = u16(p + 8);
    const method = u16(p + 10);
    const crc = u32(p + 16);
    const compressedSize = u32(p + 20);
    const size = u32(p + 24);
    const nameLen = u16(p + 28);
    const extraLen = u16(p + 30);
    const commentLen = u16(p + 32);
    const headerOffset = u32(p + 42);
    const next = p + 46 + nameLen + extraLen + commentLen;
    if (next > cdOffset + cdSize) fail(`central directory entry ${i} overruns the directory`, `byte ${p}`);
    let name: string;
    try {
      name = utf8.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    } catch {
      return fail('entry name is not valid UTF-8', `byte ${p + 46}`);
    }
    const where = `${name} @ byte ${p}`;
    checkName(name, fail, where);
    if (entries.has(name)) fail('duplicate entry name', where);
    if (flags & 0x41) fail('encrypted entries are not supported', where);
    if (compressedSize === 0xffffffff || size === 0xffffffff || headerOffset === 0xffffffff) {
      fail('zip64 entries are not supported', where);
    }
    if (size > maxEntry) fail(`uncompressed size ${size} exceeds the ${maxEntry}-byte limit`, where);
    total += size;
    if (total > maxTotal) fail(`total uncompressed size exceeds the ${maxTotal}-byte limit`, where);
    if (method === 0 && compressedSize !== size) fail(`stored entry has compressed size ${compressedSize} != size ${size}`, where);
    if (method === 8 && size > maxRatio * Math.max(compressedSize, 1)) {
      fail(`compression ratio ${(size / Math.max(compressedSize, 1)).toFixed(0)} exceeds ${maxRatio} (zip bomb?)`, where);
    }
    if (headerOffset + 30 > cdOffset || u32(headerOffset) !== SIG_LOCAL) fail('local header missing or corrupt', `${name} @ byte ${headerOffset}`);
    const dataOffset = headerOffset + 30 + u16(headerOffset + 26) + u16(headerOffset + 28);
    if (dataOffset + compressedSize > cdOffset) fail('entry data runs past the central directory', `${name} @ byte ${dataOffset}`);
    entries.set(name, { name, method, compressedSize, size, crc32: crc, headerOffset, dataOffset });
    p = next;
  }
  checkNoOverlap([...entries.values()], fail);
  return new ZipArchive(bytes, file, entries);
}

/** The offset of the end-of-central-directory record whose comment ends exactly at the end. */
function findEocd(bytes: Uint8Array, dv: DataView): number {
  const last = bytes.length - 22;
  for (let i = last; i >= 0 && i >= last - 0xffff; i--) {
    if (dv.getUint32(i, true) === SIG_EOCD && i + 22 + dv.getUint16(i + 20, true) === bytes.length) return i;
  }
  return -1;
}

function checkName(name: string, fail: (m: string, l?: string) => never, where: string): void {
  if (name.length === 0) fail('empty entry name', where);
  if (name.includes('\\') || name.includes('\0')) fail('entry name contains a backslash or NUL', where);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) fail('absolute entry name', where);
  if (name.split('/').includes('..')) fail("entry name contains a '..' segment", where);
}

/** Entries whose bytes overlap are a known zip-bomb construction; reject them. */
function checkNoOverlap(entries: ZipEntry[], fail: (m: string, l?: string) => never): void {
  const sorted = entries.sort((a, b) => a.headerOffset - b.headerOffset);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.headerOffset < prev.dataOffset + prev.compressedSize) {
      fail(`entry overlaps entry ${JSON.stringify(prev.name)}`, `${cur.name} @ byte ${cur.headerOffset}`);
    }
  }
}
