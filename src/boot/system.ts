// System start on a Node host, as the CLI and the tests call it: lkl.wasm and
// rootfs/ read from the package with node:fs, the disk image for /dev/vda
// opened, locked and checked (src/blockdev/image.ts); the rest is boot.ts,
// which runs on any host.

import * as fs from 'node:fs';
import * as path from 'node:path';
import createDebug from 'debug';
import { openImage } from '../blockdev/image.js';
import type { Publish } from '../net/index.js';
import { NodeNetHost, type Resolve4 } from '../net/node.js';
import { stackStats } from '../rtos/kernel/coroutines.js';
import { bootKernel, type BootHost, type CoreBootOptions, type KernelSystem, type RootEntry } from './boot.js';
import { APPLETS_FILE, kernelMemoryShared, kernelModule, ROOTFS_DIR, ROOTFS_SKIP } from './package-files.js';
import { fileSnapshotStore, nodeOrigin, snapshotDir, SNAPSHOTS } from './snapshot-store.js';

const debugSnapshot = createDebug('boot:snapshot');

export { BootError, type KernelSystem, type System } from './boot.js';
export { APPLETS_FILE, KERNEL_PATH, kernelModule, ROOTFS_DIR } from './package-files.js';

export interface BootOptions extends Omit<CoreBootOptions, 'host'> {
  /** Disk image for /dev/vda (mounted at /mnt/vda); none if undefined. */
  vda?: string;
  /** Attach the image read-only (shared with other read-only embox processes) and mount it so. */
  vdaReadOnly?: boolean;
  /** The image for /dev/vda holds a distribution's root, mounted as / (src/boot/root.ts) instead of at /mnt/vda. */
  vdaIsRoot?: boolean;
  /**
   * User networking: eth0 behind the NAT (src/net), with these published
   * ports and this resolver (default: the host's). Without it, loopback only.
   */
  net?: { publish?: Publish[]; resolve4?: Resolve4 };
  /** Keep the boot's first part as a snapshot in the cache directory and restore it (default: unless EMBOX_SNAPSHOT=0). */
  snapshot?: boolean;
}

/**
 * The entries of a host directory as the guests see them under `into`,
 * sorted by name, each directory before its contents. The files are read
 * at once, when asked: from the page cache that is quicker than a trip to
 * the thread pool per file, which the boot waited on for some 100 ms.
 */
export async function* rootEntries(dir: string, into = ''): AsyncGenerator<RootEntry> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (ROOTFS_SKIP.has(e.name)) continue;
    const host = path.join(dir, e.name);
    const guest = `${into}/${e.name}`;
    if (e.isDirectory()) {
      yield { path: guest, kind: 'dir' };
      yield* rootEntries(host, guest);
    } else if (e.isFile()) {
      const st = fs.statSync(host);
      yield { path: guest, kind: 'file', mode: st.mode & 0o7777, data: () => Promise.resolve(fs.readFileSync(host)) };
    } else if (e.isSymbolicLink()) {
      yield { path: guest, kind: 'symlink', target: fs.readlinkSync(host) };
    }
  }
}

/**
 * Random bytes from the host's /dev/urandom (Node's crypto modules, which
 * crypto.getRandomValues loads, took some 3 ms of a start), or from
 * crypto.getRandomValues where there is none.
 */
function urandom(into: Uint8Array): void {
  try {
    const fd = fs.openSync('/dev/urandom', 'r');
    try {
      for (let done = 0; done < into.length;) {
        const n = fs.readSync(fd, into, done, into.length - done, null);
        if (n <= 0) throw new Error('/dev/urandom: end of file');
        done += n;
      }
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    crypto.getRandomValues(into);
  }
}

/** The Node host: the package's lkl.wasm and rootfs/, an image file for /dev/vda (or as /), the host's sockets for the NAT. */
export function nodeBootHost(vda?: string, vdaReadOnly?: boolean, net?: BootOptions['net'], snapshot = SNAPSHOTS, vdaIsRoot = false): BootHost {
  return {
    kernel: kernelModule,
    kernelMemoryShared,
    rootfs: () => rootEntries(ROOTFS_DIR),
    rootfsName: ROOTFS_DIR,
    applets: async () => {
      try {
        return fs.readFileSync(APPLETS_FILE, 'utf8');
      } catch {
        return undefined;
      }
    },
    openDisk: vda === undefined ? undefined : () => openImage(vda, vdaReadOnly ? 'ro' : 'rw'),
    diskRoot: vda !== undefined && vdaIsRoot ? { name: vda } : undefined,
    random: urandom,
    term: process.env.TERM || undefined,
    cmdline: process.env.EMBOX_CMDLINE,
    net: net && { host: new NodeNetHost(net.resolve4), publish: net.publish },
    origin: nodeOrigin,
    snapshots: snapshot ? fileSnapshotStore(snapshotDir(), (what, e) => debugSnapshot('%s: %s', what, e instanceof Error ? e.message : e)) : undefined,
    onSnapshot: (event) => debugSnapshot(event),
  };
}

let stackStatsHooked = false;
/** EMBOX_STACK_STATS=FILE: the deepest kernel stack use of this process, appended to FILE at exit (coroutines.ts). */
function hookStackStats(): void {
  const file = process.env.EMBOX_STACK_STATS;
  if (!file || stackStatsHooked) return;
  stackStatsHooked = true;
  process.once('exit', () => fs.appendFileSync(file, JSON.stringify({ ...stackStats, argv: process.argv.slice(1) }) + '\n'));
}

export function bootSystem(opts: BootOptions): Promise<KernelSystem> {
  hookStackStats();
  const { vda, vdaReadOnly, vdaIsRoot, net, snapshot, ...rest } = opts;
  return bootKernel({ ...rest, host: nodeBootHost(vda, vdaReadOnly, net, snapshot, vdaIsRoot) });
}
