// Whole programs under the interpreter: the no-libc fixtures (linux_echo, auxv-dump,
// cpubench) are loaded by the ELF loader and run with a test-local int 0x80 shim that
// serves write and exit only. Their stdout and exit status must equal what the same
// binaries printed on a real i386-capable Linux machine (golden files recorded by
// `zx scripts/build-fixtures.mjs --golden`).
import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import { AddressSpace } from '../../src/cpu/memory.js';
import { CPU, EAX, EBX, ECX, EDX, ESP } from '../../src/cpu/cpu.js';
import { loadElf } from '../../src/int80/elf.js';
import { HWCAP, MINSIGSTKSZ } from '../../src/cpu/cpu-model.js';

const root = new URL('../../../', import.meta.url);
const goldenDir = new URL('test/cpu/programs-golden/', root);

interface Golden {
  id: string;
  argv: string[];
  env: string[];
  exit: number;
  stdout: string;
}

function readGolden(file: string): Golden {
  const text = readFileSync(new URL(file, goldenDir), 'latin1');
  const sep = text.indexOf('--- stdout\n');
  const head = Object.fromEntries(text.slice(0, sep).trim().split('\n').map((l) => {
    const i = l.indexOf(': ');
    return [l.slice(0, i), JSON.parse(l.slice(i + 2))];
  }));
  return { id: file.replace(/\.txt$/, ''), argv: head.argv, env: head.env, exit: head.exit, stdout: text.slice(sep + 11) };
}

const SYS_exit = 1, SYS_write = 4, SYS_exit_group = 252, ENOSYS = 38, EBADF = 9;
const MAX_INSNS = 2e9;

interface Run { stdout: string; status: number; icount: number; unknown: number[] }

/** Load and run a program; the shim knows write(1|2) and exit, anything else is -ENOSYS. */
function run(argv: string[], env: string[]): Run {
  const file = new Uint8Array(readFileSync(new URL(argv[0], root)));
  const mem = new AddressSpace();
  const img = loadElf(mem, file, {
    argv, envp: env, execfn: argv[0], random: new Uint8Array(16).fill(0x5a),
    uid: 0, euid: 0, gid: 0, egid: 0, // the golden files were recorded as root
  });
  const cpu = new CPU(mem);
  cpu.regs.fill(0);
  cpu.regs[ESP] = img.sp;
  cpu.eip = img.entry;
  const out: number[] = [];
  const unknown: number[] = [];
  while (cpu.icount < MAX_INSNS) {
    const stop = cpu.run(1 << 20);
    if (stop.kind === 'budget') continue;
    if (stop.kind !== 'syscall') {
      throw new Error(`program stopped: ${JSON.stringify(stop)} at eip 0x${cpu.eip.toString(16)}`);
    }
    const nr = cpu.regs[EAX];
    if (nr === SYS_exit || nr === SYS_exit_group) {
      return { stdout: Buffer.from(out).toString('latin1'), status: cpu.regs[EBX] & 0xff, icount: cpu.icount, unknown };
    }
    if (nr === SYS_write) {
      const fd = cpu.regs[EBX];
      if (fd === 1 || fd === 2) {
        const bytes = mem.readBytes(cpu.regs[ECX] >>> 0, cpu.regs[EDX] >>> 0);
        if (fd === 1) out.push(...bytes);
        cpu.regs[EAX] = bytes.length;
      } else {
        cpu.regs[EAX] = -EBADF;
      }
      continue;
    }
    unknown.push(nr);
    cpu.regs[EAX] = -ENOSYS;
  }
  throw new Error(`no exit after ${MAX_INSNS} instructions`);
}

/**
 * What legitimately differs between the native run (x86-64 Linux 6.18 host) and
 * ours (Linux 6.1 i386 without a vDSO):
 *  - AT_SYSINFO / AT_SYSINFO_EHDR: no vDSO here;
 *  - AT_RSEQ_FEATURE_SIZE / AT_RSEQ_ALIGN: added to the auxv after 6.1;
 *  - AT_HWCAP, AT_HWCAP2, AT_MINSIGSTKSZ: describe the CPU and its FPU state size;
 *  - the zero bytes above the strings: sizeof(void *) of the kernel, 8 on x86-64;
 *    this shifts the 16-byte alignment of the strings' start, and so the distance
 *    of AT_PLATFORM and AT_RANDOM from the top (checked separately below).
 * Two 16-byte pairs of entries are missing, so the padding line still matches.
 */
function normaliseAuxvDump(s: string, native: boolean): string {
  return s.split('\n')
    .filter((l) => !/^auxv (27|28|32|33) /.test(l))
    .map((l) => l.replace(/^(auxv (16|26|51) \S+ val) 0x[0-9a-f]+$/, '$1 <cpu>'))
    .map((l) => l.replace(/^(auxv (15|25) \S+ stack) top-\d+/, '$1 top-<n>'))
    .map((l) => (native ? l.replace(/^tail 8 zero$/, 'tail 4 zero') : l))
    .join('\n');
}

const goldens = readdirSync(goldenDir).filter((f) => f.endsWith('.txt')).map(readGolden)
  // hello needs glibc's start-up system calls (brk, set_thread_area, ...): the
  // product's system call layer runs it, not this write/exit shim
  .filter((g) => /^(linux_echo|auxv-dump|cpubench)/.test(g.id));

test('the golden set covers every no-libc fixture', (t) => {
  const ids = goldens.map((g) => g.id);
  for (const want of ['linux_echo-args', 'linux_echo-none', 'auxv-dump', 'auxv-dump-noenv', 'cpubench-int', 'cpubench-x87', 'cpubench-fp']) {
    t.true(ids.includes(want), want);
  }
});

for (const g of goldens) {
  test(`${g.id}: same stdout and exit status as the native run`, (t) => {
    const r = run(g.argv, g.env);
    t.deepEqual(r.unknown, [], 'only write and exit are used');
    t.is(r.status, g.exit);
    if (g.id.startsWith('auxv-dump')) {
      t.is(normaliseAuxvDump(r.stdout, false), normaliseAuxvDump(g.stdout, true));
      // the masked lines are present on our side, with our values
      t.regex(r.stdout, /^tail 4 zero$/m);
      t.regex(r.stdout, new RegExp(`^auxv 51 AT_MINSIGSTKSZ val 0x${MINSIGSTKSZ.toString(16)}$`, 'm'));
      t.regex(r.stdout, new RegExp(`^auxv 16 AT_HWCAP val 0x${HWCAP.toString(16)}$`, 'm'));
      t.notRegex(r.stdout, /^auxv (32|33) /m);
      // i386: 4 zero bytes above the strings, so argv[0] (top-A) lies at an
      // address = -(A + 4) mod 16; platform goes 5 bytes below that rounded down
      // to 16, the random bytes 16 further down
      const a = Number(/^argv\[0\] top-(\d+) /m.exec(r.stdout)![1]);
      const r16 = (((-(a + 4)) % 16) + 16) % 16;
      t.regex(r.stdout, new RegExp(`^auxv 15 AT_PLATFORM stack top-${a + r16 + 5} "i686"$`, 'm'));
      t.regex(r.stdout, new RegExp(`^auxv 25 AT_RANDOM stack top-${a + r16 + 21}$`, 'm'));
    } else {
      t.is(r.stdout, g.stdout);
    }
  });
}

test('auxv-dump sees argv/envp packed below execfn and a 16-byte aligned sp', (t) => {
  const r = run(['rootfs/bin/auxv-dump', 'x'], ['K=v']);
  t.regex(r.stdout, /^sp%16 0$/m);
  t.regex(r.stdout, /^argv\[0\] top-48 packed "rootfs\/bin\/auxv-dump"$/m);
  t.regex(r.stdout, /^envp\[0\] top-25 packed "K=v"$/m);
  t.regex(r.stdout, /^execfn packed$/m);
  t.regex(r.stdout, /^info-below-aligned-strings 21$/m);
});
