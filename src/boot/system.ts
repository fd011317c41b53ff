// System start on a Node host, as the CLI and the tests call it: lkl.wasm and
// rootfs/ read from the package with node:fs, the disk image for /dev/vda
// opened, locked and checked (src/blockdev/image.ts); the rest is boot.ts,
// which runs on any host.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import createDebug from 'debug';
import { openImage } from '../blockdev/image.js';
import type { Publish } from '../net/index.js';
import { NodeNetHost, type Resolve4 } from '../net/node.js';
import { bootKernel, type BootHost, type CoreBootOptions, type KernelSystem, type RootEntry } from './boot.js';
import { KERNEL_PATH, kernelModule, packageRoot } from './kernel-file.js';
import { codeFiles, fileOrigin, fileSnapshotStore, snapshotDir } from './snapshot-store.js';

const debugSnapshot = createDebug('boot:snapshot');

export { BootError, type KernelSystem, type System } from './boot.js';
export { KERNEL_PATH, kernelModule } from './kernel-file.js';

export interface BootOptions extends Omit<CoreBootOptions, 'host'> {
  /** Disk image for /dev/vda (mounted at /mnt/vda); none if undefined. */
  vda?: string;
  /** Attach the image read-only (shared with other read-only embox processes) and mount it so. */
  vdaReadOnly?: boolean;
  /**
   * User networking: eth0 behind the NAT (src/net), with these published
   * ports and this resolver (default: the host's). Without it, loopback only.
   */
  net?: { publish?: Publish[]; resolve4?: Resolve4 };
  /** Keep the boot's first part as a snapshot in the cache directory and restore it (default: unless EMBOX_SNAPSHOT=0). */
  snapshot?: boolean;
}

/** rootfs/: what guests see at / (the host files are copied into the kernel's root at boot). */
export const ROOTFS_DIR = path.join(packageRoot(), 'rootfs');
/** Names in rootfs/ that are not for guests. */
const ROOTFS_SKIP = new Set(['src', 'MANIFEST', 'busybox.applets']);

/** The entries of a host directory as the guests see them under `into`, sorted by name, each directory before its contents. */
export async function* rootEntries(dir: string, into = ''): AsyncGenerator<RootEntry> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
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
      const st = await fs.promises.stat(host);
      yield { path: guest, kind: 'file', mode: st.mode & 0o7777, data: () => fs.promises.readFile(host) };
    } else if (e.isSymbolicLink()) {
      yield { path: guest, kind: 'symlink', target: await fs.promises.readlink(host) };
    }
  }
}

/** Busybox's applet list as scripts/fetch-debian.mjs wrote it, if it is there. */
export const APPLETS_FILE = path.join(ROOTFS_DIR, 'bin', 'busybox.applets');

/**
 * What the system is made of (snapshot-store.ts): lkl.wasm, rootfs/ and the
 * applet list (whose newest time is the boot's first wall clock), and the
 * code that boots it.
 */
function nodeOrigin(): { id: string; timeMs: number } {
  const system = fileOrigin([KERNEL_PATH, ROOTFS_DIR, APPLETS_FILE], ROOTFS_SKIP);
  const code = fileOrigin(codeFiles());
  return { id: `${system.id} ${code.id}`, timeMs: system.timeMs };
}

/** Whether boots keep and restore snapshots unless told: EMBOX_SNAPSHOT=0 turns them off. */
export const SNAPSHOTS = process.env.EMBOX_SNAPSHOT !== '0';

/** The Node host: the package's lkl.wasm and rootfs/, an image file for /dev/vda, the host's sockets for the NAT. */
export function nodeBootHost(vda?: string, vdaReadOnly?: boolean, net?: BootOptions['net'], snapshot = SNAPSHOTS): BootHost {
  return {
    kernel: kernelModule,
    rootfs: () => rootEntries(ROOTFS_DIR),
    rootfsName: ROOTFS_DIR,
    applets: () => fs.promises.readFile(APPLETS_FILE, 'utf8').catch(() => undefined),
    openDisk: vda === undefined ? undefined : () => openImage(vda, vdaReadOnly ? 'ro' : 'rw'),
    cmdline: process.env.EMBOX_CMDLINE,
    net: net && { host: new NodeNetHost(net.resolve4), publish: net.publish },
    origin: nodeOrigin,
    snapshots: snapshot ? fileSnapshotStore(snapshotDir(), (what, e) => debugSnapshot('%s: %s', what, e instanceof Error ? e.message : e)) : undefined,
    onSnapshot: (event) => debugSnapshot(event),
  };
}

export function bootSystem(opts: BootOptions): Promise<KernelSystem> {
  const { vda, vdaReadOnly, net, snapshot, ...rest } = opts;
  return bootKernel({ ...rest, host: nodeBootHost(vda, vdaReadOnly, net, snapshot) });
}
