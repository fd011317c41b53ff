// /dev/vda in the browser: the image kept in the origin private file system
// (OPFS), read and written through a synchronous access handle, which only a
// dedicated worker may open: the kernel's block requests are synchronous
// (src/blockdev/blockdev.ts), and the image is never loaded into memory. The
// changes stay in the browser across reloads; a new image replaces them.

import { BlockDevError, type BlockDevice } from '../src/blockdev/blockdev.js';
import { checkImage, type OpenedImage } from '../src/blockdev/check.js';
import type { DiskInfo, DiskSource } from './protocol.js';

/** FileSystemSyncAccessHandle, as Chromium, Firefox and Safari give it to workers. */
interface SyncHandle {
  read(buf: Uint8Array, opts: { at: number }): number;
  write(buf: Uint8Array, opts: { at: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}
interface OpfsFile {
  createSyncAccessHandle(): Promise<SyncHandle>;
}
interface OpfsDir {
  getFileHandle(name: string, opts?: { create?: boolean }): Promise<OpfsFile>;
  removeEntry(name: string): Promise<void>;
}

const IMAGE = 'vda.img';
/** what the stored image is: DiskInfo as JSON */
const META = 'vda.json';

export class OpfsBlockDevice implements BlockDevice {
  readonly readOnly = false;
  private closed = false;
  constructor(private readonly h: SyncHandle, private readonly size: number) {}

  capacity(): number {
    return this.size;
  }

  read(offset: number, buf: Uint8Array): void {
    const n = this.h.read(buf, { at: offset });
    if (n < buf.length) buf.fill(0, n);
  }

  write(offset: number, buf: Uint8Array): void {
    const n = this.h.write(buf, { at: offset });
    if (n !== buf.length) throw new BlockDevError(`${IMAGE}: short write (${n} of ${buf.length} bytes)`, 'EIO');
  }

  flush(): void {
    this.h.flush();
  }

  /** The whole image, for a download. */
  bytes(): Uint8Array {
    const all = new Uint8Array(this.size);
    this.h.read(all, { at: 0 });
    return all;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.h.flush();
    this.h.close();
  }
}

async function root(): Promise<OpfsDir> {
  const storage = (globalThis as unknown as { navigator?: { storage?: { getDirectory?(): Promise<OpfsDir> } } }).navigator?.storage;
  if (!storage?.getDirectory) throw new BlockDevError('this browser keeps no files for the page (no origin private file system)', 'ENOTSUP');
  return storage.getDirectory();
}

async function readText(dir: OpfsDir, name: string): Promise<string | undefined> {
  try {
    const h = await (await dir.getFileHandle(name)).createSyncAccessHandle();
    try {
      const b = new Uint8Array(h.getSize());
      h.read(b, { at: 0 });
      return new TextDecoder().decode(b);
    } finally {
      h.close();
    }
  } catch {
    return undefined;
  }
}

async function writeText(dir: OpfsDir, name: string, text: string): Promise<void> {
  const h = await (await dir.getFileHandle(name, { create: true })).createSyncAccessHandle();
  try {
    h.truncate(0);
    h.write(new TextEncoder().encode(text), { at: 0 });
    h.flush();
  } finally {
    h.close();
  }
}

/** What the stored image is, if there is one. */
export async function storedDisk(): Promise<DiskInfo | undefined> {
  const text = await readText(await root(), META);
  return text === undefined ? undefined : (JSON.parse(text) as DiskInfo);
}

export async function forgetDisk(): Promise<void> {
  const dir = await root();
  for (const name of [META, IMAGE]) await dir.removeEntry(name).catch(() => undefined);
}

/** A readable stream's bytes written at the start of the image, reporting progress. */
async function store(h: SyncHandle, chunks: AsyncIterable<Uint8Array>, progress: (n: number) => void): Promise<number> {
  h.truncate(0);
  let at = 0;
  for await (const c of chunks) {
    h.write(c, { at });
    at += c.length;
    progress(at);
  }
  h.flush();
  return at;
}

async function* streamChunks(s: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const r = s.getReader();
  for (;;) {
    const { done, value } = await r.read();
    if (done) return;
    yield value;
  }
}

/**
 * The disk for /dev/vda: a new image stored first (from its URL or the
 * user's file), or the one kept from before; checked as the CLI checks an
 * image file (a BlockDevError with the same message otherwise, and a new
 * image that fails is not kept). Undefined when there is none.
 */
export async function openDisk(
  source: DiskSource,
  progress: (what: string, loaded: number, total: number) => void,
): Promise<{ image: OpenedImage<OpfsBlockDevice>; info: DiskInfo } | undefined> {
  if (source.kind === 'none') return undefined;
  if (source.kind === 'forget') {
    await forgetDisk();
    return undefined;
  }
  const dir = await root();
  // a link with ?vda=URL keeps the changes made to its image across reloads
  if (source.kind === 'url' && (await storedDisk())?.origin === source.url) source = { kind: 'stored' };
  let origin: string;
  /** whether the stored image was written over (a failure then leaves none; one before that keeps it) */
  let fresh = false;
  const h = await (await dir.getFileHandle(IMAGE, { create: true })).createSyncAccessHandle().catch((e: unknown) => {
    // one access handle per file at a time: another tab of the page holds it
    throw new BlockDevError(`the stored disk is in use by another page of embox (${e instanceof Error ? e.name : String(e)}); one page at a time attaches it`, 'EBUSY');
  });
  try {
    if (source.kind === 'url') {
      origin = source.url;
      let res: Response;
      try {
        res = await fetch(source.url);
      } catch (e) {
        throw new BlockDevError(`${origin}: ${e instanceof Error ? e.message : String(e)}`, 'EIO');
      }
      if (!res.ok || !res.body) throw new BlockDevError(`${origin}: HTTP ${res.status} ${res.statusText}`.trim(), 'ENOENT');
      const total = Number(res.headers.get('content-length') ?? 0);
      fresh = true;
      await store(h, streamChunks(res.body), (n) => progress(origin, n, total));
    } else if (source.kind === 'file') {
      origin = source.file.name;
      fresh = true;
      await store(h, streamChunks(source.file.stream() as ReadableStream<Uint8Array>), (n) => progress(origin, n, source.file.size));
    } else {
      const meta = await readText(dir, META);
      if (meta === undefined) {
        h.close();
        return undefined;
      }
      origin = (JSON.parse(meta) as DiskInfo).origin;
    }
    const dev = new OpfsBlockDevice(h, h.getSize());
    const fs = checkImage(dev, origin);
    const info: DiskInfo = { origin, size: dev.capacity(), type: fs.type };
    if (fresh) await writeText(dir, META, JSON.stringify(info));
    return { image: { dev, fs }, info };
  } catch (e) {
    h.close();
    if (fresh) await forgetDisk();
    throw e;
  }
}
