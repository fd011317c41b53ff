// A guest process: one RTOS task running the i386 CPU in time slices, bound
// to one kernel task (its pid, fd table, cwd, signals). `int 0x80` stops the
// CPU; the call goes through the i386 ABI layer (src/int80) to the kernel or
// to the RTOS memory handlers. A CPU fault becomes the signal Linux would
// send; its default action ends the process in the kernel, which reports the
// wait status to the parent (wait4).

import createDebug from 'debug';
import { CPU, EAX, EBX, ECX, EDX, ESI, EDI, EBP, ESP } from '../cpu/cpu.js';
import { AddressSpace, PAGE_SIZE, PROT_READ, PROT_WRITE } from '../cpu/memory.js';
import { loadElf, ElfError } from '../cpu/elf.js';
import { dispatch } from '../int80/abi.js';
import type { Proc } from '../int80/proc-context.js';
import type { HostTask, Kernel } from '../rtos/kernel/kernel.js';
import { NR } from '../rtos/kernel/unistd.js';
import type { Scheduler, Task } from '../rtos/scheduler.js';
import { GuestMemory } from './guest-memory.js';
import type { KernelTasks } from './kernel-tasks.js';

const debug = createDebug('tasks:process');

/** Guest instructions per time slice before other tasks get a turn. */
const SLICE = 200_000;
const SIGCHLD = 17;
const SIGKILL = 9;

export class GuestProcess implements Proc {
  cpu: CPU;
  mem: AddressSpace;
  brk: { start: number; cur: number };
  scratch: number;
  exiting?: number;
  host: HostTask;
  task: Task | undefined;
  private readonly args = new Int32Array(6);

  constructor(readonly name: string, readonly kernel: Kernel, mem: AddressSpace, cpu: CPU, brk: number) {
    this.mem = mem;
    this.cpu = cpu;
    this.brk = { start: brk, cur: brk };
    this.scratch = mem.findFree(PAGE_SIZE, 0xbf000000 - 0x1000000, 0xc0000000);
    mem.map(this.scratch, PAGE_SIZE, PROT_READ | PROT_WRITE);
    this.host = kernel.newHostTask(name, new GuestMemory(mem));
  }

  /** Load an ELF image into a new address space (throws ElfError with errno ENOEXEC and a message). */
  static load(name: string, kernel: Kernel, image: Uint8Array, argv: string[], envp: string[]): GuestProcess {
    const mem = new AddressSpace();
    const random = new Uint8Array(16);
    crypto.getRandomValues(random);
    const img = loadElf(mem, image, { argv, envp, random });
    if (img.interp) throw new ElfError(8, `dynamically linked (${img.interp}): not supported yet`);
    const cpu = new CPU(mem);
    cpu.regs[ESP] = img.sp;
    cpu.eip = img.entry;
    return new GuestProcess(name, kernel, mem, cpu, img.brk);
  }

  k(nr: number, ...args: number[]): Promise<number> {
    if (!this.task) return Promise.resolve(-3);
    return this.kernel.call(this.task, this.host, nr, args);
  }

  /**
   * Create the kernel task (a fork of `parent`'s, so it inherits the fd table
   * and cwd) and the RTOS task that runs the CPU. Resolves with the pid.
   */
  async start(sched: Scheduler, tasks: KernelTasks, parent: HostTask, caller: Task): Promise<number> {
    const pid = await caller.waitFor(this.kernel.clone(parent, this.host, NR.clone, SIGCHLD));
    if (pid < 0) return pid;
    this.task = sched.spawn(this.name, (task) => this.run(task));
    tasks.bind(this.task, this.host);
    return pid;
  }

  private async run(task: Task): Promise<number> {
    const cpu = this.cpu, a = this.args, r = cpu.regs;
    for (;;) {
      if (this.host.exitCode !== undefined) return this.host.exitCode;
      const stop = cpu.run(SLICE);
      if (stop.kind === 'budget') {
        await task.yield();
        continue;
      }
      if (stop.kind === 'syscall') {
        a[0] = r[EBX]!; a[1] = r[ECX]!; a[2] = r[EDX]!; a[3] = r[ESI]!; a[4] = r[EDI]!; a[5] = r[EBP]!;
        const ret = await dispatch(this, a, r[EAX]!);
        if (this.host.exitCode !== undefined) return this.host.exitCode;
        r[EAX] = ret;
        continue;
      }
      if (stop.kind === 'fault') {
        debug('%s: fault signal %d code %d addr 0x%s at eip 0x%s', this.name, stop.signo, stop.code, (stop.addr >>> 0).toString(16), (cpu.eip >>> 0).toString(16));
        // The kernel delivers it; with its default action the process ends there.
        await this.k(NR.kill, this.host.pid, stop.signo);
        if (this.host.exitCode === undefined) await this.k(NR.kill, this.host.pid, SIGKILL);
        return this.host.exitCode ?? 128 + stop.signo;
      }
      await this.k(NR.kill, this.host.pid, SIGKILL);
      return this.host.exitCode ?? 137;
    }
  }
}
