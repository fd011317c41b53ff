#!/usr/bin/env zx
// Builds lkl/lkl.wasm: Debian's unmodified linux-source-6.1 tarball, our
// patches (lkl/patches) and our architecture port (lkl/arch/wasm), compiled
// with clang-19 to wasm32 objects, linked by wasm-ld-19 and instrumented with
// binaryen's Asyncify (kernel tasks become coroutines of the host).
//
//   zx scripts/build-lkl.mjs            build, write lkl/lkl.wasm and lkl/lkl.inputs.json
//   zx scripts/build-lkl.mjs --check    verify the committed lkl.wasm against its inputs:
//                                       the recorded input hashes must equal those of the
//                                       sources here; with --rebuild, also rebuild and
//                                       compare the bytes
//   zx scripts/build-lkl.mjs --install  install the toolchain from Debian's packages first
//
// Everything is built in lkl/build (not committed). Determinism: fixed paths
// inside the tree (-fmacro-prefix-map, KBUILD_BUILD_* variables), no build
// ids, one config; the same inputs give the same bytes. Function names are
// kept (-g) so kernel traps show a readable stack.
import { $, fs, path, argv } from 'zx';
import { createHash } from 'node:crypto';
import { elapsed, ProgressLine } from '../dist/src/boot/progress.js';

$.verbose = !!argv.verbose;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const lkl = path.join(root, 'lkl');
const build = path.join(lkl, 'build');
const TARBALL = '/usr/src/linux-source-6.1.tar.xz';
const srcDir = path.join(build, 'linux-source-6.1');
const objDir = path.join(build, 'obj');
const out = path.join(lkl, 'lkl.wasm');
const inputsFile = path.join(lkl, 'lkl.inputs.json');
const unistdOut = path.join(root, 'src/rtos/kernel/unistd.ts');

const PACKAGES = ['clang-19', 'lld-19', 'llvm-19', 'linux-source-6.1', 'make', 'bc', 'flex', 'bison'];
// Fixed build identity: the version string (uname -v, /proc/version) must not
// depend on who builds, when, or how often.
const BUILD_ENV = {
  KBUILD_BUILD_USER: 'embox',
  KBUILD_BUILD_HOST: 'embox',
  KBUILD_BUILD_TIMESTAMP: 'Thu Jan  1 00:00:00 UTC 1970',
  KBUILD_BUILD_VERSION: '1',
  SOURCE_DATE_EPOCH: '0',
};
const MAKE = ['ARCH=wasm', 'LLVM=-19', 'CROSS_COMPILE=wasm32-unknown-unknown-', `O=${objDir}`];
// Kernel memory the host gives the module is chosen at run time (imported memory).
// Function pointers are table indices; Linux takes values below 4096 for
// offsets, not functions (kvfree_rcu's __is_kvfree_rcu_offset), so the table
// starts at 4096.
const LDFLAGS = ['--no-entry', '--import-memory', '--export=__stack_pointer', '--export=__heap_base',
  '--table-base=4096',
  '-z', 'stack-size=65536', '--stack-first', '--error-limit=0'];
// The imports that suspend the running coroutine, as host_ops.h marks them
// (__host_import_suspends); see src/rtos/kernel/coroutines.ts.
async function asyncImports() {
  const h = await fs.readFile(path.join(lkl, 'arch/wasm/include/asm/host_ops.h'), 'utf8');
  const names = [...h.matchAll(/^__host_import_suspends\((\w+)\)/gm)].map((m) => `host.${m[1]}`);
  if (names.length === 0) throw new Error('host_ops.h marks no suspending import');
  return names;
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
/** What a person waiting at the terminal sees of the long steps (nothing elsewhere). */
const progress = new ProgressLine(process.stderr, 250);

async function hashTree(dir) {
  // Sorted relative paths and contents, so the hash is independent of the walk order.
  const files = [];
  async function walk(d) {
    for (const e of (await fs.readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (!/\.(o|cmd|a|d)$/.test(e.name)) files.push(p);
    }
  }
  await walk(dir);
  const h = createHash('sha256');
  for (const f of files) h.update(path.relative(dir, f) + '\0').update(await fs.readFile(f)).update('\0');
  return h.digest('hex');
}

async function inputs() {
  const tarball = await fs.pathExists(TARBALL) ? sha256(await fs.readFile(TARBALL)) : 'missing';
  const fmt = '${Package}=${Version} ';
  const ver = (await $`dpkg-query -W -f=${fmt} linux-source-6.1 clang-19 lld-19 llvm-19`.nothrow()).stdout.trim();
  return {
    tarball: { path: TARBALL, sha256: tarball },
    packages: ver,
    arch: await hashTree(path.join(lkl, 'arch/wasm')),
    patches: await hashTree(path.join(lkl, 'patches')),
    script: sha256(await fs.readFile(new URL(import.meta.url))),
  };
}

async function install() {
  await $`apt-get update`;
  await $({ env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })`apt-get install -y ${PACKAGES}`;
}

async function prepareTree() {
  const stamp = path.join(build, '.tree-sha256');
  const want = (await inputs()).tarball.sha256 + ':' + (await hashTree(path.join(lkl, 'patches')));
  if (!(await fs.pathExists(stamp)) || (await fs.readFile(stamp, 'utf8')) !== want) {
    console.error('lkl: unpacking the kernel source');
    await fs.remove(srcDir);
    await fs.mkdirp(build);
    await progress.during('lkl: unpacking the kernel source', $`tar -C ${build} -xf ${TARBALL}`);
    for (const p of (await fs.readdir(path.join(lkl, 'patches'))).sort()) {
      if (p.endsWith('.patch')) await $`patch -d ${srcDir} -p1 -s -i ${path.join(lkl, 'patches', p)}`;
    }
    await fs.writeFile(stamp, want);
  }
  // The port stays in lkl/arch/wasm; the tree sees it through a symlink.
  const link = path.join(srcDir, 'arch/wasm');
  if (!(await fs.pathExists(link))) await fs.symlink('../../../arch/wasm', link);
}

async function compile() {
  const env = { ...process.env, ...BUILD_ENV };
  const mk = $({ cwd: srcDir, env });
  await mk`make ${MAKE} KCONFIG_ALLCONFIG=arch/wasm/configs/wasm.config allnoconfig`;
  console.error('lkl: compiling (minutes on a fresh tree)');
  // kbuild's lines, one a step ("  CC      kernel/fork.o"), counted against what
  // a build from a fresh tree took (recorded in lkl.inputs.json); an
  // incremental build shows its count alone
  const fresh = !(await fs.pathExists(path.join(objDir, 'built-in.a')));
  const expected = fresh ? (await fs.readJson(inputsFile).catch(() => ({}))).steps : undefined;
  let steps = 0, rest = '';
  const from = Date.now();
  const draw = () => progress.show(`lkl: compiling: ${steps}${expected ? ` of about ${expected}` : ''} steps (${elapsed(Date.now() - from)})`);
  // "vmlinux.a" is a single-file goal in kbuild; "." builds every built-in.a.
  const make = mk`make ${MAKE} -j${String((await import('node:os')).cpus().length)} .`;
  make.stdout.on('data', (d) => {
    const lines = (rest + d).split('\n');
    rest = lines.pop();
    steps += lines.filter((l) => /^  [A-Z][A-Z0-9_-]* +\S/.test(l)).length;
    draw();
  });
  const timer = progress.active ? setInterval(draw, 1000) : undefined;
  try {
    await make;
  } finally {
    clearInterval(timer);
    progress.clear();
  }
  return fresh ? steps : undefined;
}

async function link() {
  const tmp = path.join(build, 'lkl.linked.wasm');
  const sections = path.join(objDir, 'arch/wasm/kernel/sections.o');
  // sections.o first: its markers fix the order of the output segments.
  await $`wasm-ld-19 ${LDFLAGS} -o ${tmp} ${sections} --whole-archive ${path.join(objDir, 'built-in.a')} --no-whole-archive ${path.join(objDir, 'lib/lib.a')}`;
  const wasmOpt = path.join(root, 'node_modules/.bin/wasm-opt');
  console.error('lkl: asyncify (a minute or two)');
  const ASYNC_IMPORTS = await asyncImports();
  const features = ['--enable-bulk-memory', '--enable-mutable-globals', '--enable-nontrapping-float-to-int', '--enable-sign-ext'];
  // --stack-check: every move of __stack_pointer is checked against the running task's
  // kernel stack (the host sets the bounds at each resume; the import env.wasm_stack_overflow
  // reports one past them). A pass of its own, written without validation: binaryen 132 types
  // the handler's call as i32 though it returns nothing, which its validator refuses; the
  // bytes written are valid wasm (checked when the next step reads them back).
  const checked = path.join(build, 'lkl.checked.wasm');
  await progress.during('lkl: stack checks and asyncify', (async () => {
    await $`${wasmOpt} ${tmp} ${features} -g --no-validation --stack-check --pass-arg=stack-check-handler@wasm_stack_overflow -o ${checked}`;
    await $`${wasmOpt} ${checked} ${features} -g --asyncify --pass-arg=asyncify-imports@${ASYNC_IMPORTS.join(',')} -O2 -o ${out}`;
  })());
}

// The generic system call numbers the kernel was built with, as data for the host.
async function unistd() {
  const inc = ['arch/wasm/include/uapi', `${objDir}/arch/wasm/include/generated/uapi`, 'include/uapi', `${objDir}/include/generated/uapi`]
    .flatMap((d) => ['-I', path.isAbsolute(d) ? d : path.join(srcDir, d)]);
  const r = await $`clang-19 --target=wasm32-unknown-unknown -E -dM -nostdinc ${inc} -include asm/unistd.h -x c /dev/null`;
  const nrs = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^#define __NR_(\w+) (\d+)$/.exec(line) ?? /^#define __NR_(\w+) \(?__NR3264_(\w+)\)?$/.exec(line);
    if (m && /^\d+$/.test(m[2])) nrs.push([m[1], Number(m[2])]);
  }
  // __NR3264 names resolve to the 32-bit variants; resolve them through the macro table.
  const defs = new Map(r.stdout.split('\n').map((l) => /^#define (\w+) (.*)$/.exec(l)).filter(Boolean).map((m) => [m[1], m[2]]));
  const resolve = (v, depth = 0) => (/^\d+$/.test(v) || depth > 8 ? v : resolve(defs.get(v.replace(/[()]/g, '')) ?? v, depth + 1));
  const all = new Map();
  for (const [k, v] of defs) {
    if (!k.startsWith('__NR_') || k === '__NR_syscalls') continue;
    const n = resolve(v);
    if (/^\d+$/.test(n)) all.set(k.slice(5), Number(n));
  }
  const body = [...all].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `  ${k}: ${v},`).join('\n');
  await fs.mkdirp(path.dirname(unistdOut));
  await fs.writeFile(unistdOut, `// Generated by scripts/build-lkl.mjs from the kernel's asm/unistd.h (generic
// 32-bit numbers, the ABI lkl.wasm serves). Do not edit.
export const NR = {
${body}
} as const;
`);
}

if (argv.install) await install();
if (argv['unistd-only']) {
  await unistd();
  process.exit(0);
}

if (argv.check) {
  const recorded = await fs.readJson(inputsFile);
  const now = await inputs();
  let bad = false;
  for (const k of ['arch', 'patches', 'script']) {
    if (recorded.inputs[k] !== now[k]) {
      console.error(`lkl.wasm is stale: lkl/${k === 'script' ? 'build script' : k} changed since it was built`);
      bad = true;
    }
  }
  const got = sha256(await fs.readFile(out));
  if (got !== recorded.wasm.sha256) {
    console.error(`lkl.wasm: sha256 ${got}, recorded ${recorded.wasm.sha256}`);
    bad = true;
  }
  if (!bad && argv.rebuild) {
    if (now.tarball.sha256 !== recorded.inputs.tarball.sha256) {
      console.error(`the installed ${TARBALL} differs from the one lkl.wasm was built from; cannot rebuild identically`);
      process.exit(1);
    }
    const saved = await fs.readFile(out);
    await prepareTree();
    await compile();
    await link();
    const again = sha256(await fs.readFile(out));
    await fs.writeFile(out, saved);
    if (again !== recorded.wasm.sha256) {
      console.error(`rebuilt lkl.wasm differs: ${again}`);
      bad = true;
    } else console.error('rebuilt lkl.wasm is byte-identical');
  }
  if (bad) process.exit(1);
  console.error('lkl.wasm matches its sources');
} else {
  await prepareTree();
  const fresh = await compile();
  await link();
  await unistd();
  const wasm = await fs.readFile(out);
  // kbuild's steps from a fresh tree: what the next one counts against (kept from the last such build)
  const steps = fresh ?? (await fs.readJson(inputsFile).catch(() => ({}))).steps;
  await fs.writeJson(inputsFile, { inputs: await inputs(), wasm: { sha256: sha256(wasm), bytes: wasm.length }, ...(steps ? { steps } : {}) }, { spaces: 2 });
  console.error(`lkl: ${path.relative(root, out)} ${wasm.length} bytes`);
}
