// load_app: i386 programs run on the RTOS with their system calls served by
// the kernel; stdout and exit status equal the native runs recorded in
// test/cpu/programs-golden (from the real CPU).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { image } from '../images.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EMBOX = path.join(ROOT, 'bin', 'embox.cjs');
const GOLDEN = path.join(ROOT, 'test/cpu/programs-golden');

function embox(args: string[]) {
  const r = spawnSync(process.execPath, [EMBOX, ...args], { encoding: 'latin1', input: '', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Golden { argv: string[]; exit: number; stdout: string }
function golden(id: string): Golden {
  const text = fs.readFileSync(path.join(GOLDEN, `${id}.txt`), 'latin1');
  const argv = JSON.parse(/^argv: (.*)$/m.exec(text)![1]!) as string[];
  const exit = Number(/^exit: (\d+)$/m.exec(text)![1]);
  const out = text.indexOf('--- stdout\n');
  const end = text.indexOf('\n--- ', out + 1);
  const stdout = text.slice(out + 11, end < 0 ? undefined : end);
  return { argv, exit, stdout };
}

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

test('the mission: load_app linux_echo "Hello, World!"', (t) => {
  const r = embox(['-c', 'load_app linux_echo "Hello, World!"']);
  t.is(r.stdout, 'Hello, World!\n');
  t.is(r.stderr, '');
  t.is(r.status, 0);
});

for (const id of ['linux_echo-args', 'hello', 'cpubench-int', 'cpubench-x87', 'cpubench-fp', 'cpubench-usage', 'proctest', 'threads', 'systest', 'legacy', 'dynamic']) {
  test(`${id}: stdout and exit status as on the real CPU`, (t) => {
    const g = golden(id);
    const prog = path.basename(g.argv[0]!);
    // Paths into rootfs/ natively are paths from / in the system.
    const args = g.argv.slice(1).map((a) => a.replace(/^rootfs\//, '/'));
    const r = embox(['-c', ['load_app', prog, ...args].map((w, i) => (i === 0 ? w : quote(w))).join(' ')]);
    t.is(r.stdout, g.stdout.replace(/\n?$/, g.stdout.endsWith('\n') ? '\n' : ''));
    t.is(r.status, g.exit);
  });
}

test('programs on an ext4 image run from /mnt/vda; bad programs get clear errors and the shell goes on', (t) => {
  // bin/echo32 (linux_echo), bin/segv (its first instruction a load from 0), bin/text, an x86-64
  // ELF header (bin/x86_64) and a truncated ELF (bin/short): see scripts/build-images.mjs
  const img = image(t, 'ext4-apps');
  const ok = embox(['--vda', img, '-c', 'load_app /mnt/vda/bin/echo32 from the disk']);
  t.is(ok.stdout, 'from the disk\n');
  t.is(ok.status, 0);
  t.is(embox(['--vda', img, '-c', 'load_app /mnt/vda/bin/segv']).status, 128 + 11);
  for (const bad of ['text', 'x86_64', 'short']) {
    const r = embox(['--vda', img, '-c', `load_app /mnt/vda/bin/${bad}`]);
    t.is(r.stderr, `load_app: /mnt/vda/bin/${bad}: Exec format error\n`, bad);
    t.is(r.status, 126, bad);
  }
  // a dynamically linked program whose interpreter is missing: ENOENT, as execve(2) natively
  const noLd = embox(['-c', "load_app sh -c 'rm /lib/ld-linux.so.2; /bin/dynamic; echo status $?'"]);
  t.is(noLd.stdout, 'status 127\n');
  t.is(noLd.stderr, 'sh: /bin/dynamic: not found\n');
  const noLdApp = embox(['-c', "load_app rm /lib/ld-linux.so.2; load_app dynamic"]);
  t.is(noLdApp.stderr, 'load_app: dynamic: interpreter /lib/ld-linux.so.2: No such file or directory\n');
  t.is(noLdApp.status, 126);
  const missing = embox(['-c', 'load_app nosuchprogram']);
  t.is(missing.stderr, 'load_app: nosuchprogram: command not found\n');
  t.is(missing.status, 127);
  const after = embox(['--vda', img, '-c', 'load_app /mnt/vda/bin/segv; load_app /mnt/vda/bin/text; load_app linux_echo still here']);
  t.is(after.stdout, 'still here\n');
  t.is(after.status, 0);
});

// Busybox shell scripts (rootfs/scripts), against Debian's busybox run natively
// (test/tasks/busybox-golden, recorded by scripts/record-busybox-golden.mjs).
for (const f of fs.readdirSync(path.join(ROOT, 'rootfs/scripts')).filter((n) => n.endsWith('.sh'))) {
  test(`busybox sh ${f}: output and exit status as natively`, (t) => {
    const g = fs.readFileSync(path.join(ROOT, 'test/tasks/busybox-golden', f.replace(/\.sh$/, '.txt')), 'latin1');
    const exit = Number(/^exit: (\d+)$/m.exec(g)![1]);
    const want = g.slice(g.indexOf('--- output\n') + 11);
    const r = embox(['-c', `load_app sh -c 'exec 2>&1; . /scripts/${f}'`]);
    t.is(r.stdout, want);
    t.is(r.status, exit);
  });
}

test('the kernel sees the shell and the program as processes: busybox ps', (t) => {
  const r = embox(['-c', "load_app sh -c 'ps -o pid,ppid,comm'; ps"]);
  t.is(r.status, 0);
  const shellPid = /^ +\d+ +(\d+) +running +shell$/m.exec(r.stdout)?.[1];
  t.truthy(shellPid, r.stdout);
  t.regex(r.stdout, /^ +1 +0 init$/m);
  t.regex(r.stdout, new RegExp(`^ +${shellPid} +1 shell$`, 'm'));
  t.regex(r.stdout, new RegExp(`^ +\\d+ +${shellPid} ps$`, 'm'));
});

test('the random pool is seeded at boot: /dev/urandom and /dev/random answer at once, differently each time', (t) => {
  const r = embox(['-c', "load_app sh -c 'head -c 32 /dev/urandom | md5sum; head -c 32 /dev/urandom | md5sum; head -c 16 /dev/random | wc -c'"]);
  t.is(r.status, 0, r.stderr);
  const [a, b, n] = r.stdout.trim().split('\n');
  t.regex(a!, /^[0-9a-f]{32}  -$/);
  t.not(a, b);
  t.is(n!.trim(), '16');
  // another boot has another seed
  t.not(embox(['-c', "load_app sh -c 'head -c 32 /dev/urandom | md5sum'"]).stdout.trim(), a);
});

test('/dev/fd, /dev/stdin, /dev/stdout and /dev/stderr lead to the process\'s own descriptors', (t) => {
  const r = embox(['-c', "load_app sh -c 'echo e > /dev/stderr; echo o > /dev/stdout; echo i | cat /dev/stdin; echo f | cat /dev/fd/0; readlink /dev/fd'"]);
  t.is(r.status, 0);
  t.is(r.stdout, 'o\ni\nf\n/proc/self/fd\n');
  t.is(r.stderr, 'e\n');
});

test('/proc/PID/status, statm, stat and auxv show the guest\'s memory (the kernel has no mm of it)', (t) => {
  // one process reads all four of its own files: cat with a list of them
  const r = embox(['-c', 'load_app cat /proc/self/status /proc/self/statm /proc/self/stat']);
  t.is(r.status, 0, r.stderr);
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB$`, 'm').exec(r.stdout)?.[1]);
  const statm = /^(\d+) (\d+) (\d+) (\d+) 0 (\d+) 0$/m.exec(r.stdout)!.slice(1).map(Number);
  const stat = /^\d+ \(cat\) (.*)$/m.exec(r.stdout)![1]!.split(' ').map(Number); // stat[0] is field 3
  t.true(kb('VmSize') > 0 && kb('VmRSS') > 0 && kb('VmRSS') <= kb('VmSize'));
  t.is(kb('VmSize'), statm[0]! * 4);
  t.is(kb('VmRSS'), statm[1]! * 4);
  t.is(kb('VmStk'), 8192); // the 8 MiB stack is mapped at exec
  t.is(kb('RssAnon') + kb('RssFile') + kb('RssShmem'), kb('VmRSS'));
  t.is(stat[23 - 3], statm[0]! * 4096); // vsize
  t.deepEqual([stat[26 - 3], stat[27 - 3]], [0x08049000, 136105352]); // startcode, endcode: busybox's text, as natively
  t.true(stat[28 - 3]! > stat[26 - 3]!); // startstack
  const aux = embox(['-c', 'load_app od -An -tu4 -w8 /proc/self/auxv']);
  const pairs = aux.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  t.deepEqual(pairs.at(-1), [0, 0]);
  t.deepEqual(pairs.find(([k]) => k === 6), [6, 4096]); // AT_PAGESZ
  t.deepEqual(pairs.find(([k]) => k === 15)?.length, 2); // AT_PLATFORM
});

test('the kernel\'s timer wheel runs: dirty pages on /dev/vda are written back by the flusher, which its timers wake', (t) => {
  // delayed work and schedule_timeout() hang on the tick's timer wheel (it never ran: a throttled
  // writer slept for ever and written data stayed in memory only). The pages are counted as they
  // are dirtied and as they are written (/proc/vmstat), not looked at in between: Linux 6.1's
  // flusher writes a disk's pages back at its first wakeup, before they expire, while the disk has
  // no writeback completed in its history (its share of the background threshold is nought:
  // wb_over_bg_thresh), so a look a second after the write found them dirty or clean depending on
  // the machine's load; either way they are written within expiry (3 s) + a wakeup period (1 s)
  const img = image(t, 'ext4-32m');
  const vmstat = 'grep -E \"^nr_(dirtied|written) \" /proc/vmstat';
  const r = embox(['--vda', img, '-c', "load_app sh -c 'echo 300 > /proc/sys/vm/dirty_expire_centisecs; " +
    `echo 100 > /proc/sys/vm/dirty_writeback_centisecs; ${vmstat}; head -c 1000000 /dev/zero > /mnt/vda/a; ` +
    `sleep 6; ${vmstat}; grep ^Dirty: /proc/meminfo; grep TIMER: /proc/softirqs'`]);
  t.is(r.status, 0, r.stderr);
  const count = (name: string): number[] => [...r.stdout.matchAll(new RegExp(`^${name} (\\d+)$`, 'gm'))].map((m) => Number(m[1]));
  const [d0, d1] = count('nr_dirtied'), [w0, w1] = count('nr_written');
  // 1,000,000 bytes: 245 pages of the page cache, dirtied by the write and written back since
  t.true(d1! - d0! >= 245, r.stdout);
  t.true(w1! - w0! >= 245, r.stdout);
  t.true(Number(/^Dirty:\s+(\d+) kB$/m.exec(r.stdout)?.[1]) < 100, r.stdout);
  t.true(Number(/TIMER:\s+(\d+)/.exec(r.stdout)?.[1]) > 0);
});

test('standard input reaches programs; bytes pass through exactly when embox is not on a terminal', (t) => {
  const run = (input: string, cmd: string) => spawnSync(process.execPath, [EMBOX, '-c', cmd], { input, encoding: 'latin1', timeout: 60_000 });
  const r = run('one\ntwo\nthree\n', 'load_app sh -c "cat | wc -l"');
  t.is(r.stdout, '3\n');
  t.is(r.status, 0);
  const raw = 'tab\there\r\ncr\rlf\nno newline at the end';
  const c = run(raw, 'load_app cat');
  t.is(c.stdout, raw);
  const e = run('', 'load_app sh -c "cat; echo eof"');
  t.is(e.stdout, 'eof\n');
});

test('a guest in an endless loop: other tasks keep running; Ctrl-C (SIGINT) ends it with 128+2', async (t) => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [EMBOX, '-c', 'load_app sh -c "echo looping; while :; do :; done"; echo after'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  // the loop runs (however long the boot took on a loaded machine), and goes on for a while
  await new Promise<void>((r) => child.stdout.on('data', (d) => { out += d; if (out.includes('looping\n')) r(); }));
  await new Promise((r) => setTimeout(r, 500));
  child.kill('SIGINT');
  const status = await exited;
  t.is(out, 'looping\nafter\n');
  t.is(status, 0); // the line's status is echo's; load_app's own was 130
});

test('load_app --strace prints each system call as strace does', (t) => {
  const r = embox(['-c', "load_app --strace sh -c 'cat /nope; exit 3'"]);
  t.is(r.status, 3);
  const lines = r.stderr.split('\n');
  // these lines as strace -f prints them for the same busybox natively (the fork gets its [pid N])
  t.true(lines.some((l) => /^\[pid +\d+\] openat\(AT_FDCWD, "\/nope", O_RDONLY\|O_LARGEFILE\) = -1 ENOENT \(No such file or directory\)$/.test(l)), r.stderr);
  t.true(lines.some((l) => /^\[pid +\d+\] write\(2, "cat: can't open '\/nope': No such"\.\.\., 51\) = 51$/.test(l)));
  t.true(lines.some((l) => /^\[pid +\d+\] exit_group\(1\) += \?$/.test(l)));
  t.true(lines.includes('exit_group(3)                           = ?'));
  // busybox runs its applet again through /proc/self/exe
  t.true(lines.some((l) => /^\[pid +\d+\] execve\("\/proc\/self\/exe", \["cat", "\/nope"\], 0x[0-9a-f]+ \/\* \d+ vars \*\/\) = 0$/.test(l)), r.stderr);
  t.true(lines.includes("cat: can't open '/nope': No such file or directory"));
});

test('a program\'s stderr is embox\'s stderr, its stdout embox\'s stdout', (t) => {
  const r = embox(['-c', 'load_app cat /nope; load_app linux_echo out']);
  t.is(r.stdout, 'out\n');
  t.is(r.stderr, "cat: can't open '/nope': No such file or directory\n");
  t.is(r.status, 0);
  // busybox cat run natively prints the same line and exits 1
  t.is(embox(['-c', 'load_app cat /nope']).status, 1);
});
