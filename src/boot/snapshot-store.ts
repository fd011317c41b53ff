// Snapshots on a Node host (snapshot.ts has the format): files in the user's
// cache directory; what the system is made of as file identities; and a
// snapshot read ahead, into a kernel memory, while the CLI loads.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import { APPLETS_FILE, KERNEL_PATH, kernelMemoryShared, ROOTFS_DIR, ROOTFS_SKIP } from './package-files.js';
import { mark } from './start-marks.js';
import { pageSum } from './page-sum.js';
import { readHeader, runsOf, snapshotName, type MemoryAhead, type Run, type SnapshotFile, type SnapshotStore } from './snapshot.js';

/** Whether boots keep and restore snapshots unless told: EMBOX_SNAPSHOT=0 turns them off. */
export const SNAPSHOTS = process.env.EMBOX_SNAPSHOT !== '0';

/** `$XDG_CACHE_HOME/embox-i386/snapshots` (`~/.cache/...` when it is unset or not absolute). */
export function snapshotDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const cache = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(cache, 'embox-i386', 'snapshots');
}

/** CRC-32 as zlib computes it; zlib.crc32 where Node has it (20.15 on), else a table. */
const crc32: (data: Uint8Array, prev: number) => number = typeof (zlib as { crc32?: unknown }).crc32 === 'function'
  ? (data, prev) => (zlib as unknown as { crc32(d: Uint8Array, p: number): number }).crc32(data, prev)
  : (() => {
      const table = new Int32Array(256);
      for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        table[n] = c;
      }
      return (data: Uint8Array, prev: number): number => {
        let c = ~prev;
        for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
        return ~c >>> 0;
      };
    })();

/** An open snapshot file. */
function openFile(fd: number, ahead?: MemoryAhead): SnapshotFile {
  return {
    size: fs.fstatSync(fd).size,
    read(dst: Uint8Array, position: number): number {
      let done = 0;
      while (done < dst.length) {
        const n = fs.readSync(fd, dst, done, dst.length - done, position + done);
        if (n <= 0) break;
        done += n;
      }
      return done;
    },
    close: () => fs.closeSync(fd),
    ahead,
  };
}

/** Files read ahead (readAhead), by path, until a store opens them. */
const aheads = new Map<string, { fd: number; ahead: MemoryAhead }>();

/** Reads in flight at once, each at most this long: the thread pool's threads share the page faults. */
const CHUNK = 4 << 20;

/**
 * Start reading the snapshot of `config` in `dir`, if there is one, into a
 * new kernel memory, on the thread pool while this thread goes on (the CLI
 * loading): its runs from the kernel's memory start up, each checked against
 * its page sum. The store of that directory then opens the file with it
 * (`ahead`); the boot checks the rest (the key, the image's runs) as for any
 * snapshot, and drops the memory when it is not the one to use.
 */
export function readAhead(dir: string, config: string): void {
  const file = path.join(dir, snapshotName(config, crc32));
  if (aheads.has(file)) return;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return;
  }
  const header = readHeader(openFile(fd), crc32);
  if (typeof header === 'string') {
    fs.closeSync(fd);
    return;
  }
  const pages = header.kernel.boot.memEnd / 65536;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: kernelMemoryShared() });
  const mem = new Uint8Array(memory.buffer);
  // Each run's page sum goes over its chunks in order as they arrive, so
  // that checking goes on while the last reads are still out.
  const chunks: Array<{ at: number; n: number; run: Run; last: boolean; read?: boolean }> = [];
  for (const run of runsOf(header, 'memory')) {
    for (let off = 0; off < run.len; off += CHUNK) chunks.push({ at: run.at + off, n: Math.min(CHUNK, run.len - off), run, last: off + CHUNK >= run.len });
  }
  const sums = pageSum(memory);
  let next = 0, ok = true;
  const done = new Promise<boolean>((resolve) => {
    const fold = (): void => {
      for (; next < chunks.length && chunks[next]!.read !== undefined; next++) {
        const c = chunks[next]!;
        ok &&= c.read!;
        if (!ok) continue;
        sums.update(c.at, c.n);
        if (c.last) ok = sums.digest() === c.run.sum;
      }
      if (next === chunks.length) {
        if (ok) mark('snapshot');
        resolve(ok);
      }
    };
    for (const c of chunks) {
      fs.read(fd, mem, c.at, c.n, c.run.pos + (c.at - c.run.at), (e, got) => {
        c.read = !e && got === c.n;
        fold();
      });
    }
    fold();
  });
  aheads.set(file, { fd, ahead: { memory, done } });
}

/** Snapshot files in dir; a cache that cannot be written is no error (the system boots without it). */
export function fileSnapshotStore(dir: string, onError: (what: string, e: unknown) => void = () => undefined): SnapshotStore {
  return {
    open(name: string): SnapshotFile | undefined {
      const file = path.join(dir, name);
      const ahead = aheads.get(file);
      if (ahead) {
        aheads.delete(file);
        return openFile(ahead.fd, ahead.ahead);
      }
      let fd: number;
      try {
        fd = fs.openSync(file, 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') onError(`open ${name}`, e);
        return undefined;
      }
      return openFile(fd);
    },
    save(name: string, chunks: Uint8Array[]): boolean {
      const file = path.join(dir, name);
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        fs.mkdirSync(dir, { recursive: true });
        const fd = fs.openSync(tmp, 'w', 0o600);
        try {
          for (const c of chunks) {
            for (let done = 0; done < c.length;) done += fs.writeSync(fd, c, done, c.length - done);
          }
        } finally {
          fs.closeSync(fd);
        }
        fs.renameSync(tmp, file);
        return true;
      } catch (e) {
        onError(`save ${file}`, e);
        try {
          fs.rmSync(tmp, { force: true });
        } catch {
          // there is none
        }
        return false;
      }
    },
    crc32,
  };
}

/**
 * What files are made of, as their identities (path, kind, size, mode,
 * inode, modification and change times; a symbolic link's target), so that
 * any change to one of them, or a different file in its place, makes a
 * different `id`; `timeMs` is the newest modification time among them.
 * Directories are walked (sorted), `skip` names left out at every level.
 * Synchronous: a hundred lstat calls take about a millisecond, where the
 * thread pool (busy reading ahead) made the boot wait for them.
 */
export function fileOrigin(paths: string[], skip: ReadonlySet<string> = new Set()): { id: string; timeMs: number } {
  const lines: string[] = [];
  let newest = 0;
  const visit = (p: string): void => {
    let st: fs.BigIntStats;
    try {
      st = fs.lstatSync(p, { bigint: true });
    } catch {
      lines.push(`${p} missing`);
      return;
    }
    newest = Math.max(newest, Number(st.mtimeMs));
    const id = `${st.size} ${st.mode.toString(8)} ${st.ino} ${st.mtimeNs} ${st.ctimeNs}`;
    if (st.isSymbolicLink()) lines.push(`${p} link ${fs.readlinkSync(p)} ${id}`);
    else if (st.isDirectory()) {
      lines.push(`${p} dir ${id}`);
      for (const name of fs.readdirSync(p).sort()) if (!skip.has(name)) visit(path.join(p, name));
    } else lines.push(`${p} file ${id}`);
  };
  for (const p of paths) visit(p);
  // the lines themselves, not a hash of them: a start then loads no crypto module
  return { id: lines.join('\n'), timeMs: Math.floor(newest) };
}

/**
 * The code that boots the system, for its identity: the bundle
 * (dist/embox.cjs) when this module runs from it (bin/embox.cjs runs it only
 * while it is newer than the compiled tree it was made from, or in an
 * installed package, where nothing rebuilds it), and also when this module
 * runs from the compiled tree and the bundle is newer than every file it was
 * made from (dist/embox.inputs.json), so that both run on one snapshot;
 * else every .js file of the tree (dist/src).
 */
function codeFiles(): string[] {
  const self = fileURLToPath(import.meta.url);
  if (path.basename(self) !== 'snapshot-store.js') return [self];
  const src = path.dirname(path.dirname(self));
  const dist = path.dirname(src);
  const bundle = path.join(dist, 'embox.cjs');
  try {
    const made = fs.statSync(bundle, { bigint: true }).mtimeNs;
    const inputs = JSON.parse(fs.readFileSync(path.join(dist, 'embox.inputs.json'), 'utf8')) as string[];
    if (inputs.every((f) => fs.statSync(path.join(dist, f), { bigint: true }).mtimeNs <= made)) return [bundle];
  } catch {
    // no bundle
  }
  return (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.js')).map((f) => path.join(src, f)).sort();
}

type Origin = { id: string; timeMs: number };

function computeOrigin(): Origin {
  const system = fileOrigin([KERNEL_PATH, ROOTFS_DIR, APPLETS_FILE], ROOTFS_SKIP);
  const code = fileOrigin(codeFiles());
  return { id: `${system.id}\n${code.id}`, timeMs: system.timeMs };
}

let early: Origin | undefined;

/**
 * What the Node host's system is made of: lkl.wasm, rootfs/ and the applet
 * list (whose newest time is the boot's first wall clock), and the code that
 * boots it. startOrigin() looks ahead (the CLI, before the rest of it
 * loads); the next call takes that, later calls look again.
 */
export async function nodeOrigin(): Promise<Origin> {
  const ahead = early;
  early = undefined;
  return ahead ?? computeOrigin();
}

/** Look at nodeOrigin() now, for the next boot (a failure is the boot's to report). */
export function startOrigin(): void {
  try {
    early = computeOrigin();
  } catch {
    early = undefined;
  }
}
