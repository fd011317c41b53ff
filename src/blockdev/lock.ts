// One writer or several readers per disk image, across embox processes.
//
// Node has no flock(2), and a lock file left by a killed process needs
// guessing whether its owner is gone. A lock here is instead a listening Unix
// socket in Linux's abstract namespace, named after the image's device and
// inode numbers (so every path to the file, links included, names the same
// lock): the kernel removes it when its process ends, however it ends (kill -9
// included), so there is nothing stale to detect or clean up.
//
//   embox-vda:DEV:INO              the writer's (one: a second bind is EADDRINUSE)
//   embox-vda:DEV:INO:ro:PID:N     one per reader
//
// Each side binds its own name first and then looks for the others in
// /proc/net/unix: a writer fails if any other writer or any reader is there,
// a reader if a writer is. Two that start at the same moment may both fail,
// never both succeed.

import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import type * as net from 'node:net';
import { BlockDevError } from './blockdev.js';
import { describeFsError } from './file.js';

export type LockMode = 'exclusive' | 'shared';

export interface ImageLock {
  readonly mode: LockMode;
  /** Give the lock up (idempotent); it also goes with the process. */
  release(): void;
}

const PREFIX = 'embox-vda';
let readers = 0;

/** Bound abstract socket names: a name as /proc/net/unix shows it (NULs as '@'), with the inode of the socket. */
function boundNames(): Array<{ name: string; inode: string }> {
  const text = fs.readFileSync('/proc/net/unix', 'utf8');
  const out: Array<{ name: string; inode: string }> = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const p = f[7];
    // Node binds an abstract name with the whole sun_path, padded with NULs
    if (p?.startsWith('@')) out.push({ name: p.slice(1).replace(/@+$/, ''), inode: f[6]! });
  }
  return out;
}

/** The pids whose descriptors hold socket `inode` (those this user may see). */
function holders(inode: string): number[] {
  const target = `socket:[${inode}]`;
  const pids: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === target) {
          pids.push(Number(pid));
          break;
        }
      } catch {
        // gone, or not ours to see
      }
    }
  }
  return pids;
}

function listen(name: string): Promise<net.Server> {
  // (loaded here, not with the module: node:net took some 2 ms of every start, with or without an
  // image; a require, as the CLI's bundle runs as a script, which has no dynamic import)
  const { createServer } = createRequire(import.meta.url)('node:net') as typeof net;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(`\0${name}`, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function inUse(path: string, by: 'read-write' | 'read-only', inodes: string[]): BlockDevError {
  const pids = [...new Set(inodes.flatMap(holders))];
  const who = pids.length ? ` (pid ${pids.join(', ')})` : '';
  return new BlockDevError(
    `${path}: image is in use by another embox${who}, attached ${by}; an image is attached read-write by one embox at a time, or read-only (IMAGE:ro) by several`,
    'EBUSY',
  );
}

/**
 * Lock the image at `path` for this process: 'exclusive' for a read-write
 * attach, 'shared' for a read-only one. Fails with an EBUSY BlockDevError
 * naming the image when another embox holds a conflicting lock. Off Linux
 * (no abstract sockets) the lock is not taken.
 */
export async function lockImage(path: string, mode: LockMode): Promise<ImageLock> {
  let st: fs.BigIntStats;
  try {
    st = fs.statSync(path, { bigint: true });
  } catch (e) {
    throw describeFsError(path, e);
  }
  if (process.platform !== 'linux') return { mode, release() {} };
  const base = `${PREFIX}:${st.dev}:${st.ino}`;
  const own = mode === 'exclusive' ? base : `${base}:ro:${process.pid}:${++readers}`;
  let server: net.Server;
  try {
    server = await listen(own);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw inUse(path, 'read-write', boundNames().filter((b) => b.name === base).map((b) => b.inode));
    }
    throw new BlockDevError(`${path}: cannot lock the image: ${(e as Error).message}`, code ?? 'EIO');
  }
  const release = (): void => {
    server.close();
  };
  let bound: Array<{ name: string; inode: string }>;
  try {
    bound = boundNames();
  } catch (e) {
    release();
    throw new BlockDevError(`${path}: cannot lock the image: /proc/net/unix: ${(e as Error).message}`, 'EIO');
  }
  const writers = bound.filter((b) => b.name === base);
  const ro = bound.filter((b) => b.name.startsWith(`${base}:ro:`));
  // a writer finds itself once; a reader finds no writer
  if (mode === 'exclusive' && writers.length > 1) {
    release();
    throw inUse(path, 'read-write', writers.map((b) => b.inode));
  }
  if (mode === 'exclusive' && ro.length > 0) {
    release();
    throw inUse(path, 'read-only', ro.map((b) => b.inode));
  }
  if (mode === 'shared' && writers.length > 0) {
    release();
    throw inUse(path, 'read-write', writers.map((b) => b.inode));
  }
  let held = true;
  return {
    mode,
    release() {
      if (!held) return;
      held = false;
      release();
    },
  };
}
