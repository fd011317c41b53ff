#!/usr/bin/env zx
// Builds test/images/debian-root.img.gz, the small Debian bookworm i386 root
// the `embox --root` tests boot: Debian's own packages (below), each pinned by
// version and .deb sha256, fetched with apt-get into the cache the bench's
// Debian rows use (bench/debian-pins.ts: ${XDG_CACHE_HOME:-~/.cache}/embox-i386/debian),
// so no bootstrap tool is needed. The root is laid out as mmdebstrap lays out
// a bookworm one (merged /usr: /bin, /sbin and /lib link into /usr), with what
// the packages' maintainer scripts would add: /etc/passwd and /etc/group
// (base-passwd's master files), /etc/profile and root's dot files
// (base-files'), /etc/ld.so.cache (ldconfig). Documentation, manual pages,
// translations and glibc's gconv modules are left out (they are most of the
// size and nothing here reads them).
//
// The image is made byte-identically: mke2fs with a fixed UUID, hash seed and
// clock (E2FSPROGS_FAKE_TIME), then every directory, file and link put in by
// one debugfs script in sorted order (mke2fs -d would copy the host's ctimes).
// Its record (test/images/debian-root.json) holds the packages and what blkid
// and dumpe2fs say of it, as test/images' others do.
//
//   npx zx scripts/build-root-image.mjs          fetch what the cache lacks, build into test/images
//   npx zx scripts/build-root-image.mjs --check  rebuild into a temp dir, fail if anything differs
//
// Needs the compiled tree (npm run build: it uses dist/bench/debian-pins.js),
// dpkg-deb and apt-get (a package the cache lacks), e2fsprogs and ldconfig.
import { $, fs, path, os, argv } from 'zx';
import { dumpe2fs } from './ext-image.mjs';
import { gzipSync, gunzipSync } from 'node:zlib';

$.verbose = false;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, 'test/images');
const NAME = 'debian-root';
const FAKE_TIME = '1764547200'; // 2025-12-01T00:00:00Z, as scripts/build-images.mjs
const SIZE = 64 << 20;
const UUID = '00000000-0000-4000-8000-0000000000d1';

const pinsModule = path.join(root, 'dist/bench/debian-pins.js');
if (!fs.existsSync(pinsModule)) {
  console.error(`${path.relative(root, pinsModule)} is missing: run npm run build first`);
  process.exit(1);
}
const { fetchPackages, pinDir, verifyCache, cacheRoot, pinErrors } = await import(pinsModule);
const { ProgressLine } = await import(path.join(root, 'dist/src/boot/progress.js'));
/** What a person waiting at the terminal sees of the long steps (nothing elsewhere). */
const progress = new ProgressLine(process.stderr, 250);

/** Debian bookworm's packages in the root: bash, dash, coreutils, python3.11-minimal and what they need. */
const PINS = [
  { pkg: 'base-files:i386', version: '12.4+deb12u15', deb: '95ab24c65cd128e5773bfa3d41b489dd5158f9081e6b757ac854d3820d721456', files: [] },
  { pkg: 'base-passwd:i386', version: '3.6.1', deb: 'b75de24b256a81e8348f3e75e0357b4b7aaa5b45e1cc357e5dfeab39abce9018', files: [] },
  { pkg: 'libc6:i386', version: '2.36-9+deb12u14', deb: '76b12e06be66ec3fc2c1791d7d8cf34c2b828ed210e3913feeeb8edc9688f820', files: [] },
  { pkg: 'libc-bin:i386', version: '2.36-9+deb12u14', deb: '69b8e898575ef01752bc7f133a6404f7400d1053b3dc57dc856625371fe14482', files: [] },
  { pkg: 'ncurses-base:all', version: '6.4-4', deb: 'bfd1d89f833c09a28b062ee916495cf69649ca2bf529532476c7b69d75d24909', files: [] },
  { pkg: 'libtinfo6:i386', version: '6.4-4', deb: 'd6de1d8daeadda8ba57f86d42273919fba9e57f699036b7c51062d91778f4a16', files: [] },
  { pkg: 'bash:i386', version: '5.2.15-2+b13', deb: '025f4331ef8df81aafb8fd3bd730e10be3604a981df11f2850d2250784609c06', files: [] },
  { pkg: 'dash:i386', version: '0.5.12-2', deb: '341f83d23b1570c98a1e503ed8715c1ac4a5fe02f4351debc92ea136a65e709f', files: [] },
  { pkg: 'coreutils:i386', version: '9.1-1', deb: '96a9a385f03210b2b9037d04c9ec1869eb215be791b9083d60856711014017aa', files: [] },
  { pkg: 'libacl1:i386', version: '2.3.1-3', deb: '82d8cb6778124d48b33c2a06e729fc5cdac972e4f72e57855e002787c9296e54', files: [] },
  { pkg: 'libattr1:i386', version: '1:2.5.1-4', deb: 'e064db901d4389a2dcad96b491137e933fd3598083077f78850c703074916261', files: [] },
  { pkg: 'libgmp10:i386', version: '2:6.2.1+dfsg1-1.1', deb: '996d31008cebdda7acb16431b70b8c2021fd0da544ec643597b172b6a7707e48', files: [] },
  { pkg: 'libselinux1:i386', version: '3.4-1+b6', deb: '1af838cdb8342802e3fdbf334f75c42d3027246bcec72f2c2ca26a996014f143', files: [] },
  { pkg: 'libpcre2-8-0:i386', version: '10.42-1', deb: 'f5485ecd3a5ba7bdb7de1cb502165f20fd7e1f7b9a4988ab7bdb89c58aa1596b', files: [] },
  { pkg: 'python3-minimal:i386', version: '3.11.2-1+b1', deb: '361ffd7aa8e0fc5ee37b8b656e79127cb15b0320c85da171d949e62076f5f3e3', files: [] },
  { pkg: 'python3.11-minimal:i386', version: '3.11.2-6+deb12u8', deb: 'fdd91419e5e70ecbc7f732f9fb1246e7395bc9ba7df03ef00e93f6a75a0b8a11', files: [] },
  { pkg: 'libpython3.11-minimal:i386', version: '3.11.2-6+deb12u8', deb: '306a8ea53e09eee11168b4f482dd5fb6af68a2ba76ec757ef6317329658aa8c6', files: [] },
  { pkg: 'libexpat1:i386', version: '2.5.0-1+deb12u2', deb: '002fa75e3acfa317aee466c83e4f709db027d25110d2c548fd9483e196e3659d', files: [] },
  { pkg: 'zlib1g:i386', version: '1:1.2.13.dfsg-1', deb: '3ca84a1245347652b7e1f8694db222851f7f1e7060515b21e1439b0cf84f96e1', files: [] },
];

/** Left out of the root: what only people read, and glibc's character set converters (8 MB). */
const LEFT_OUT = /^usr\/share\/(doc|man|info|locale|lintian|bug|common-licenses|bash-completion)(\/|$)|^usr\/lib\/i386-linux-gnu\/gconv(\/|$)/;
/** Merged /usr, as bookworm's bootstrap makes it: a package's /bin/bash lands in /usr/bin/bash. */
const MERGED = { bin: 'usr/bin', sbin: 'usr/sbin', lib: 'usr/lib' };
const merged = (rel) => {
  const [top, ...rest] = rel.split('/');
  return MERGED[top] !== undefined ? [MERGED[top], ...rest].join('/') : rel;
};

/** Every entry under dir, relative to it, sorted, each directory before what it holds. */
function walk(dir, rel = '') {
  const out = [];
  for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const st = fs.lstatSync(path.join(dir, r));
    out.push({ rel: r, st });
    if (st.isDirectory()) out.push(...walk(dir, r));
  }
  return out;
}

/** The packages' files merged into one root at dir, with what their maintainer scripts would add. */
async function stage(dir) {
  for (const d of Object.values(MERGED)) fs.mkdirSync(path.join(dir, d), { recursive: true, mode: 0o755 });
  for (const [link, target] of Object.entries(MERGED)) fs.symlinkSync(target, path.join(dir, link));
  const owner = new Map();
  for (const pin of PINS) {
    const src = pinDir(pin);
    for (const { rel, st } of walk(src)) {
      if (rel === '.deb-sha256') continue;
      const to = merged(rel);
      if (LEFT_OUT.test(to)) continue;
      const dest = path.join(dir, to);
      if (st.isDirectory()) {
        // the first package's mode (mkdir's is masked by the umask)
        if (!fs.existsSync(dest)) {
          fs.mkdirSync(dest);
          fs.chmodSync(dest, st.mode & 0o7777);
        }
        continue;
      }
      if (owner.has(to)) throw new Error(`/${to}: in ${owner.get(to)} and ${pin.pkg}`);
      owner.set(to, pin.pkg);
      if (st.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(path.join(src, rel)), dest);
      else if (st.isFile()) {
        fs.copyFileSync(path.join(src, rel), dest);
        fs.chmodSync(dest, st.mode & 0o7777);
      } else throw new Error(`${pin.pkg}: /${rel}: neither a file, a directory nor a link`);
    }
  }
  // base-passwd's postinst: the system's users and groups from its master files
  fs.copyFileSync(path.join(dir, 'usr/share/base-passwd/passwd.master'), path.join(dir, 'etc/passwd'));
  fs.copyFileSync(path.join(dir, 'usr/share/base-passwd/group.master'), path.join(dir, 'etc/group'));
  // base-files' postinst: the login profile and root's dot files
  fs.copyFileSync(path.join(dir, 'usr/share/base-files/profile'), path.join(dir, 'etc/profile'));
  fs.copyFileSync(path.join(dir, 'usr/share/base-files/dot.profile'), path.join(dir, 'root/.profile'));
  fs.copyFileSync(path.join(dir, 'usr/share/base-files/dot.bashrc'), path.join(dir, 'root/.bashrc'));
  for (const f of ['etc/passwd', 'etc/group', 'etc/profile', 'root/.profile', 'root/.bashrc']) fs.chmodSync(path.join(dir, f), 0o644);
  // libc-bin's trigger: the loader's cache of the libraries' directories
  await $`ldconfig -r ${dir}`;
  // ldconfig's own cache of what it scanned holds the staging files' inode numbers and ctimes
  fs.rmSync(path.join(dir, 'var/cache/ldconfig/aux-cache'));
}

/** A debugfs argument: quoted, so that nothing in a name is taken for syntax. */
const q = (s) => {
  if (/["\\\n]/.test(s)) throw new Error(`cannot quote ${JSON.stringify(s)} for debugfs`);
  return `"${s}"`;
};

async function build(dir) {
  const errs = pinErrors(PINS);
  if (errs.length) throw new Error(`bad pins:\n${errs.join('\n')}`);
  // what the cache lacks comes from Debian's archive (apt-get download, as root)
  if (verifyCache(PINS).length) {
    try {
      fetchPackages(PINS);
    } catch (e) {
      // the archive keeps a version only until the next point release or security update
      throw new Error(`fetching the pinned packages: ${e.message}\n(if Debian's archive no longer serves a pinned version, pin the one it serves now and rebuild)`);
    }
  }
  const bad = verifyCache(PINS);
  if (bad.length) throw new Error(`${cacheRoot()}: ${bad.join('; ')}`);

  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'root-image-'));
  try {
    const staged = path.join(tmp, 'root');
    fs.mkdirSync(staged);
    await progress.during(`staging the ${PINS.length} packages' files`, stage(staged));
    const cmds = [];
    for (const { rel, st } of walk(staged)) {
      const p = `/${rel}`;
      if (st.isDirectory()) {
        cmds.push(`mkdir ${q(p)}`, `sif ${q(p)} mode 0${(0o40000 | (st.mode & 0o7777)).toString(8)}`);
      } else if (st.isSymbolicLink()) {
        cmds.push(`symlink ${q(p)} ${q(fs.readlinkSync(path.join(staged, rel)))}`);
      } else {
        // write takes the mode from the host's file, the times from the clock
        cmds.push(`write ${q(path.join(staged, rel))} ${q(p)}`);
      }
    }
    const script = path.join(tmp, 'debugfs.cmds');
    fs.writeFileSync(script, cmds.join('\n') + '\n');
    const img = path.join(tmp, `${NAME}.img`);
    fs.writeFileSync(img, Buffer.alloc(SIZE));
    const env = { ...process.env, E2FSPROGS_FAKE_TIME: FAKE_TIME };
    await $({ env })`mkfs.ext4 -q -F -L ${NAME} -U ${UUID} -E ${`hash_seed=${UUID},root_owner=0:0`} ${img}`;
    const r = await progress.during(`writing the image (${cmds.length} debugfs commands)`, $({ env })`debugfs -w -f ${script} ${img}`.nothrow());
    // debugfs reports a failed command on stderr and carries on: any message is a failure here
    const complaints = r.stderr.split('\n').filter((l) => l && !/^debugfs [\d.]+ \(/.test(l));
    if (r.exitCode !== 0 || complaints.length) throw new Error(`debugfs: ${complaints.slice(0, 5).join('\n') || `exit ${r.exitCode}`}`);
    await progress.during('checking the image (e2fsck)', $`e2fsck -fn ${img}`);
    const info = {
      size: SIZE,
      packages: PINS.map((p) => `${p.pkg} ${p.version}`),
      blkid: (await $`blkid -p -o value -s TYPE ${img}`).stdout.trim(),
      dumpe2fs: await dumpe2fs(img),
    };
    await fs.writeFile(path.join(dir, `${NAME}.json`), JSON.stringify(info, null, 1) + '\n');
    progress.show('compressing the image (gzip -9)');
    await fs.writeFile(path.join(dir, `${NAME}.img.gz`), gzipSync(await fs.readFile(img), { level: 9 }));
    progress.clear();
  } finally {
    progress.clear();
    await fs.remove(tmp);
  }
}

if (argv.check) {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'root-image-check-'));
  try {
    await build(tmp);
    const a = gunzipSync(await fs.readFile(path.join(tmp, `${NAME}.img.gz`)));
    const b = await fs.readFile(path.join(outDir, `${NAME}.img.gz`)).then(gunzipSync, () => Buffer.alloc(0));
    const ja = await fs.readFile(path.join(tmp, `${NAME}.json`), 'utf8');
    const jb = await fs.readFile(path.join(outDir, `${NAME}.json`), 'utf8').catch(() => '');
    if (!a.equals(b) || ja !== jb) {
      console.error(`test/images/${NAME}: differs from a fresh build`);
      process.exit(1);
    }
    console.log(`test/images/${NAME} is identical to a fresh build from ${PINS.length} pinned Debian packages`);
  } finally {
    await fs.remove(tmp);
  }
} else {
  await fs.mkdirp(outDir);
  await build(outDir);
  const gz = fs.statSync(path.join(outDir, `${NAME}.img.gz`)).size;
  console.log(`test/images/${NAME}.img.gz: ${PINS.length} packages, ${(gz / 1048576).toFixed(1)} MiB`);
}
