// Boot the real kernel (lkl.wasm) in-process on a fresh scheduler and run a
// test body in an RTOS task.
import { BufferConsole } from '../../src/rtos/console.js';
import { Scheduler, type Task } from '../../src/rtos/scheduler.js';
import { bootSystem, type KernelSystem } from '../../src/boot/system.js';
import type { KernelSys } from '../../src/tasks/kernel-sys.js';

export interface Booted {
  system: KernelSystem;
  sched: Scheduler;
  task: Task;
  sys: KernelSys;
  console: BufferConsole;
}

/**
 * opts.boot: how to boot (bootSystem with opts.vda when absent), for a test that gives the kernel
 * a host of its own.
 */
export async function withKernel<T>(body: (b: Booted) => Promise<T>, opts: {
  vda?: string;
  boot?: (o: { verbose: false; console: BufferConsole; scheduler: Scheduler }) => Promise<KernelSystem>;
} = {}): Promise<T> {
  const sched = new Scheduler({ onTaskError: (t, e) => { failure ??= e; } });
  const con = new BufferConsole();
  let result: T | undefined;
  let failure: unknown;
  const main = sched.spawn('test', async (task) => {
    const o = { verbose: false as const, console: con, scheduler: sched };
    const system = await (opts.boot ? opts.boot(o) : bootSystem({ ...o, vda: opts.vda }));
    try {
      result = await body({ system, sched, task, sys: system.sys(task) as KernelSys, console: con });
    } catch (e) {
      failure = e;
    } finally {
      await system.poweroff();
    }
    return 0;
  });
  const r = await sched.run({ until: main });
  if (failure) throw failure;
  if (r.reason !== 'until') throw new Error(`scheduler stopped: ${r.reason}`);
  return result as T;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
export const bytes = (s: string): Uint8Array => enc.encode(s);
export const text = (b: Uint8Array): string => dec.decode(b);

/** Read a whole file through the kernel. */
export async function readFile(sys: KernelSys, path: string): Promise<string | number> {
  const fd = await sys.openat(-100, path, 0);
  if (fd < 0) return fd;
  const parts: Uint8Array[] = [];
  for (;;) {
    const buf = new Uint8Array(4096);
    const n = await sys.read(fd, buf);
    if (n < 0) return n;
    if (n === 0) break;
    parts.push(buf.subarray(0, n));
  }
  await sys.close(fd);
  return parts.map(text).join('');
}
