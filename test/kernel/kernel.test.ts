// The kernel as a library: boot, files, blocking pipes between RTOS tasks,
// /proc, and one kernel task per RTOS task.
import test from 'ava';
import { O, AT_FDCWD, AT } from '../../src/uapi/linux.js';
import { KernelSys } from '../../src/tasks/kernel-sys.js';
import { withKernel, bytes, text, readFile } from './helpers.js';

const ENOENT = 2;
const EBADF = 9;
const EFAULT = 14;
const ENOSYS = 38;
const S_IFIFO = 0o010000;

test.serial('boots Linux 6.1 and reads /proc/version', async (t) => {
  const v = await withKernel(async ({ sys }) => readFile(sys, '/proc/version'));
  t.regex(String(v), /^Linux version 6\.1\.\d+-wasm \(embox@embox\) .* #1 Thu Jan  1 00:00:00 UTC 1970\n$/);
});

test.serial('uname reports the kernel, the build and the host name', async (t) => {
  const u = await withKernel(async ({ sys }) => sys.uname());
  t.like(u, { sysname: 'Linux', nodename: 'embox', machine: 'wasm', version: '#1 Thu Jan  1 00:00:00 UTC 1970' });
});

test.serial('files on tmpfs: create, write, stat, read back, unlink', async (t) => {
  await withKernel(async ({ sys }) => {
    const fd = await sys.openat(AT_FDCWD, '/tmp/f', O.WRONLY | O.CREAT | O.EXCL, 0o640);
    t.true(fd >= 0);
    t.is(await sys.write(fd, bytes('hello, tmpfs\n')), 13);
    t.is(await sys.close(fd), 0);
    t.is(await sys.close(fd), -EBADF);
    t.is(await sys.openat(AT_FDCWD, '/tmp/f', O.WRONLY | O.CREAT | O.EXCL, 0o640), -17); // EEXIST
    const st = await sys.fstatat(AT_FDCWD, '/tmp/f', 0);
    t.like(st, { size: 13, mode: 0o100640, nlink: 1 });
    t.is(await readFile(sys, '/tmp/f'), 'hello, tmpfs\n');
    t.is(await sys.unlinkat(AT_FDCWD, '/tmp/f', 0), 0);
    t.is(await sys.openat(AT_FDCWD, '/tmp/f', O.RDONLY), -ENOENT);
    t.is(await sys.mkdirat(AT_FDCWD, '/tmp/d', 0o755), 0);
    t.is(await sys.unlinkat(AT_FDCWD, '/tmp/d', AT.REMOVEDIR), 0);
  });
});

test.serial('many open/write/close cycles keep the kernel consistent', async (t) => {
  await withKernel(async ({ sys }) => {
    for (let i = 0; i < 300; i++) {
      const fd = await sys.openat(AT_FDCWD, `/tmp/n${i % 7}`, O.WRONLY | O.CREAT | O.TRUNC, 0o644);
      if (fd !== 3) return t.fail(`iteration ${i}: fd ${fd}`);
      if ((await sys.write(fd, bytes(`${i}`))) !== String(i).length) return t.fail(`iteration ${i}: write`);
      if ((await sys.close(fd)) !== 0) return t.fail(`iteration ${i}: close`);
    }
    t.is(await readFile(sys, '/tmp/n5'), '299');
  });
});

test.serial('bad pointers are EFAULT, unknown system calls ENOSYS', async (t) => {
  await withKernel(async ({ sys }) => {
    t.is(await sys.syscall(56, AT_FDCWD, 0, 0, 0), -EFAULT); // openat(NULL)
    t.is(await sys.syscall(64, 1, 0x1234, 10), -EFAULT); // write from a bad address
    t.is(await sys.syscall(999), -ENOSYS);
    t.is(text(new TextEncoder().encode('still fine')), 'still fine');
    t.is(await readFile(sys, '/proc/sys/kernel/ostype'), 'Linux\n');
  });
});

test.serial('a FIFO between two RTOS tasks: the reader blocks until the writer writes', async (t) => {
  await withKernel(async ({ system, sched, sys }) => {
    t.is(await sys.mknodat(AT_FDCWD, '/tmp/fifo', S_IFIFO | 0o666), 0);
    const events: string[] = [];
    let got = '';
    const reader = sched.spawn('reader', async (task) => {
      const s = system.sys(task) as KernelSys;
      events.push('reader: open');
      const fd = await s.openat(AT_FDCWD, '/tmp/fifo', O.RDONLY);
      events.push('reader: opened');
      const buf = new Uint8Array(64);
      const n = await s.read(fd, buf);
      got = text(buf.subarray(0, n));
      events.push(`reader: read ${n}`);
      await s.close(fd);
      return 0;
    });
    const writer = sched.spawn('writer', async (task) => {
      const s = system.sys(task) as KernelSys;
      await task.sleep(30); // the reader is blocked in the kernel meanwhile
      events.push('writer: open');
      const fd = await s.openat(AT_FDCWD, '/tmp/fifo', O.WRONLY);
      await task.sleep(30);
      events.push('writer: write');
      await s.write(fd, bytes('through the fifo'));
      await s.close(fd);
      return 0;
    });
    const self = sched.self();
    await reader.join(self);
    await writer.join(self);
    t.is(got, 'through the fifo');
    t.deepEqual(events, ['reader: open', 'writer: open', 'reader: opened', 'writer: write', 'reader: read 16']);
  });
});

test.serial('a pipe in one task: data in order, EOF after the writer closes', async (t) => {
  await withKernel(async ({ sys }) => {
    const p = await sys.pipe2(O.CLOEXEC);
    if (typeof p === 'number') return t.fail(`pipe2: ${p}`);
    const [r, w] = p;
    t.is(await sys.write(w, bytes('abc')), 3);
    t.is(await sys.write(w, bytes('def')), 3);
    t.is(await sys.close(w), 0);
    const buf = new Uint8Array(16);
    t.is(await sys.read(r, buf), 6);
    t.is(text(buf.subarray(0, 6)), 'abcdef');
    t.is(await sys.read(r, buf), 0);
  });
});

test.serial('/proc shows the calling task and the system', async (t) => {
  await withKernel(async ({ sys }) => {
    const pid = await sys.getpid();
    const status = String(await readFile(sys, '/proc/self/status'));
    t.regex(status, new RegExp(`^Pid:\\t${pid}$`, 'm'));
    t.regex(status, /^PPid:\t1$/m);
    t.regex(String(await readFile(sys, '/proc/mounts')), /^tmpfs \/tmp tmpfs rw,nosuid,nodev/m);
    t.regex(String(await readFile(sys, '/proc/meminfo')), /^MemTotal: +\d+ kB$/m);
    t.is(await readFile(sys, '/proc/1/comm'), 'init\n');
    t.is(await sys.readlinkat(AT_FDCWD, '/proc/self'), String(pid));
  });
});

test.serial('every RTOS task has its own kernel task: stable tid, own fd table and cwd', async (t) => {
  await withKernel(async ({ system, sched, sys }) => {
    const tid1 = await sys.gettid();
    t.is(await sys.gettid(), tid1);
    t.is(await sys.getpid(), tid1);
    const fd = await sys.openat(AT_FDCWD, '/proc/version', O.RDONLY);
    t.is(await sys.chdir('/tmp'), 0);
    let other: { tid: number; fstat: number; cwd: string | number } | undefined;
    const o = sched.spawn('other', async (task) => {
      const s = system.sys(task) as KernelSys;
      const tid = await s.gettid();
      // fd is not open in this process, and its cwd is still /.
      other = { tid, fstat: await s.read(fd, new Uint8Array(1)), cwd: await s.getcwd() };
      return 0;
    });
    await o.join(sched.self());
    t.truthy(other);
    t.not(other!.tid, tid1);
    t.is(other!.fstat, -EBADF);
    t.is(other!.cwd, '/');
    t.is(await sys.getcwd(), '/tmp');
    t.is(system.kernelPid?.(sched.self()), tid1);
  });
});

test.serial('kernel tasks go away with their RTOS tasks: no leak after 1,000 tasks', async (t) => {
  await withKernel(async ({ system, sched, sys }) => {
    const countProcs = async () => {
      const fd = await sys.openat(AT_FDCWD, '/proc', O.RDONLY | O.DIRECTORY);
      let n = 0;
      for (;;) {
        const ents = await sys.getdents64(fd);
        if (typeof ents === 'number') throw new Error(`getdents64: ${ents}`);
        if (ents.length === 0) break;
        n += ents.filter((e) => /^\d+$/.test(e.name)).length;
      }
      await sys.close(fd);
      return n;
    };
    const before = await countProcs();
    const hostsBefore = system.kernel.hostTasks.length;
    const self = sched.self();
    const tids = new Set<number>();
    for (let i = 0; i < 1000; i += 10) {
      const batch = Array.from({ length: 10 }, (_, j) => sched.spawn(`t${i + j}`, async (task) => {
        tids.add(await system.sys(task).gettid() as number);
        return 0;
      }));
      for (const b of batch) await b.join(self);
    }
    await self.sleep(20); // let the last exits run
    t.is(tids.size, 1000); // pids advance cyclically, as in Linux
    t.is(system.tasks.created - system.tasks.ended, 1); // only this task's kernel task remains
    t.is(system.kernel.hostTasks.length, hostsBefore);
    t.is(await countProcs(), before);
  });
});

function sockaddr(family: 'inet' | 'inet6', port: number): Uint8Array {
  const b = new Uint8Array(family === 'inet' ? 16 : 28);
  const v = new DataView(b.buffer);
  v.setUint16(0, family === 'inet' ? 2 : 10, true);
  v.setUint16(2, port, false);
  if (family === 'inet') b.set([127, 0, 0, 1], 4);
  else b[8 + 15] = 1; // ::1
  return b;
}

for (const family of ['inet', 'inet6'] as const) {
  test.serial(`TCP over ${family === 'inet' ? 'IPv4' : 'IPv6'} loopback between two RTOS tasks`, async (t) => {
    await withKernel(async ({ system, sched }) => {
      const AF = family === 'inet' ? 2 : 10;
      const SOCK_STREAM = 1;
      const port = family === 'inet' ? 7001 : 7002;
      let received = '';
      let listening = false;
      const server = sched.spawn('server', async (task) => {
        const s = system.sys(task) as KernelSys;
        const fd = await s.syscall(198, AF, SOCK_STREAM, 0);
        t.true(fd >= 0, `socket: ${fd}`);
        t.is(await s.call(200, fd, sockaddr(family, port), family === 'inet' ? 16 : 28), 0);
        t.is(await s.syscall(201, fd, 4), 0);
        listening = true;
        const c = await s.syscall(202, fd, 0, 0);
        t.true(c >= 0, `accept: ${c}`);
        const buf = new Uint8Array(64);
        const n = await s.read(c, buf);
        received = text(buf.subarray(0, n));
        await s.write(c, bytes('pong'));
        await s.close(c);
        await s.close(fd);
        return 0;
      });
      const client = sched.spawn('client', async (task) => {
        const s = system.sys(task) as KernelSys;
        while (!listening) await task.yield();
        const fd = await s.syscall(198, AF, SOCK_STREAM, 0);
        t.is(await s.call(203, fd, sockaddr(family, port), family === 'inet' ? 16 : 28), 0);
        await s.write(fd, bytes('ping'));
        const buf = new Uint8Array(8);
        const n = await s.read(fd, buf);
        t.is(text(buf.subarray(0, n)), 'pong');
        await s.close(fd);
        return 0;
      });
      const self = sched.self();
      await server.join(self);
      await client.join(self);
      t.is(received, 'ping');
    });
  });
}

test.serial('console input reaches a task reading /dev/console, through the tty', async (t) => {
  await withKernel(async ({ system, sched, sys }) => {
    const fd = await sys.openat(AT_FDCWD, '/dev/console', O.RDWR | O.NOCTTY);
    t.true(fd >= 0, `open: ${fd}`);
    setTimeout(() => system.kernel.consoleWrite(bytes('typed line\n')), 20);
    const buf = new Uint8Array(64);
    const n = await sys.read(fd, buf);
    t.is(text(buf.subarray(0, n)), 'typed line\n');
    t.is(await sys.write(fd, bytes('')), 0);
    void sched;
  });
});

test.serial('a kernel stack overflow stops the kernel with a panic on the console; the call that ran into it fails with EIO', async (t) => {
  await withKernel(async ({ system, sys, console }) => {
    system.kernel.stackLimit = 256; // a task may use 256 bytes of its 16 KiB from now on
    const r = await sys.openat(-100, '/proc/self/status', 0);
    t.is(r, -5);
    t.false(system.kernel.running);
    t.regex(system.kernel.failure?.message ?? '', /^kernel stack overflow: stack pointer 0x[0-9a-f]+ \(task_struct 0x[0-9a-f]+, stack 0x[0-9a-f]+-0x[0-9a-f]+\)$/);
    t.regex(console.logged + console.out, /Kernel panic - kernel stack overflow/);
  });
});

