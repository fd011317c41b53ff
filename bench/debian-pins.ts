// The Debian i386 packages the bench's Debian rows run (bench/debian.ts), each pinned by
// version and .deb sha256, and its programs and libraries by their own sha256, as
// scripts/fetch-debian.mjs pins the committed rootfs. They are large (cpp-12's cc1 alone is
// 30 MB), so they are not committed: `npm run bench:fetch` downloads them with apt-get into
// a cache outside the tree, one extracted package per directory:
//   ${XDG_CACHE_HOME:-~/.cache}/embox-i386/debian/<package>_<version>/
// holding a stamp (.deb-sha256); a package is extracted beside its directory and renamed
// into place once its .deb and every pinned file matched. Nothing here reaches the network
// except fetchPackages().
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProgressLine } from '../src/boot/progress.js';

export interface Pin {
  /** apt's name, architecture included (:i386, or :all for an architecture-independent package) */
  pkg: string;
  version: string;
  /** sha256 of the .deb */
  deb: string;
  /** files checked after extraction: path in the package, sha256 */
  files: [string, string][];
}

// Pinned on bookworm (12) with its security and point-release updates as the archive
// serves them; libc6 and libgmp10 come from the committed rootfs (rootfs/lib).
export const PINS: Pin[] = [
  { pkg: 'python3.11-minimal:i386', version: '3.11.2-6+deb12u8',
    deb: 'fdd91419e5e70ecbc7f732f9fb1246e7395bc9ba7df03ef00e93f6a75a0b8a11',
    files: [['usr/bin/python3.11', 'f7dfd935122704ca636338b5600842a2fbd6ef552917e8cbdfe49706c59e8f69']] },
  // the standard library python3.11 -S needs (encodings, codecs, io): covered by the .deb's sha256
  { pkg: 'libpython3.11-minimal:i386', version: '3.11.2-6+deb12u8',
    deb: '306a8ea53e09eee11168b4f482dd5fb6af68a2ba76ec757ef6317329658aa8c6', files: [] },
  { pkg: 'libexpat1:i386', version: '2.5.0-1+deb12u2',
    deb: '002fa75e3acfa317aee466c83e4f709db027d25110d2c548fd9483e196e3659d',
    files: [['lib/i386-linux-gnu/libexpat.so.1.8.10', '853b9be8a17df1e8beec7686b2b3eb3aef46b9648741e2610e9d217ecd530473']] },
  { pkg: 'zlib1g:i386', version: '1:1.2.13.dfsg-1',
    deb: '3ca84a1245347652b7e1f8694db222851f7f1e7060515b21e1439b0cf84f96e1',
    files: [['lib/i386-linux-gnu/libz.so.1.2.13', 'cd6d6cfe9cd92eb6894e50db8c41f0295063cdac54b423108d4d26e8b5384c0d']] },
  { pkg: 'sqlite3:i386', version: '3.40.1-2+deb12u2',
    deb: 'a7973b1b0e3411aa7f8cd8365d30f8820242259e98e2cf38504ad39d0d17bf2d',
    files: [['usr/bin/sqlite3', '705a1f54adb44b84cc9e4dad67ee0e7b4a2c05cd300ae650ea8a101571c79183']] },
  { pkg: 'libsqlite3-0:i386', version: '3.40.1-2+deb12u2',
    deb: '8b96faa7a4a16a24576dd034a10e0cb46258e96449e96fd577e52afd9c79b92c',
    files: [['usr/lib/i386-linux-gnu/libsqlite3.so.0.8.6', 'fdf965ca6c5696b7d0b4ff3c80dc0e3a9479280e809fe64412c422722f5d7ec0']] },
  { pkg: 'libreadline8:i386', version: '8.2-1.3',
    deb: '2350f3fb02ac8f3ccc827146bfdfd2390fce544c351d679f25adbe17906b49e2',
    files: [['lib/i386-linux-gnu/libreadline.so.8.2', '5b34d8d465011f424a42236b9428532ebf87f8297a880edd21caf9867ef397ee']] },
  { pkg: 'libtinfo6:i386', version: '6.4-4',
    deb: 'd6de1d8daeadda8ba57f86d42273919fba9e57f699036b7c51062d91778f4a16',
    files: [['lib/i386-linux-gnu/libtinfo.so.6.4', '954c3e1b3a39d0328b78f3093690782ed1ab7b5304ad055732d8743a5c131e6a']] },
  { pkg: 'xz-utils:i386', version: '5.4.1-1+deb12u1',
    deb: 'ac44fac4977468d8807a6264f14e970ec8b8f27f03704d683e9e22225b2f4f23',
    files: [['usr/bin/xz', '7b8c92b40e25ba743a937a3554976895a1907aba147c5e3416e9b6d0b147a833']] },
  { pkg: 'liblzma5:i386', version: '5.4.1-1+deb12u1',
    deb: '5b3fb8a53da0f5b1ec1181be94d39a8508db02465ec4421df12ad4c0d76924f3',
    files: [['lib/i386-linux-gnu/liblzma.so.5.4.1', '754639bce36ab5696b3145db00c03e28e4b31b31569728394a87ae5da0fd3fa4']] },
  { pkg: 'cpp-12:i386', version: '12.2.0-14+deb12u1',
    deb: '6b05ff1120a03ded869e6ac0f7bab01b0dacd9c096c5ea361b53d55155cd4982',
    files: [['usr/lib/gcc/i686-linux-gnu/12/cc1', 'c13ef0ff00c64a79cc3c112c164eeb26935b3dbfccca5df4505e6d7cd88aa2f4']] },
  { pkg: 'libmpfr6:i386', version: '4.2.0-1',
    deb: '6fe6a6a9c1e8cc2e54aa4651e7957257b362ce9faa9ba4592b35a54270f277be',
    files: [['usr/lib/i386-linux-gnu/libmpfr.so.6.2.0', '614e37cac5acc29186733b573689f4874e718bacf3527a924d6a1ed8d6405e18']] },
  { pkg: 'libmpc3:i386', version: '1.3.1-1',
    deb: '58a18ad7d49fbf982a4c69d5dc5ff5f8f94120d6fbd88085658ac11d3e466faa',
    files: [['usr/lib/i386-linux-gnu/libmpc.so.3.3.1', '3fb7e147f6d82483f172d43ce5e2f2611e1b41dd908206078d6f3d126b180770']] },
  { pkg: 'libisl23:i386', version: '0.25-1.1',
    deb: '0222c65b298e7660dd8bac1f2ea60083966ad2bd87b30eb098adc21b83b13cd8',
    files: [['usr/lib/i386-linux-gnu/libisl.so.23.2.0', '825d6de555568a6094c25d2aba09aa3e2a792225195b1a161edeeaefe14ad514']] },
  { pkg: 'libzstd1:i386', version: '1.5.4+dfsg2-5',
    deb: 'b9009648837c1fa095ca3b79eec3e6358df3946dd0a70c0f66ec3558695af8d5',
    files: [['usr/lib/i386-linux-gnu/libzstd.so.1.5.4', '62faa648211b7207f5dda5aa2402e34f0f4e47e35b3de2967de88b5a9c2e7d48']] },
];

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const HEX64 = /^[0-9a-f]{64}$/;

/** ${XDG_CACHE_HOME:-~/.cache}/embox-i386/debian; BENCH_DEBIAN_CACHE overrides it. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BENCH_DEBIAN_CACHE) return path.resolve(env.BENCH_DEBIAN_CACHE);
  const xdg = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(xdg, 'embox-i386', 'debian');
}

/** <package>_<version>, the architecture dropped and the epoch's ':' spelled as apt spells it in file names. */
export function pinDir(pin: Pin, root = cacheRoot()): string {
  return path.join(root, `${pin.pkg.replace(/:.*$/, '')}_${pin.version.replace(/:/g, '%3a')}`);
}

/** What is wrong with a pin list itself (malformed hashes, duplicate packages). */
export function pinErrors(pins: readonly Pin[]): string[] {
  const errs: string[] = [];
  const seen = new Set<string>();
  for (const p of pins) {
    if (seen.has(p.pkg)) errs.push(`${p.pkg}: pinned twice`);
    seen.add(p.pkg);
    if (!/^[a-z0-9][a-z0-9+.-]*:(i386|all)$/.test(p.pkg)) errs.push(`${p.pkg}: not an i386 package name (NAME:i386, or NAME:all for an architecture-independent one)`);
    if (!p.version) errs.push(`${p.pkg}: no version`);
    if (!HEX64.test(p.deb)) errs.push(`${p.pkg}: .deb sha256 ${p.deb} is not 64 hex digits`);
    for (const [f, h] of p.files) {
      if (!HEX64.test(h)) errs.push(`${p.pkg}: ${f}: sha256 ${h} is not 64 hex digits`);
      if (path.isAbsolute(f) || f.split('/').includes('..')) errs.push(`${p.pkg}: ${f}: not a relative path inside the package`);
    }
  }
  return errs;
}

/** What is wrong with one extracted package in dir: its stamp and its pinned files (empty: usable). */
export function verifyDir(pin: Pin, dir: string): string[] {
  const errs: string[] = [];
  let stamp: string;
  try {
    stamp = fs.readFileSync(path.join(dir, '.deb-sha256'), 'utf8').trim();
  } catch {
    return [`${pin.pkg} ${pin.version}: not fetched`];
  }
  if (stamp !== pin.deb) errs.push(`${pin.pkg} ${pin.version}: fetched from a .deb with sha256 ${stamp}, pinned ${pin.deb}`);
  for (const [f, want] of pin.files) {
    let got = 'missing';
    try { got = sha256(fs.readFileSync(path.join(dir, f))); } catch { /* reported below */ }
    if (got !== want) errs.push(`${pin.pkg}: ${f}: sha256 ${got}, pinned ${want}`);
  }
  return errs;
}

/** Every pin's problems in the cache; empty when all are there and match. */
export function verifyCache(pins: readonly Pin[] = PINS, root = cacheRoot()): string[] {
  return pins.flatMap((p) => verifyDir(p, pinDir(p, root)));
}

/** The .deb's own check, before anything is extracted from it. */
export function checkDeb(file: string, want: string): string | null {
  const got = sha256(fs.readFileSync(file));
  return got === want ? null : `${path.basename(file)}: sha256 ${got}, pinned ${want}`;
}

function run(cmd: string, args: string[], cwd?: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
}

/**
 * Downloads (apt-get download, as root: dpkg must know i386) every pin the cache lacks,
 * checks the .deb, extracts it and checks the pinned files; a package lands in its
 * directory only whole (extracted beside it, then renamed).
 */
export function fetchPackages(pins: readonly Pin[] = PINS, root = cacheRoot(), log = console.log): void {
  const missing = pins.filter((p) => verifyDir(p, pinDir(p, root)).length);
  if (!missing.length) return;
  const foreign = spawnSync('dpkg', ['--print-foreign-architectures'], { encoding: 'utf8' });
  if (foreign.error) throw new Error('dpkg not found: the packages come from Debian\'s archive through apt-get');
  if (!foreign.stdout.split('\n').includes('i386')) {
    run('dpkg', ['--add-architecture', 'i386']);
    run('apt-get', ['update', '-q']);
  }
  fs.mkdirSync(root, { recursive: true });
  // a person at a terminal sees which package is on its way (apt-get runs quiet)
  const progress = new ProgressLine(process.stderr);
  for (const [i, pin] of missing.entries()) {
    progress.show(`fetching package ${i + 1} of ${missing.length}: ${pin.pkg} ${pin.version}`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embox-deb-'));
    fs.chmodSync(tmp, 0o777); // apt-get download drops privileges to _apt
    const dest = pinDir(pin, root);
    const part = `${dest}.part`;
    try {
      // apt names an architecture-independent package without one
      run('apt-get', ['download', '-q', `${pin.pkg.replace(/:all$/, '')}=${pin.version}`], tmp);
      const debs = fs.readdirSync(tmp).filter((f) => f.endsWith('.deb'));
      if (debs.length !== 1) throw new Error(`${pin.pkg}: expected one .deb, got ${debs.join(', ') || 'none'}`);
      const bad = checkDeb(path.join(tmp, debs[0]!), pin.deb);
      if (bad) throw new Error(bad);
      fs.rmSync(part, { recursive: true, force: true });
      run('dpkg-deb', ['-x', path.join(tmp, debs[0]!), part]);
      fs.writeFileSync(path.join(part, '.deb-sha256'), `${pin.deb}\n`);
      const errs = verifyDir(pin, part);
      if (errs.length) throw new Error(errs.join('; '));
      fs.rmSync(dest, { recursive: true, force: true });
      fs.renameSync(part, dest);
      progress.clear();
      log(`${path.relative(root, dest)}: ${pin.pkg} ${pin.version}`);
    } finally {
      progress.clear();
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.rmSync(part, { recursive: true, force: true });
    }
  }
}
