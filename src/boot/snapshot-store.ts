// Snapshots on a Node host (snapshot.ts has the format): files in the user's
// cache directory, and what the system is made of as file identities.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import type { SnapshotFile, SnapshotStore } from './snapshot.js';

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

/** Snapshot files in dir; a cache that cannot be written is no error (the system boots without it). */
export function fileSnapshotStore(dir: string, onError: (what: string, e: unknown) => void = () => undefined): SnapshotStore {
  return {
    open(name: string): SnapshotFile | undefined {
      let fd: number;
      try {
        fd = fs.openSync(path.join(dir, name), 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') onError(`open ${name}`, e);
        return undefined;
      }
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
      };
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
 * What a system is made of, as file identities (path, kind, size, mode,
 * inode, modification and change times; a symbolic link's target), so that
 * any change to one of them, or a different file in its place, makes a
 * different `id`; `timeMs` is the newest modification time among them.
 * Directories are walked (sorted), `skip` names left out at every level.
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
  return { id: createHash('sha256').update(lines.join('\n')).digest('hex'), timeMs: Math.floor(newest) };
}

/**
 * The code that boots the system, for its identity: the compiled tree
 * (dist/src, its .js files), whether this module runs from it or from the
 * bundle made of it (dist/embox.mjs, which bin/embox.js runs only while it
 * is newer than the tree); the bundle itself where there is no tree.
 */
export function codeFiles(): string[] {
  const self = fileURLToPath(import.meta.url);
  const src = path.basename(self) === 'snapshot-store.js' ? path.dirname(path.dirname(self)) : path.join(path.dirname(self), 'src');
  if (!fs.existsSync(src)) return [self];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) out.push(p);
    }
  };
  walk(src);
  return out.sort();
}
