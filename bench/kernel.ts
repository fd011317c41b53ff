// Kernel benchmarks, each beside the host's equivalent measured in the same run:
//  - the start of `embox -c 'load_app linux_echo hi'` as a whole process (median of 11) vs
//    `node -e 0` and qemu-i386 running the same program;
//  - boot to a ready system in a process (kernel up, boot filesystems mounted) vs starting a Node process;
//  - a system call round trip (getpid from a TypeScript task) vs a host system call from JS
//    (process.getuid(), one real getuid(2));
//  - 64 MiB sequential write + fsync, then read back after dropping the page cache, on
//    /dev/vda (file backend, ext4) vs the same through Node's fs on the host's filesystem;
//  - lkl.wasm's size and the resident memory of a booted, idle system (vs an idle Node and an
//    idle program under qemu-i386);
//  - the start of a whole `embox --root IMG -c 'load_app /bin/true'` on the tests' Debian root
//    (test/images/debian-root) vs `node -e 0` and qemu-i386 running the image's own /bin/true.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BufferConsole } from '../src/rtos/console.js';
import { Scheduler, type Task } from '../src/rtos/scheduler.js';
import { O, AT_FDCWD } from '../src/uapi/linux.js';
import { bootSystem, KERNEL_PATH, kernelModule, type KernelSystem } from '../src/boot/system.js';
import type { KernelSys } from '../src/tasks/kernel-sys.js';
import { gunzipSync } from 'node:zlib';
import { hostPeakRss } from './apps.js';
import type { BenchRow } from './index.js';

const MiB = 1 << 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const now = () => performance.now();
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const EMBOX = path.join(ROOT, 'bin', 'embox.cjs');
/** Whole-process starts per figure of the start row. */
const STARTS = 11;

/** Wall seconds of `runs` runs of a command (each spawned and waited for), their median; null when one fails. */
function medianRun(cmd: string, args: string[], runs: number, env?: NodeJS.ProcessEnv): number | null {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    if (r.error || r.status !== 0) return null;
    times.push((now() - t0) / 1000);
  }
  return median(times);
}

/** The resident set (VmRSS, MiB) of a command a second after it started, then it is killed; null when it ends first. */
async function rssAfter(cmd: string, args: string[]): Promise<number | null> {
  const p = spawn(cmd, args, { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  } finally {
    p.kill('SIGKILL');
    await new Promise((r) => (p.exitCode === null && p.signalCode === null ? p.on('exit', r) : r(null)));
  }
}

/** Boot a system on a fresh scheduler, run body in a task, power off; the boot time comes with the result. */
export async function inSystem<T>(
  vda: string | undefined,
  body: (s: KernelSystem, sys: KernelSys, task: Task, sched: Scheduler) => Promise<T>,
  con = new BufferConsole(),
): Promise<{ bootMs: number; value: T }> {
  const sched = new Scheduler();
  let out: { bootMs: number; value: T } | undefined;
  let err: unknown;
  const t = sched.spawn('bench', async (task) => {
    const t0 = now();
    const system = await bootSystem({ verbose: false, console: con, scheduler: sched, vda });
    const bootMs = now() - t0;
    try {
      out = { bootMs, value: await body(system, system.sys(task) as KernelSys, task, sched) };
    } catch (e) {
      err = e;
    }
    await system.poweroff();
    return 0;
  });
  await sched.run({ until: t });
  if (err) throw err;
  return out!;
}

/**
 * The embox CLI as a user starts it, idle: its resident set (VmRSS) a second after it has run a
 * first program, and the peak it reached on the way (VmHWM), in MiB. Measured in a process of its
 * own, since a process that has booted systems before keeps their garbage. (With its input a pipe
 * the shell reads it as a script, without a prompt: the program's output says it is up.)
 */
async function idleCliRss(): Promise<{ rss: number; peak: number }> {
  const p = spawn(process.execPath, [EMBOX], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      p.stdout.on('data', (d: Buffer) => { out += d.toString('latin1'); if (out.includes('up and idle')) resolve(); });
      p.on('exit', () => reject(new Error(`embox exited before it was up: ${out}`)));
      p.stdin.write('load_app linux_echo up and idle\n');
    });
    await new Promise((r) => setTimeout(r, 1000));
    const status = fs.readFileSync(`/proc/${p.pid}/status`, 'utf8');
    const kib = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
  } finally {
    p.stdin.end();
    await new Promise((r) => (p.exitCode === null ? p.on('exit', r) : r(null)));
  }
}

function hostNodeStartMs(): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = now();
    spawnSync(process.execPath, ['-e', '0']);
    times.push(now() - t0);
  }
  return median(times);
}

/**
 * `embox --root IMG -c 'load_app /bin/true'` as a user starts it (median of STARTS whole processes,
 * the image attached read-write, the snapshot of a root from the disk in place), beside `node -e 0` and qemu-i386 running the same coreutils
 * true from the image's files (debugfs rdump; -L so its loader and libraries are the image's).
 */
function rootStart(): BenchRow {
  const name = "start: embox --root IMG -c 'load_app /bin/true'";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-root-'));
  try {
    const img = path.join(dir, 'root.img');
    fs.writeFileSync(img, gunzipSync(fs.readFileSync(path.join(ROOT, 'test/images/debian-root.img.gz'))));
    const args = [EMBOX, '--root', img, '-c', 'load_app /bin/true'];
    medianRun(process.execPath, args, 1); // the snapshot of the user's cache is made (or found)
    const product = medianRun(process.execPath, args, STARTS);
    const notes = [`whole process, median of ${STARTS}, the snapshot in place; IMG: test/images/debian-root (Debian bookworm i386, 19 packages); native: node -e 0`];
    const files = path.join(dir, 'files');
    fs.mkdirSync(files);
    const dump = spawnSync('debugfs', ['-R', `rdump / ${files}`, img], { encoding: 'utf8' });
    let qemu: number | null = null;
    if (dump.error || dump.status !== 0) notes.push('qemu: debugfs (e2fsprogs) is needed to take the image\'s files out');
    else {
      qemu = medianRun('qemu-i386', ['-L', files, path.join(files, 'usr/bin/true')], STARTS);
      if (qemu === null) notes.push('qemu-i386 failed or is not installed');
      else notes.push("qemu: qemu-i386 -L on the image's files running its /usr/bin/true");
    }
    if (product === null) notes.push('embox failed');
    return { name, unit: 's', product, native: medianRun(process.execPath, ['-e', '0'], STARTS), qemu,
      rss: { product: hostPeakRss(process.execPath, args), native: hostPeakRss(process.execPath, ['-e', '0']),
        qemu: qemu === null ? null : hostPeakRss('qemu-i386', ['-L', files, path.join(files, 'usr/bin/true')]) },
      note: notes.join('; ') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function vdaThroughput(img: string, bytes: number): Promise<{ write: number; read: number }> {
  const { value } = await inSystem(img, async (_s, sys) => {
    const chunk = new Uint8Array(MiB).fill(0xa5);
    const t0 = now();
    const fd = await sys.openat(AT_FDCWD, '/mnt/vda/big', O.WRONLY | O.CREAT | O.TRUNC, 0o644);
    for (let done = 0; done < bytes; done += MiB) {
      const n = await sys.write(fd, chunk);
      if (n !== MiB) throw new Error(`write: ${n}`);
    }
    if ((await sys.fsync(fd)) !== 0) throw new Error('fsync failed');
    await sys.close(fd);
    const write = (now() - t0) / 1000;
    await sys.sync();
    const dc = await sys.openat(AT_FDCWD, '/proc/sys/vm/drop_caches', O.WRONLY);
    await sys.write(dc, new TextEncoder().encode('3\n'));
    await sys.close(dc);
    const t1 = now();
    const rfd = await sys.openat(AT_FDCWD, '/mnt/vda/big', O.RDONLY);
    let total = 0;
    for (;;) {
      const n = await sys.read(rfd, chunk);
      if (n <= 0) break;
      total += n;
    }
    await sys.close(rfd);
    if (total !== bytes) throw new Error(`read back ${total} bytes`);
    return { write, read: (now() - t1) / 1000 };
  });
  return value;
}

function hostThroughput(dir: string, bytes: number): { write: number; read: number } {
  const f = path.join(dir, 'host-big');
  const chunk = new Uint8Array(MiB).fill(0xa5);
  const t0 = now();
  const fd = fs.openSync(f, 'w');
  for (let done = 0; done < bytes; done += MiB) fs.writeSync(fd, chunk);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  const write = (now() - t0) / 1000;
  const t1 = now();
  const rfd = fs.openSync(f, 'r');
  let total = 0;
  for (;;) {
    const n = fs.readSync(rfd, chunk);
    if (n <= 0) break;
    total += n;
  }
  fs.closeSync(rfd);
  const read = (now() - t1) / 1000;
  fs.rmSync(f);
  if (total !== bytes) throw new Error('host read back short');
  return { write, read };
}

/**
 * `embox -c 'load_app linux_echo hi'` as a user starts it, median of STARTS whole-process
 * runs with the snapshot in place (bin/embox.cjs, the bundle when it is built), beside
 * `node -e 0` and qemu-i386 running the same program, each median of as many runs; the first
 * start (which makes the snapshot, in a cache directory of its own) and a start with
 * EMBOX_SNAPSHOT=0 in the note.
 */
async function startRow(): Promise<BenchRow> {
  const args = [EMBOX, '-c', 'load_app linux_echo hi'];
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cache-'));
  let first: number | null;
  try {
    first = medianRun(process.execPath, args, 1, { ...process.env, XDG_CACHE_HOME: fresh });
  } finally {
    fs.rmSync(fresh, { recursive: true, force: true });
  }
  medianRun(process.execPath, args, 1); // the snapshot of the user's cache is made (or found)
  const product = medianRun(process.execPath, args, STARTS);
  const scratch = medianRun(process.execPath, args, 3, { ...process.env, EMBOX_SNAPSHOT: '0' });
  const native = medianRun(process.execPath, ['-e', '0'], STARTS);
  const echo = path.join(ROOT, 'rootfs', 'bin', 'linux_echo');
  const qemu = medianRun('qemu-i386', [echo, 'hi'], STARTS);
  const s = (v: number | null) => (v === null ? '-' : `${v.toFixed(3)} s`);
  // Node reads and parses the certificates NODE_EXTRA_CA_CERTS names at every start, before any
  // script runs (144 of them here: 36 ms of node -e 0's 62): both figures again without it
  let certs = '';
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    certs = `; this environment sets NODE_EXTRA_CA_CERTS, which Node loads at every start: without it ${s(medianRun(process.execPath, args, STARTS, env))} ` +
      `(node -e 0: ${s(medianRun(process.execPath, ['-e', '0'], STARTS, env))})`;
  }
  return {
    name: "start: embox -c 'load_app linux_echo hi'", unit: 's', product, native, qemu,
    rss: { product: hostPeakRss(process.execPath, args), native: hostPeakRss(process.execPath, ['-e', '0']), qemu: hostPeakRss('qemu-i386', [echo, 'hi']) },
    note: `whole processes, median of ${STARTS} each, the snapshot in place; native: node -e 0; target <= 0.15 s. ` +
      `First start (makes the snapshot): ${s(first)}; with EMBOX_SNAPSHOT=0 (median of 3): ${s(scratch)}${certs}`,
  };
}

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  rows.push(await startRow());
  rows.push(rootStart());
  await kernelModule(); // compile once, outside the boot figure

  // Boot (median of 5) and getpid round trips.
  const boots: number[] = [];
  let perCall = 0;
  for (let i = 0; i < 5; i++) {
    const { bootMs, value } = await inSystem(undefined, async (_s, sys) => {
      if (i !== 4) return 0;
      // The task's kernel task exists after the first call; the next ones warm the JIT up.
      for (let k = 0; k < 20000; k++) await sys.getpid();
      const n = 100000;
      const t0 = now();
      for (let k = 0; k < n; k++) await sys.getpid();
      return ((now() - t0) * 1000) / n;
    });
    boots.push(bootMs);
    if (i === 4) perCall = value;
  }
  const idle = await idleCliRss();
  rows.push({ name: 'boot to a ready system (in a process)', unit: 's', product: median(boots) / 1000, native: hostNodeStartMs() / 1000, qemu: null,
    rss: { product: idle.peak, native: hostPeakRss(process.execPath, ['-e', '0']), qemu: null },
    note: 'bootSystem() in a process that has compiled lkl.wasm, the snapshot restored; native: starting a Node process (node -e 0); RSS product: the embox CLI\'s peak up to idle (VmHWM)' });

  const hn = 200000;
  const h0 = now();
  for (let k = 0; k < hn; k++) process.getuid?.();
  const hostUs = ((now() - h0) * 1000) / hn;
  rows.push({ name: 'getpid round trip from a TS task', unit: 's', product: perCall / 1e6, native: hostUs / 1e6, qemu: null,
    note: `${perCall.toFixed(2)} µs per call; native: process.getuid(), one host system call from JS; target < 2 µs` });

  // /dev/vda throughput.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-vda-'));
  try {
    const img = path.join(dir, 'disk.img');
    const mk = spawnSync('mkfs.ext4', ['-q', '-F', img, '160M'], { encoding: 'utf8' });
    if (mk.status !== 0) {
      rows.push({ name: '/dev/vda 64 MiB', unit: '-', product: null, native: null, qemu: null, note: 'mkfs.ext4 not available' });
    } else {
      const bytes = 64 * MiB;
      const v = await vdaThroughput(img, bytes);
      const h = hostThroughput(dir, bytes);
      const mbs = (s: number) => bytes / MiB / s;
      rows.push({ name: '/dev/vda 64 MiB write+fsync', unit: 'MiB/s', product: mbs(v.write), native: mbs(h.write), qemu: null,
        note: 'native: Node fs on the host filesystem; target >= 50% of it' });
      rows.push({ name: '/dev/vda 64 MiB read (cold cache)', unit: 'MiB/s', product: mbs(v.read), native: mbs(h.read), qemu: null,
        note: 'kernel page cache dropped first; the host read is warm' });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  rows.push({ name: 'lkl.wasm size', unit: 'MiB', product: fs.statSync(KERNEL_PATH).size / MiB, native: null, qemu: null });
  const busybox = path.join(ROOT, 'rootfs', 'bin', 'busybox');
  rows.push({ name: 'RSS of a booted idle system', unit: 'MiB', product: idle.rss,
    native: await rssAfter(process.execPath, ['-e', 'setTimeout(() => {}, 5000)']), qemu: await rssAfter('qemu-i386', [busybox, 'sleep', '5']),
    note: `the embox CLI idle, a second after its first program (VmRSS; peak ${idle.peak.toFixed(0)} MiB); native: an idle node, qemu: busybox sleep under qemu-i386, each a second after its start; target <= 128` });
  return rows;
}
