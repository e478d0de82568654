/**
 * Running a CommonJS file with V8's compiled code for it saved in kmsfix's cache folder (src/io/cache.ts):
 * Node 20 has no `module.enableCompileCache` (Node 22), so the files whose compile costs most are run
 * through vm.Script with `cachedData`, the way Node would run them with require(). Used for the
 * TypeScript parser (src/formats/typescript/compiler.ts) and for the CLI itself (src/cli/start.ts).
 *
 * V8 checks cached code against the engine, its flags (src/core/tiering.ts) and the source's length
 * only: a cache file's name must change with the file's content (a version, a hash). Rejected cached
 * code is compiled again. V8 does not check the code's own bytes (its checksum is a debug build's): code
 * with bytes changed (a bad disk block, a copy cut and padded) crashed the process when run, and every run
 * after it, until the file was removed (session 65's adversarial pass). A cache file is V8's bytes and a
 * CRC-32 of them (sealed); a file whose CRC-32 does not match is not given to V8, and is written again.
 * CRC-32, not a cryptographic hash: it is there for damage, not for someone who can write the cache folder
 * (who could write the code itself), and node:crypto's SHA-1 cost a one-file scan some 24 million
 * instructions (OpenSSL's start; `node -e 0` is about 87 million); node:zlib's top level loads Node's streams: the
 * binding's crc32 alone costs well under one (binding.ts).
 */
import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { processBinding } from '../core/binding.js';
import { underDefaultFlags } from '../core/tiering.js';
import { pruneStale, readCache, writeCache } from './cache.js';

export interface CachedRun {
  /** The file's `module.exports`. */
  exports: unknown;
  /**
   * Writes the cache file: there when it was missing or rejected. Called after the work the file was
   * loaded for, it saves the functions that work compiled too (V8 compiles a function on its first call).
   */
  save?: () => void;
  /**
   * Writes the cache file again when the cached code read from it was accepted and the work compiled
   * functions it lacked (the cached code V8 makes now is larger by more than 1/32): a tree's runs
   * (src/cli/start.ts), whose file the first one wrote with only the formats it read.
   */
  grow?: () => void;
}

/** The cache file name for code `base` (which names the file's content) on this Node version and architecture. */
export function codeCacheName(base: string): string {
  return `${base}-node${process.version}-${process.arch}.v8cache`;
}

/** Where runCached reads and keeps cached code besides `cacheFile`. */
export interface CacheFiles {
  /** Read this file's cached code instead (the same code's, written for another kind of run): kept as it is, and `cacheFile` written only if V8 rejects it. */
  readFrom?: string;
  /** The name's start shared by the files of this build (each kind of run's, src/cli/codeVariant.ts): pruneStale keeps them. */
  build?: string;
}

/** Run CommonJS `file` (as require() would, once) with the cached code in `cacheFile`, when there is some. */
export function runCached(file: string, cacheFile: string, files: CacheFiles = {}): CachedRun {
  const cachedData = unsealed(readCache(files.readFrom ?? cacheFile));
  // ASCII text decoded as latin1 (13 ms instead of 36 for typescript.js's 9 MB); esbuild writes ASCII.
  const bytes = readFileSync(file);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const script = underDefaultFlags(() => new vm.Script(Module.wrap(source), { filename: file, cachedData }));
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const mod = { exports: {} as unknown, filename: file, id: file, loaded: false };
  wrapper.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  const save = (larger?: number) => {
    try {
      const data = underDefaultFlags(() => script.createCachedData());
      // Written again only for a growth of more than 1/32 (a format's code, the fix's: tens of KB and more): a
      // warm run's own cached code comes out some hundred bytes larger or smaller from run to run.
      if (larger !== undefined && data.length <= larger + (larger >> 5)) return;
      writeCache(cacheFile, sealed(data));
      // A new build's first run: older builds' files of the same code, unused for a month, go.
      pruneStale(cacheFile, Date.now(), files.build);
    } catch {
      // No cache: the next run compiles again.
    }
  };
  if (cachedData && !script.cachedDataRejected)
    return files.readFrom ? { exports: mod.exports } : { exports: mod.exports, grow: () => save(cachedData.length) };
  return { exports: mod.exports, save: () => save() };
}

/** Bytes of the CRC-32 that ends a cache file of code. */
const SEAL = 4;

type Crc32 = (data: Uint8Array, value: number) => number;

let zlibCrc32: Crc32 | undefined | null;
let table: Int32Array | undefined;

/**
 * CRC-32 (zlib's): the zlib binding's crc32 since Node 20.15 (node:zlib's top level would load Node's
 * streams: binding.ts), the same sum in JavaScript before.
 */
export function crc32(data: Uint8Array): number {
  if (zlibCrc32 === undefined) {
    const native = processBinding<{ crc32: Crc32 }>('zlib')?.crc32;
    zlibCrc32 = typeof native === 'function' ? native : null;
  }
  return zlibCrc32 ? zlibCrc32(data, 0) >>> 0 : crc32Sum(data);
}

/** zlib's CRC-32 in JavaScript (Node 20 before 20.15 has no zlib.crc32). */
export function crc32Sum(data: Uint8Array): number {
  table ??= Int32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });
  let crc = -1;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** V8's cached code with its CRC-32 after it: the cache file's content. */
export function sealed(data: Buffer): Buffer {
  const seal = Buffer.alloc(SEAL);
  seal.writeUInt32LE(crc32(data));
  return Buffer.concat([data, seal]);
}

/** The cached code in a cache file's content, or undefined when its CRC-32 does not match (not written by sealed, or changed since). */
export function unsealed(file: Buffer | undefined): Buffer | undefined {
  if (!file || file.length <= SEAL) return undefined;
  const data = file.subarray(0, file.length - SEAL);
  return crc32(data) === file.readUInt32LE(file.length - SEAL) ? data : undefined;
}
