#!/usr/bin/env zx
// Fetches the Debian i386 files guests get in rootfs/ from Debian's archive,
// each package pinned by version and .deb sha256 and each file by its own
// sha256:
//   - busybox-static:i386: rootfs/bin/busybox, and rootfs/bin/busybox.applets
//     (one install path per line, e.g. "bin/sh", "usr/bin/awk") from which the
//     guest root file system gets its links;
//   - libc6:i386: the dynamic loader and the C library (rootfs/lib/...), so
//     dynamically linked i386 programs run;
//   - libc-bin:i386: the compiled C.UTF-8 locale (rootfs/usr/lib/locale);
//   - coreutils:i386: its expr (rootfs/usr/bin/expr), which links libgmp;
//   - libgmp10:i386: GNU MP (rootfs/lib/i386-linux-gnu/libgmp.so.10), a "fat"
//     build whose MMX/SSE2 routines are chosen by CPUID family and model.
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
    files: [['bin/busybox', '67fc1f3acfd15646d3b055f7cd3657c6608f34f6dde9485e0c76722cb0e43800']],
    after: appletList,
  },
  {
    name: 'libc6:i386', version: '2.36-9+deb12u14',
    deb: '76b12e06be66ec3fc2c1791d7d8cf34c2b828ed210e3913feeeb8edc9688f820',
    files: [
      ['lib/i386-linux-gnu/ld-linux.so.2', '8b8fc0e5299310235f0238db8d1bfeeafed24bb68201879e6dbc2fe0576eb593'],
      ['lib/i386-linux-gnu/libc.so.6', 'ef7792b351dba25b48ad223224966db839b132efd7755d26f422ba2eb0f1a6a1'],
      ['lib/i386-linux-gnu/libm.so.6', 'd2792ef9413118b53434e9d04d02ab29a684f3993f05b0788ccee298cf01571a'],
      ['lib/i386-linux-gnu/libdl.so.2', '3a86c2cca559881fc964f4bac0808c168e89760e17e298737dd2c0a626324937'],
      ['lib/i386-linux-gnu/libpthread.so.0', '570640e002945e27068d4d7c5210e00d4c47796830bc7abbf0289294dd81d694'],
    ],
    // the interpreter path i386 programs name (PT_INTERP)
    links: [['lib/ld-linux.so.2', 'i386-linux-gnu/ld-linux.so.2']],
  },
  {
    // the C.UTF-8 locale (setlocale(LC_ALL, "C.UTF-8"), what LANG=C.UTF-8 programs ask for)
    name: 'libc-bin:i386', version: '2.36-9+deb12u14',
    deb: '69b8e898575ef01752bc7f133a6404f7400d1053b3dc57dc856625371fe14482',
    files: [
      ['usr/lib/locale/C.utf8/LC_ADDRESS', '26e2800affab801cb36d4ff9625a95c3abceeda2b6553a7aecd0cfcf34c98099', 0o644],
      ['usr/lib/locale/C.utf8/LC_COLLATE', '47a5f5359a8f324abc39d69a7f6241a2ac0e2fbbeae5b9c3a756e682b75d087b', 0o644],
      ['usr/lib/locale/C.utf8/LC_CTYPE', 'e4b5576b19e40be5923b0eb864750d35944404bb0a92aa68d1a9b96110c52120', 0o644],
      ['usr/lib/locale/C.utf8/LC_IDENTIFICATION', '38a1d8e5271c86f48910d9c684f64271955335736e71cec35eeac942f90eb091', 0o644],
      ['usr/lib/locale/C.utf8/LC_MEASUREMENT', 'bb14a6f2cbd5092a755e8f272079822d3e842620dd4542a8dfa1e5e72fc6115b', 0o644],
      ['usr/lib/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES', 'f9ad02f1d8eba721d4cbd50c365b5c681c39aec008f90bfc2be2dc80bfbaddcb', 0o644],
      ['usr/lib/locale/C.utf8/LC_MONETARY', 'bfd9e9975443b834582493fe9a8d7aefcd989376789c17470a1e548aee76fd55', 0o644],
      ['usr/lib/locale/C.utf8/LC_NAME', '14507aad9f806112e464b9ca94c93b2e4d759ddc612b5f87922d7cac7170697d', 0o644],
      ['usr/lib/locale/C.utf8/LC_NUMERIC', 'f5976e6b3e6b24dfe03caad6a5b98d894d8110d8bd15507e690fd60fd3e04ab2', 0o644],
      ['usr/lib/locale/C.utf8/LC_PAPER', 'cde048b81e2a026517cc707c906aebbd50f5ee3957b6f0c1c04699dffcb7c015', 0o644],
      ['usr/lib/locale/C.utf8/LC_TELEPHONE', 'f4caf0d12844219b65ba42edc7ec2f5ac1b2fc36a3c88c28887457275daca1ee', 0o644],
      ['usr/lib/locale/C.utf8/LC_TIME', '0910b595d1d5d4e52cc0f415bbb1ff07c015d6860d34aae02505dd9973a63154', 0o644],
    ],
  },
  {
    // big-number arithmetic: coreutils' expr, gcc's cc1 (through mpfr) link it;
    // Debian ships it in usr/lib, the rootfs keeps it beside libc in lib/
    name: 'libgmp10:i386', version: '2:6.2.1+dfsg1-1.1',
    deb: '996d31008cebdda7acb16431b70b8c2021fd0da544ec643597b172b6a7707e48',
    files: [
      ['lib/i386-linux-gnu/libgmp.so.10.4.1', '727991d7c0d4c3bc8c4965f11462785f1e8d37b8ca824761c160cb724c3d663b', 0o755,
        'usr/lib/i386-linux-gnu/libgmp.so.10.4.1'],
    ],
    links: [['lib/i386-linux-gnu/libgmp.so.10', 'libgmp.so.10.4.1']],
  },
  {
    // coreutils' expr: arbitrary-precision arithmetic through libgmp (a user's first report of
    // the missing MMX/SSE2: `expr 7 \* 6 + 3` died with SIGILL); busybox's /bin/expr stays
    name: 'coreutils:i386', version: '9.1-1',
    deb: '96a9a385f03210b2b9037d04c9ec1869eb215be791b9083d60856711014017aa',
    files: [['usr/bin/expr', 'bd4086e4e6d689a88d1d5289836e190f9adad12d595ab68005b72eb14ae07259', 0o755]],
  },
];

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const rootfs = path.join(root, 'rootfs');
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

if (argv.check) {
  let bad = 0;
  for (const pkg of PACKAGES) {
    for (const [file, want] of pkg.files) {
      const got = await fs.readFile(path.join(rootfs, file)).then(sha256, () => 'missing');
      if (got !== want) { console.error(`rootfs/${file}: sha256 ${got}, expected ${want} (${pkg.name} ${pkg.version})`); bad++; }
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
    // a file's path in the .deb, when it differs from the one in rootfs/
    for (const [file, want, mode = 0o755, from = file] of pkg.files) {
      const data = await fs.readFile(path.join(x, from));
      const got = sha256(data);
      if (got !== want) throw new Error(`${file}: sha256 ${got}, expected ${want}`);
      await fs.mkdirp(path.dirname(path.join(rootfs, file)));
      await fs.writeFile(path.join(rootfs, file), data, { mode });
      console.log(`rootfs/${file} from ${pkg.name} ${pkg.version} (${data.length} bytes)`);
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
