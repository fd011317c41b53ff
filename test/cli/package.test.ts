// The npm package, as a user gets it: packed, installed globally into a
// temporary prefix without the network, and run from an empty directory.
//
// The test packs with --ignore-scripts: prepack would empty dist/, which the
// other test files run from; it runs prepack's last step (recording the
// rootfs's symbolic links) itself, on the dist/ `npm test` has just built.
// The runtime dependencies (debug and what it needs) are packed from
// node_modules and installed beside the package, with --offline and an empty
// npm cache, so nothing is fetched.
import test from 'ava';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/cli → package root
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The environment without what a parent npm (npm test) passes its children. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
  return { ...env, ...extra };
}

function run(cmd: string, args: string[], opts: SpawnSyncOptions): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, ...opts });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Directories of the runtime dependencies' closure, as installed in node_modules. */
function runtimeDeps(): string[] {
  const out = new Set<string>();
  const visit = (pkgDir: string): void => {
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(pkg.dependencies ?? {})) {
      // Node's lookup: a nested copy first, then upwards to the root's node_modules
      let dir = pkgDir;
      let found: string | undefined;
      for (;;) {
        const c = path.join(dir, 'node_modules', name);
        if (fs.existsSync(path.join(c, 'package.json'))) {
          found = fs.realpathSync(c);
          break;
        }
        if (dir === ROOT || path.dirname(dir) === dir) break;
        dir = path.dirname(dir);
      }
      if (found === undefined) throw new Error(`${name} (needed by ${pkgDir}) is not in node_modules`);
      if (!out.has(found)) {
        out.add(found);
        visit(found);
      }
    }
  };
  visit(ROOT);
  return [...out];
}

interface Packed { filename: string; files: Array<{ path: string }> }

test('npm pack, npm install -g of the tarball offline, embox from an empty directory', (t) => {
  t.timeout(90_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embox-pack-'));
  t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const env = cleanEnv({ npm_config_cache: path.join(tmp, 'cache'), npm_config_update_notifier: 'false' });

  const rec = run(process.execPath, [path.join(ROOT, 'bin', 'rootfs-links.cjs'), '--record'], { cwd: ROOT });
  t.is(rec.status, 0, rec.stderr);
  const pack = run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT, env });
  t.is(pack.status, 0, pack.stderr);
  const [packed] = JSON.parse(pack.stdout) as Packed[];
  const files = packed!.files.map((f) => f.path);

  // what runs is there; tests, sources and build inputs are not
  for (const f of ['bin/embox.cjs', 'bin/rootfs-links.cjs', 'dist/bin/main.js', 'dist/src/boot/system.js', 'dist/rootfs-links.json', 'dist/embox.cjs', 'dist/v8-flags.cjs', 'dist/embox.inputs.json', 'bin/run-bundle.cjs',
    'lkl/lkl.wasm', 'lkl/start-functions.json', 'rootfs/bin/busybox', 'rootfs/bin/busybox.applets', 'rootfs/bin/linux_echo', 'rootfs/etc/passwd',
    'rootfs/lib/i386-linux-gnu/libc.so.6', 'rootfs/scripts/shell.sh', 'rootfs/usr/bin/expr', 'package.json', 'README.md']) {
    t.true(files.includes(f), `${f} is packed`);
  }
  const unwanted = files.filter((f) => /^(test|bench|src|scripts|lkl\/(?!lkl\.wasm$|start-functions\.json$)|dist\/(test|bench)\/|rootfs\/src\/|node_modules)/.test(f) || f.endsWith('.map') || f.endsWith('.ts'));
  t.deepEqual(unwanted, []);
  // every symbolic link of the rootfs (npm leaves them out) is recorded, to be made at install
  const links = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', 'rootfs-links.json'), 'utf8')) as Array<[string, string]>;
  t.true(links.some(([l]) => l === 'rootfs/lib/ld-linux.so.2'));
  for (const [link, target] of links) {
    t.is(fs.readlinkSync(path.join(ROOT, link)), target);
    t.false(files.includes(link), `${link} is not packed as a file`);
  }

  const deps = run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp, ...runtimeDeps()], { cwd: tmp, env });
  t.is(deps.status, 0, deps.stderr);
  const tarballs = [packed!, ...(JSON.parse(deps.stdout) as Packed[])].map((p) => path.join(tmp, p.filename));
  t.true(tarballs.some((f) => /\/debug-[^/]+\.tgz$/.test(f)));

  const prefix = path.join(tmp, 'prefix');
  const inst = run(NPM, ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', ...tarballs], { cwd: tmp, env });
  t.is(inst.status, 0, inst.stderr);
  const installed = path.join(prefix, 'lib', 'node_modules', 'embox-i386');
  for (const [link, target] of links) t.is(fs.readlinkSync(path.join(installed, link)), target, `${link} made at install`);

  // an empty directory, a PATH with node and the system's tools only, a home of its own
  const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
  const home = fs.mkdtempSync(path.join(tmp, 'home-'));
  const userEnv = { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: home };
  const embox = path.join(prefix, 'bin', 'embox');
  const echo = run(embox, ['-c', 'load_app linux_echo hi'], { cwd: empty, env: userEnv, input: '' });
  t.is(echo.stderr, '');
  t.is(echo.stdout, 'hi\n');
  t.is(echo.status, 0);

  // a dynamically linked program (the links above), as from the source tree
  const gmp = run(embox, ['-c', 'load_app gmp-calc'], { cwd: empty, env: userEnv, input: '' });
  const here = run(process.execPath, [path.join(ROOT, 'bin', 'embox.cjs'), '-c', 'load_app gmp-calc'], { cwd: empty, env: userEnv, input: '' });
  t.is(here.status, 0, here.stderr);
  t.regex(here.stdout, /^libgmp \d/);
  t.is(gmp.stderr, '');
  t.is(gmp.stdout, here.stdout);
  t.is(gmp.status, 0);

  // a status other than 0 comes through the launcher
  const st = run(embox, ['-c', 'load_app busybox false'], { cwd: empty, env: userEnv, input: '' });
  t.is(st.status, 1);
  t.is(fs.readdirSync(empty).length, 0, 'nothing written to the working directory');
  // the snapshot of the started system is in the user's cache directory, and so is V8's code
  // cache of the bundle (run, not dist/bin/main.js: npm gives the package's files one time)
  t.true(fs.readdirSync(path.join(home, '.cache', 'embox-i386', 'snapshots')).some((f) => f.endsWith('.bin')));
  const codeDir = path.join(home, '.cache', 'embox-i386', 'code');
  // (the installed bundle's: bin/run-bundle.cjs names a cache after its bundle file; the source tree's run above has one too)
  const bundle = fs.statSync(path.join(installed, 'dist', 'embox.cjs'), { bigint: true });
  const caches = (): string[] => fs.readdirSync(codeDir).filter((f) => f.startsWith(`${process.version}-${bundle.size}-${bundle.mtimeNs}-${bundle.ino}-`) && f.endsWith('.v8'));
  t.is(caches().length, 1);
  // ... which V8 takes at the next start (it is written only when missing or rejected), also when
  // the start that made it translated code (its modules compiled under a tiering budget of their own)
  fs.rmSync(path.join(codeDir, caches()[0]!));
  const loop = run(embox, ['-c', "load_app busybox sh -c 'i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done; echo $i'"], { cwd: empty, env: userEnv, input: '' });
  t.is(loop.stdout, '2000\n');
  t.is(caches().length, 1);
  const made = fs.statSync(path.join(codeDir, caches()[0]!)).mtimeMs;
  t.is(run(embox, ['-c', 'load_app linux_echo hi'], { cwd: empty, env: userEnv, input: '' }).stdout, 'hi\n');
  t.is(caches().length, 1);
  t.is(fs.statSync(path.join(codeDir, caches()[0]!)).mtimeMs, made, 'the code cache was taken, not made again');
});
