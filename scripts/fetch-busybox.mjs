#!/usr/bin/env zx
// Fetches Debian's static i386 busybox (package busybox-static:i386, pinned version
// and sha256), extracts the binary to rootfs/bin/busybox and writes the applet list
// rootfs/bin/busybox.applets (one install path per line, e.g. "bin/sh",
// "usr/bin/awk") from which the guest root file system gets its links.
// The binary is committed, so tests do not need the network; rerun this script only
// to reproduce or update it.
//
//   zx scripts/fetch-busybox.mjs           download, verify, extract
//   zx scripts/fetch-busybox.mjs --check   verify the committed binary's sha256 only
import { $, fs, path, os, argv } from 'zx';
import { createHash } from 'node:crypto';

$.verbose = false;
const PACKAGE = 'busybox-static:i386';
const VERSION = '1:1.35.0-4+deb12u1+b1';
const DEB_SHA256 = '725ef9e6fbac4ab79b353165b05005e8c140d6e42177ebbc202ff1e13ded8b7c';
const BIN_SHA256 = '67fc1f3acfd15646d3b055f7cd3657c6608f34f6dde9485e0c76722cb0e43800';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'rootfs/bin/busybox');
const appletsFile = path.join(root, 'rootfs/bin/busybox.applets');
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

if (argv.check) {
  const got = sha256(await fs.readFile(out));
  if (got !== BIN_SHA256) {
    console.error(`rootfs/bin/busybox: sha256 ${got}, expected ${BIN_SHA256}`);
    process.exit(1);
  }
  console.log('rootfs/bin/busybox matches the pinned sha256');
  process.exit(0);
}

// apt needs to know the i386 architecture before it can name an i386 package.
const foreign = (await $`dpkg --print-foreign-architectures`).stdout.split('\n');
if (!foreign.includes('i386')) {
  await $`dpkg --add-architecture i386`;
  await $`apt-get update`;
}

const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'busybox-'));
// apt-get download drops privileges to _apt, which must be able to write here
await fs.chmod(tmp, 0o777);
try {
  await $({ cwd: tmp })`apt-get download ${PACKAGE + '=' + VERSION}`;
  const debs = (await fs.readdir(tmp)).filter((f) => f.endsWith('.deb'));
  if (debs.length !== 1) throw new Error(`expected one .deb, got ${debs.join(', ') || 'none'}`);
  const deb = path.join(tmp, debs[0]);
  const debSum = sha256(await fs.readFile(deb));
  if (debSum !== DEB_SHA256) throw new Error(`${debs[0]}: sha256 ${debSum}, expected ${DEB_SHA256}`);

  const x = path.join(tmp, 'x');
  await $`dpkg-deb -x ${deb} ${x}`;
  const bin = await fs.readFile(path.join(x, 'bin/busybox'));
  const binSum = sha256(bin);
  if (binSum !== BIN_SHA256) throw new Error(`bin/busybox: sha256 ${binSum}, expected ${BIN_SHA256}`);
  await fs.writeFile(out, bin, { mode: 0o755 });

  // The applet list comes from the binary itself: natively where the host runs
  // i386 code, otherwise through qemu-i386.
  let list = await $`${out} --list-full`.nothrow();
  if (list.exitCode !== 0) list = await $`qemu-i386 ${out} --list-full`;
  const applets = list.stdout.split('\n').filter(Boolean).sort();
  await fs.writeFile(appletsFile, applets.join('\n') + '\n');
  console.log(`rootfs/bin/busybox ${VERSION} (${bin.length} bytes, sha256 ${binSum}), ${applets.length} applets`);
} finally {
  await fs.remove(tmp);
}
