#!/usr/bin/env zx
// Builds the i386 fixture programs rootfs/bin/* from rootfs/src with gcc -m32,
// byte-identically (fixed flags, no build id, relative source names, no debug
// info), and writes rootfs/bin/MANIFEST with the toolchain versions and the
// sha256 of each binary.
//
//   zx scripts/build-fixtures.mjs            build into rootfs/bin
//   zx scripts/build-fixtures.mjs --check    rebuild into a temp dir, fail if
//                                            any committed binary differs
//   zx scripts/build-fixtures.mjs --golden   run the programs natively and
//                                            record test/cpu/programs-golden/*.txt
//                                            (--only=id,id: those cases only)
import { $, fs, path, argv, os } from 'zx';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';

$.verbose = false;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const srcDir = path.join(root, 'rootfs/src');
const binDir = path.join(root, 'rootfs/bin');
const goldenDir = path.join(root, 'test/cpu/programs-golden');

const common = ['-m32', '-march=i686', '-mtune=generic', '-O2', '-fno-pic', '-no-pie',
  '-fno-stack-protector', '-fno-asynchronous-unwind-tables', '-fcf-protection=none',
  '-Wall', '-Wl,--build-id=none', '-Wl,--hash-style=gnu'];
// Freestanding programs: no libc, no startup files; gcc must not turn loops
// into memset/memcpy calls behind our back (we provide both anyway).
const nolibc = ['-static', '-nostdlib', '-ffreestanding', '-fno-tree-loop-distribute-patterns',
  '-Wno-unused-function'];

const programs = [
  { name: 'linux_echo', src: 'linux_echo.c', flags: nolibc },
  { name: 'auxv-dump', src: 'auxv-dump.c', flags: nolibc },
  // what cpuid answers and the auxv entries derived from it (test/tasks/cpu-model.test.ts; no native golden)
  { name: 'cpuid-dump', src: 'cpuid-dump.c', flags: nolibc },
  { name: 'cpubench', src: 'cpubench.c', flags: nolibc },
  { name: 'hello', src: 'hello.c', flags: ['-static'] },
  { name: 'proctest', src: 'proctest.c', flags: ['-static'] },
  { name: 'sysbench', src: 'sysbench.c', flags: ['-static'] },
  { name: 'threads', src: 'threads.c', flags: ['-static', '-pthread'] },
  { name: 'systest', src: 'systest.c', flags: ['-static'] },
  { name: 'legacy', src: 'legacy.c', flags: ['-static'] },
  // SSE state across signals, fork, threads and execve; its entry stub saves the initial state
  { name: 'sigxmm', src: 'sigxmm.c', flags: ['-static', '-pthread', '-msse2', '-Wl,-e,sigxmm_entry'] },
  // dynamically linked: /lib/ld-linux.so.2 and Debian's libc6:i386 in rootfs/lib
  { name: 'dynamic', src: 'dynamic.c', flags: ['-pthread', '-ldl'] },
  // SIMD end to end (issue 12); libs go after the source (static archives are searched in order)
  { name: 'simd-sse2', src: 'simd-sse2.c', flags: ['-static', '-O3', '-msse2', '-mfpmath=sse'], libs: ['-lm'] },
  { name: 'simd-ssse3', src: 'simd-ssse3.c', flags: ['-static', '-O3', '-mssse3'] },
  { name: 'simd-sse42', src: 'simd-sse42.c', flags: ['-static', '-O3', '-msse4.2', '-mpopcnt'], libs: ['-lm'] },
  // glibc's string routines, each variant picked at start-up from CPUID
  { name: 'strbench', src: 'strbench.c', flags: ['-static', '-fno-builtin'] },
  // dynamically linked against Debian's libgmp10:i386 in rootfs/lib (fetch-debian.mjs)
  { name: 'gmp-calc', src: 'gmp-calc.c', flags: [], libs: ['../lib/i386-linux-gnu/libgmp.so.10'] },
  // which futex waits a wake reaches across fork, CLONE_VM and shared mappings (test/tasks/futex.test.ts)
  { name: 'futexfork', src: 'futexfork.c', flags: ['-static', '-pthread'] },
  // execve start to end (fexecve, bytes of argv/envp, #! nesting, malformed ELF) and forced SIGSEGV (test/tasks/lifecycle.test.ts)
  { name: 'exectest', src: 'exectest.c', flags: ['-static'] },
  // threads and vfork children one after another and at once (test/tasks/lifecycle.test.ts)
  { name: 'manythreads', src: 'manythreads.c', flags: ['-static', '-pthread'] },
  // dnotify, fanotify, kcmp and /proc/PID/task/TID/children (test/tasks/kfeatures.test.ts)
  { name: 'kfeatures', src: 'kfeatures.c', flags: ['-static'] },
  // random system calls with random arguments in forked children (test/tasks/fuzz.test.ts; no native golden)
  { name: 'fuzz', src: 'fuzz.c', flags: ['-static'] },
  // asynchronous signals landing just before a system call or a fault (test/tasks/signals-async.test.ts)
  { name: 'sigrace', src: 'sigrace.c', flags: ['-static', '-pthread'] },
  // mallocs (or with -s maps shared) and writes 1 MiB blocks until that fails (npm run stress, test/tasks/memory-budget.test.ts; no native golden)
  { name: 'memhog', src: 'memhog.c', flags: ['-static'] },
  // UDP both ways, connect's errno, many connections in one process (test/net; no native golden)
  { name: 'netprobe', src: 'netprobe.c', flags: ['-static'] },
  // the calls strace decodes, with arguments that do not depend on the run (test/tasks/strace.test.ts compares with the real strace)
  { name: 'stracetest', src: 'stracetest.c', flags: ['-static'] },
  // MAP_SHARED file mappings: no descriptor of the process, written back at msync/munmap/exit (test/tasks/shmap.test.ts)
  { name: 'shmapfd', src: 'shmapfd.c', flags: ['-static'] },
];

// Native runs recorded for test/cpu/program.test.ts. Paths are relative to
// the repository root so AT_EXECFN and argv[0] do not depend on the checkout.
const cases = [
  { id: 'linux_echo-args', argv: ['rootfs/bin/linux_echo', 'hello', 'from', 'i386', ''], env: [] },
  { id: 'linux_echo-none', argv: ['rootfs/bin/linux_echo'], env: ['X=1'] },
  { id: 'auxv-dump', argv: ['rootfs/bin/auxv-dump', 'one', 'two words', 'tab\there'],
    env: ['HOME=/root', 'PATH=/bin:/usr/bin', 'EMPTY='] },
  { id: 'auxv-dump-noenv', argv: ['rootfs/bin/auxv-dump'], env: [] },
  { id: 'cpubench-int', argv: ['rootfs/bin/cpubench', 'int', '1'], env: [] },
  { id: 'cpubench-x87', argv: ['rootfs/bin/cpubench', 'x87', '1'], env: [] },
  { id: 'cpubench-fp', argv: ['rootfs/bin/cpubench', 'fp', '1'], env: [] },
  { id: 'cpubench-usage', argv: ['rootfs/bin/cpubench', 'bogus'], env: [] },
  { id: 'hello', argv: ['rootfs/bin/hello'], env: [] },
  { id: 'proctest', argv: ['rootfs/bin/proctest', 'rootfs/bin/linux_echo'], env: [] },
  { id: 'threads', argv: ['rootfs/bin/threads'], env: [] },
  { id: 'systest', argv: ['rootfs/bin/systest', '/tmp/systest.dir'], env: [] },
  { id: 'legacy', argv: ['rootfs/bin/legacy', '/tmp/legacy.dir'], env: [] },
  { id: 'sigxmm', argv: ['rootfs/bin/sigxmm'], env: [] },
  { id: 'dynamic', argv: ['rootfs/bin/dynamic', 'shared'], env: [] },
  { id: 'simd-sse2', argv: ['rootfs/bin/simd-sse2'], env: [] },
  { id: 'simd-sse2-kernel', argv: ['rootfs/bin/simd-sse2', 'kernel', '40'], env: [] },
  { id: 'simd-ssse3', argv: ['rootfs/bin/simd-ssse3'], env: [] },
  { id: 'simd-sse42', argv: ['rootfs/bin/simd-sse42'], env: [] },
  { id: 'strbench', argv: ['rootfs/bin/strbench', '3'], env: [] },
  // libgmp is not installed on the host: the rootfs copy (libc there is the host's version)
  { id: 'gmp-calc', argv: ['rootfs/bin/gmp-calc'], env: ['LD_LIBRARY_PATH=rootfs/lib/i386-linux-gnu'] },
  { id: 'futexfork', argv: ['rootfs/bin/futexfork', '/tmp/futexfork.map'], env: [] },
  { id: 'exectest', argv: ['rootfs/bin/exectest', '/tmp/exectest.dir'], env: [] },
  { id: 'manythreads', argv: ['rootfs/bin/manythreads', '1000', '300', '200'], env: [] },
  // 4,000 threads alive together in one process, on 64 KiB stacks (test/tasks/threads-at-once.test.ts)
  { id: 'manythreads-4000', argv: ['rootfs/bin/manythreads', '0', '0', '4000', '64'], env: [] },
  { id: 'kfeatures', argv: ['rootfs/bin/kfeatures', '/tmp/kfeatures.dir'], env: [] },
  { id: 'sigrace', argv: ['rootfs/bin/sigrace'], env: [] },
  { id: 'shmapfd', argv: ['rootfs/bin/shmapfd', '/tmp/shmapfd.dir'], env: [] },
];

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

async function toolVersions() {
  const gcc = (await $`gcc --version`).stdout.split('\n')[0];
  const ld = (await $`ld --version`).stdout.split('\n')[0];
  const fmt = '${Version}';
  const libc = (await $`dpkg-query -W -f=${fmt} libc6-dev-i386`.nothrow()).stdout.trim() || 'unknown';
  return { gcc, ld, libc };
}

async function build(outDir) {
  await fs.mkdirp(outDir);
  for (const p of programs) {
    const out = path.join(outDir, p.name);
    await $({ cwd: srcDir })`gcc ${common} ${p.flags} ${p.src} ${p.libs ?? []} -o ${out}`;
  }
}

async function manifest(dir) {
  const v = await toolVersions();
  const lines = [
    '# i386 fixture programs built by scripts/build-fixtures.mjs from rootfs/src',
    `# ${v.gcc}`,
    `# ${v.ld}`,
    `# libc6-dev-i386 ${v.libc}`,
    `# common flags: ${common.join(' ')}`,
    `# no-libc flags: ${nolibc.join(' ')}`,
  ];
  for (const p of programs) {
    lines.push(`${sha256(await fs.readFile(path.join(dir, p.name)))}  ${p.name}`);
  }
  return lines.join('\n') + '\n';
}

async function check() {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fixtures-'));
  try {
    await build(tmp);
    let bad = 0;
    for (const p of programs) {
      const want = await fs.readFile(path.join(binDir, p.name)).catch(() => null);
      const got = await fs.readFile(path.join(tmp, p.name));
      if (!want || !want.equals(got)) {
        console.error(`differs: rootfs/bin/${p.name} (rebuilt sha256 ${sha256(got)})`);
        bad++;
      }
    }
    const m = await fs.readFile(path.join(binDir, 'MANIFEST'), 'utf8').catch(() => '');
    const shaLines = (s) => s.split('\n').filter((l) => /^[0-9a-f]{64} /.test(l)).join('\n');
    if (shaLines(m) !== shaLines(await manifest(tmp))) {
      console.error('differs: rootfs/bin/MANIFEST checksums');
      bad++;
    }
    if (bad) process.exit(1);
    console.log(`all ${programs.length} fixture binaries are identical to a fresh build`);
  } finally {
    await fs.remove(tmp);
  }
}

// Native run with address-space randomisation off (setarch -R), so the
// kernel's stack alignment step subtracts nothing, as in our loader.
function runNative(c) {
  const r = spawnSync('setarch', ['i686', '-R', c.argv[0], ...c.argv.slice(1)], {
    cwd: root,
    env: Object.fromEntries(c.env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])),
    encoding: 'latin1',
  });
  if (r.error) throw r.error;
  if (r.signal) throw new Error(`${c.id}: killed by ${r.signal}`);
  return { status: r.status, stdout: r.stdout };
}

async function golden() {
  await fs.mkdirp(goldenDir);
  const only = argv.only ? String(argv.only).split(',') : null;
  for (const c of cases.filter((k) => !only || only.includes(k.id))) {
    const { status, stdout } = runNative(c);
    const text = `argv: ${JSON.stringify(c.argv)}\nenv: ${JSON.stringify(c.env)}\nexit: ${status}\n--- stdout\n${stdout}`;
    await fs.writeFile(path.join(goldenDir, `${c.id}.txt`), text, 'latin1');
    console.log(`${c.id}: exit ${status}, ${stdout.length} bytes`);
  }
}

if (argv.check) {
  await check();
} else if (argv.golden) {
  await golden();
} else {
  await build(binDir);
  await fs.writeFile(path.join(binDir, 'MANIFEST'), await manifest(binDir));
  console.log(await fs.readFile(path.join(binDir, 'MANIFEST'), 'utf8'));
}
