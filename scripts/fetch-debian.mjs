#!/usr/bin/env zx
// Fetches the Debian i386 files guests get in rootfs/ from Debian's archive,
// each package pinned by version and .deb sha256 and each file by its own
// sha256:
//   - busybox-static:i386: rootfs/bin/busybox, and rootfs/bin/busybox.applets
//     (one install path per line, e.g. "bin/sh", "usr/bin/awk") from which the
//     guest root file system gets its links;
//   - libc6:i386: the dynamic loader and the C library (rootfs/lib/...), so
//     dynamically linked i386 programs run.
// The files are committed, so tests do not need the network; rerun this script
// only to reproduce or update them.
//
//   zx scripts/fetch-debian.mjs           download, verify, extract
//   zx scripts/fetch-debian.mjs --check   verify the committed files' sha256 only
import { $, fs, path, os, argv } from 'zx';
import { createHash } from 'node:crypto';

$.verbose = false;
const PACKAGES = [
  {
    name: 'busybox-static:i386', version: '1:1.35.0-4+deb12u1+b1',
    deb: '725ef9e6fbac4ab79b353165b05005e8c140d6e42177ebbc202ff1e13ded8b7c',
    files: [['bin/busybox', 'bin/busybox', '67fc1f3acfd15646d3b055f7cd3657c6608f34f6dde9485e0c76722cb0e43800']],
    after: appletList,
  },
  {
    name: 'libc6:i386', version: '2.36-9+deb12u14',
    deb: '76b12e06be66ec3fc2c1791d7d8cf34c2b828ed210e3913feeeb8edc9688f820',
    files: [
      ['lib/i386-linux-gnu/ld-linux.so.2', 'lib/i386-linux-gnu/ld-linux.so.2', '8b8fc0e5299310235f0238db8d1bfeeafed24bb68201879e6dbc2fe0576eb593'],
      ['lib/i386-linux-gnu/libc.so.6', 'lib/i386-linux-gnu/libc.so.6', 'ef7792b351dba25b48ad223224966db839b132efd7755d26f422ba2eb0f1a6a1'],
      ['lib/i386-linux-gnu/libm.so.6', 'lib/i386-linux-gnu/libm.so.6', 'd2792ef9413118b53434e9d04d02ab29a684f3993f05b0788ccee298cf01571a'],
      ['lib/i386-linux-gnu/libdl.so.2', 'lib/i386-linux-gnu/libdl.so.2', '3a86c2cca559881fc964f4bac0808c168e89760e17e298737dd2c0a626324937'],
      ['lib/i386-linux-gnu/libpthread.so.0', 'lib/i386-linux-gnu/libpthread.so.0', '570640e002945e27068d4d7c5210e00d4c47796830bc7abbf0289294dd81d694'],
    ],
    // the interpreter path i386 programs name (PT_INTERP)
    links: [['lib/ld-linux.so.2', 'i386-linux-gnu/ld-linux.so.2']],
  },
];

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const rootfs = path.join(root, 'rootfs');
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

if (argv.check) {
  let bad = 0;
  for (const pkg of PACKAGES) {
    for (const [, to, want] of pkg.files) {
      const got = await fs.readFile(path.join(rootfs, to)).then(sha256, () => 'missing');
      if (got !== want) { console.error(`rootfs/${to}: sha256 ${got}, expected ${want} (${pkg.name} ${pkg.version})`); bad++; }
    }
    for (const [at, target] of pkg.links ?? []) {
      const got = await fs.readlink(path.join(rootfs, at)).catch(() => 'missing');
      if (got !== target) { console.error(`rootfs/${at}: links to ${got}, expected ${target}`); bad++; }
    }
  }
  if (bad) process.exit(1);
  console.log(`rootfs: ${PACKAGES.map((p) => p.name).join(', ')} files match their pinned sha256`);
  process.exit(0);
}

// apt needs to know the i386 architecture before it can name an i386 package.
const foreign = (await $`dpkg --print-foreign-architectures`).stdout.split('\n');
if (!foreign.includes('i386')) {
  await $`dpkg --add-architecture i386`;
  await $`apt-get update`;
}

for (const pkg of PACKAGES) {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'deb-'));
  // apt-get download drops privileges to _apt, which must be able to write here
  await fs.chmod(tmp, 0o777);
  try {
    await $({ cwd: tmp })`apt-get download ${pkg.name + '=' + pkg.version}`;
    const debs = (await fs.readdir(tmp)).filter((f) => f.endsWith('.deb'));
    if (debs.length !== 1) throw new Error(`expected one .deb, got ${debs.join(', ') || 'none'}`);
    const deb = path.join(tmp, debs[0]);
    const debSum = sha256(await fs.readFile(deb));
    if (debSum !== pkg.deb) throw new Error(`${debs[0]}: sha256 ${debSum}, expected ${pkg.deb}`);
    const x = path.join(tmp, 'x');
    await $`dpkg-deb -x ${deb} ${x}`;
    for (const [from, to, want] of pkg.files) {
      const data = await fs.readFile(path.join(x, from));
      const got = sha256(data);
      if (got !== want) throw new Error(`${from}: sha256 ${got}, expected ${want}`);
      await fs.mkdirp(path.dirname(path.join(rootfs, to)));
      await fs.writeFile(path.join(rootfs, to), data, { mode: 0o755 });
      console.log(`rootfs/${to} from ${pkg.name} ${pkg.version} (${data.length} bytes)`);
    }
    for (const [at, target] of pkg.links ?? []) {
      await fs.remove(path.join(rootfs, at));
      await fs.symlink(target, path.join(rootfs, at));
    }
    await pkg.after?.();
  } finally {
    await fs.remove(tmp);
  }
}

/** The applet list comes from busybox itself: natively where the host runs i386 code, otherwise through qemu-i386. */
async function appletList() {
  const bin = path.join(rootfs, 'bin/busybox');
  let list = await $`${bin} --list-full`.nothrow();
  if (list.exitCode !== 0) list = await $`qemu-i386 ${bin} --list-full`;
  const applets = list.stdout.split('\n').filter(Boolean).sort();
  await fs.writeFile(path.join(rootfs, 'bin/busybox.applets'), applets.join('\n') + '\n');
  console.log(`rootfs/bin/busybox.applets: ${applets.length} applets`);
}
