// Process calls that need the RTOS: exit (the CPU stops), uname (an i686),
// TLS descriptors (installed in the CPU), rt_sigaction (the i386 struct has
// sa_restorer, the generic one does not).
import { readUserDesc, writeUserDesc } from '../cpu/cpu.js';
import { NR } from '../rtos/kernel/unistd.js';
import type { Impl } from './abi.js';
import type { Proc } from './proc-context.js';

const EFAULT = 14;
const UTS_LEN = 65;

export const PROC_CALLS: ReadonlyArray<[string, Impl]> = [
  ['exit', { level: 'partial', note: 'ends the process (threads: later)', run: (p, a) => {
    p.exiting = (a[0]! & 0xff) << 8;
    return p.k(NR.exit_group, a[0]!);
  } }],
  ['exit_group', { level: 'full', note: 'kernel exit_group', run: (p, a) => {
    p.exiting = (a[0]! & 0xff) << 8;
    return p.k(NR.exit_group, a[0]!);
  } }],
  ['waitpid', { level: 'full', note: 'wait4 without rusage', run: (p, a) => p.k(NR.wait4, a[0]!, a[1]!, a[2]!, 0) }],
  ['uname', { level: 'full', note: 'new_utsname from the kernel, machine i686', run: async (p, a) => {
    const r = await p.k(NR.uname, a[0]!);
    if (r < 0) return r;
    const m = new Uint8Array(UTS_LEN);
    m.set(new TextEncoder().encode('i686'));
    try {
      p.mem.writeBytes((a[0]! >>> 0) + 4 * UTS_LEN, m);
    } catch {
      return -EFAULT;
    }
    return 0;
  } }],
  ['set_thread_area', { level: 'full', note: 'GDT TLS entries 12-14 in the CPU', run: (p, a) => {
    try {
      const d = readUserDesc(p.mem, a[0]! >>> 0);
      const r = p.cpu.setThreadArea(d);
      if (r < 0) return r;
      writeUserDesc(p.mem, a[0]! >>> 0, d);
      return 0;
    } catch {
      return -EFAULT;
    }
  } }],
  ['get_thread_area', { level: 'full', note: 'from the CPU', run: (p, a) => {
    try {
      const entry = p.mem.read32(a[0]! >>> 0);
      const d = p.cpu.getThreadArea(entry);
      if (typeof d === 'number') return d;
      writeUserDesc(p.mem, a[0]! >>> 0, d);
      return 0;
    } catch {
      return -EFAULT;
    }
  } }],
];
