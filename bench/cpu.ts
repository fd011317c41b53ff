// CPU benchmark: rootfs/bin/cpubench (integer and x87 workloads, no libc) run natively,
// under qemu-i386 and in our interpreter, same argument, same run. Reports wall
// seconds of each and the interpreter's guest MIPS (instructions retired / second).
// The interpreter runs with a minimal write/exit system call shim, so the figure is
// the CPU alone; it runs in a child Node process of its own, so that process's peak
// RSS is the row's. Native and qemu times include process start-up (best of three runs).
// BENCH_CPU_SCALE sets cpubench's scale argument for every part (default: int 20, x87 2, fp 5;
// fp is double arithmetic as gcc -m32 compiles it, x87 mostly transcendental instructions).
// A last row runs bigcode.ts's generated program (a lot of code, each piece run a few times).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AddressSpace } from '../src/cpu/memory.js';
import { CPU, EAX, EBX, ECX, EDX, ESP } from '../src/cpu/cpu.js';
import { loadElf } from '../src/int80/elf.js';
import { hostTimed, inChild, type Timed } from './apps.js';
import { buildBigCode, FUNCTIONS, ROUNDS } from './bigcode.js';
import type { BenchRow } from './index.js';

const root = new URL('../../', import.meta.url);
const binPath = new URL('rootfs/bin/cpubench', root).pathname;

interface Result { seconds: number; stdout: string; icount?: number }

export function interpret(args: string[], bin = binPath): Result {
  const t0 = process.hrtime.bigint();
  const mem = new AddressSpace();
  const img = loadElf(mem, new Uint8Array(fs.readFileSync(bin)), {
    argv: [path.basename(bin), ...args], envp: [], random: new Uint8Array(16),
  });
  const cpu = new CPU(mem);
  cpu.regs[ESP] = img.sp;
  cpu.eip = img.entry;
  let out = '';
  for (;;) {
    const stop = cpu.run(1 << 22);
    if (stop.kind === 'budget') continue;
    if (stop.kind !== 'syscall') throw new Error(`cpubench stopped: ${JSON.stringify(stop)}`);
    const nr = cpu.regs[EAX];
    if (nr === 1 || nr === 252) break; // exit, exit_group
    if (nr === 4) {
      const b = mem.readBytes(cpu.regs[ECX] >>> 0, cpu.regs[EDX] >>> 0);
      if (cpu.regs[EBX] === 1) out += Buffer.from(b).toString('latin1');
      cpu.regs[EAX] = b.length;
    } else {
      cpu.regs[EAX] = -38; // ENOSYS
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, stdout: out, icount: cpu.icount };
}

/** Native i386 execution needs an x86 host with 32-bit support. */
function native(args: string[]): Timed | null {
  if (process.arch !== 'ia32' && process.arch !== 'x64') return null;
  return hostTimed(binPath, args);
}

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [part, defaultScale] of [['int', '20'], ['x87', '2'], ['fp', '5']]) {
    const scale = process.env.BENCH_CPU_SCALE ?? defaultScale;
    const args = [part, scale];
    // alone in a child process, for its peak RSS
    const ours = inChild({ kind: 'cpu', args });
    const nat = native(args);
    const qemu = hostTimed('qemu-i386', [binPath, ...args]);
    const notes: string[] = [];
    if (!nat) notes.push('native i386 execution not available on this host');
    if (!qemu) notes.push('qemu-i386 not installed');
    for (const [who, r] of [['native', nat], ['qemu', qemu]] as const) {
      if (r && r.out !== ours.out) notes.push(`checksums differ from ${who}: ${JSON.stringify(r.out)} vs ${JSON.stringify(ours.out)}`);
    }
    const name = `cpubench ${part} ${scale}`;
    const rss = { product: ours.rss ?? null, native: nat?.rss ?? null, qemu: qemu?.rss ?? null };
    rows.push({
      name, unit: 's', product: ours.s, native: nat?.s ?? null, qemu: qemu?.s ?? null, rss,
      note: notes.length ? notes.join('; ') : undefined,
    });
    // the same instruction count over each run's time: guest MIPS
    const mips = (r: Timed | null) => (r ? ours.icount! / r.s / 1e6 : null);
    rows.push({ name: `${name} (${(ours.icount! / 1e6).toFixed(1)}M insns)`, unit: 'MIPS', product: mips(ours), native: mips(nat), qemu: mips(qemu), rss });
  }
  rows.push(bigCodeRow());
  return rows;
}

/** The generated program of bigcode.ts: a lot of code, each function run ROUNDS times (interpreted). */
function bigCodeRow(): BenchRow {
  const name = `generated C: ${FUNCTIONS} functions run ${ROUNDS} times`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embox-bigcode-'));
  try {
    const built = buildBigCode(dir, root.pathname);
    if ('error' in built) return { name, unit: 's', product: null, native: null, qemu: null, note: `skipped: ${built.error}` };
    const ours = inChild({ kind: 'cpu', args: [], bin: built.bin });
    const nat = process.arch === 'ia32' || process.arch === 'x64' ? hostTimed(built.bin, []) : null;
    const qemu = hostTimed('qemu-i386', [built.bin]);
    const differs = [nat, qemu].some((r) => r && r.out !== ours.out);
    return {
      name, unit: 's', product: ours.s, native: nat?.s ?? null, qemu: qemu?.s ?? null,
      rss: { product: ours.rss ?? null, native: nat?.rss ?? null, qemu: qemu?.rss ?? null },
      note: `${(ours.icount! / 1e6).toFixed(1)}M instructions, ${(ours.icount! / ours.s / 1e6).toFixed(0)} MIPS: the first run in a process, ` +
        'its code decoded and interpreted (no block runs often enough to be translated)' + (differs ? `; output differs: ${JSON.stringify(ours.out)}` : ''),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
