// cpuid (the modelled Core i7 920, src/cpu/cpu-model.ts), rdtsc, int 0x80 stops, the undefined-flags table, fork of the CPU.
import test from 'ava';
import { AddressSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from '../../src/cpu/memory.js';
import { CPU } from '../../src/cpu/cpu.js';
import { undefinedFlags } from '../../src/cpu/decode.js';
import { CF, PF, AF, ZF, SF, OF } from '../../src/cpu/flags.js';

const CODE = 0x08048000;
function cpuWith(bytes: number[]): CPU {
  const mem = new AddressSpace();
  mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.map(0x10000000, 0x1000, PROT_READ | PROT_WRITE);
  mem.poke(CODE, Uint8Array.from(bytes));
  const cpu = new CPU(mem);
  cpu.regs[4] = 0x10001000;
  cpu.eip = CODE;
  return cpu;
}
const str = (...w: number[]) => Buffer.from(new Uint32Array(w.map((x) => x >>> 0)).buffer).toString('latin1');

test('cpuid describes the modelled Core i7 920: its features, subleaves in ECX, the answer past the maximum as Intel parts give it', (t) => {
  // xor eax,eax; cpuid; int 0x80 | mov eax,1; cpuid; int 0x80 | mov eax,7; xor ecx,ecx; cpuid; int 0x80
  // | mov eax,4; mov ecx,3; cpuid; int 0x80 | mov eax,0x2a; mov ecx,1; cpuid; int 0x80
  const cpu = cpuWith([0x31, 0xc0, 0x0f, 0xa2, 0xcd, 0x80, 0xb8, 1, 0, 0, 0, 0x0f, 0xa2, 0xcd, 0x80,
    0xb8, 7, 0, 0, 0, 0x31, 0xc9, 0x0f, 0xa2, 0xcd, 0x80, 0xb8, 4, 0, 0, 0, 0xb9, 3, 0, 0, 0, 0x0f, 0xa2, 0xcd, 0x80,
    0xb8, 0x2a, 0, 0, 0, 0xb9, 1, 0, 0, 0, 0x0f, 0xa2, 0xcd, 0x80]);
  t.is(cpu.run(100).kind, 'syscall');
  t.is(cpu.regs[0], 0xb);
  t.is(str(cpu.regs[3], cpu.regs[2], cpu.regs[1]), 'GenuineIntel');
  t.is(cpu.run(100).kind, 'syscall');
  const [eax, ecx, edx] = [cpu.regs[0], cpu.regs[1], cpu.regs[2]];
  t.is(eax, 0x106a5); // family 6, model 0x1a, stepping 5
  // FPU TSC MSR PAE CX8 CMOV CLFSH MMX FXSR SSE SSE2; not SEP (11), HTT (28)
  for (const bit of [0, 4, 5, 6, 8, 15, 19, 23, 24, 25, 26]) t.true((edx & (1 << bit)) !== 0, `edx bit ${bit}`);
  for (const bit of [11, 28]) t.is(edx & (1 << bit), 0, `edx bit ${bit}`);
  // SSE3 SSSE3 SSE4.1 SSE4.2 POPCNT; not MONITOR, CX16, MOVBE, AES, XSAVE, OSXSAVE, AVX, RDRAND, PCLMULQDQ
  t.is(ecx >>> 0, (1 << 0 | 1 << 9 | 1 << 19 | 1 << 20 | 1 << 23) >>> 0);
  t.is(cpu.run(100).kind, 'syscall');
  t.deepEqual([cpu.regs[0], cpu.regs[3], cpu.regs[1], cpu.regs[2]], [0, 0, 0, 0]); // leaf 7: no BMI, AVX2, ...
  t.is(cpu.run(100).kind, 'syscall');
  t.deepEqual([cpu.regs[0], cpu.regs[3], cpu.regs[1], cpu.regs[2]], [0x163, 0x03c0003f, 0x1fff, 2]); // leaf 4.3: L3 8M 16-way
  t.is(cpu.run(100).kind, 'syscall');
  t.deepEqual([cpu.regs[0], cpu.regs[3], cpu.regs[1], cpu.regs[2]], [0, 1, 0x201, 0]); // past 0xB: leaf 0xB (core level)
});

test('rdtsc is monotonic and determined by the instruction count', (t) => {
  const prog = [0x0f, 0x31, 0x89, 0xc3, 0x89, 0xd6, 0x90, 0x90, 0x0f, 0x31, 0xcd, 0x80];
  const a = cpuWith(prog), b = cpuWith(prog);
  a.run(100);
  b.run(100);
  t.deepEqual(Array.from(a.regs), Array.from(b.regs));
  const first = a.regs[6] * 2 ** 32 + (a.regs[3] >>> 0), second = a.regs[2] * 2 ** 32 + (a.regs[0] >>> 0);
  t.true(second > first);
});

test('int 0x80 stops with eip after the instruction and counts it', (t) => {
  const cpu = cpuWith([0x90, 0xcd, 0x80, 0x90]);
  t.deepEqual(cpu.run(100), { kind: 'syscall' });
  t.is(cpu.eip, CODE + 3);
  t.is(cpu.icount, 2);
  t.deepEqual(cpu.run(1), { kind: 'budget' });
  t.is(cpu.eip, CODE + 4);
});

test('undefined-flag masks come from the opcode table', (t) => {
  const u = (...b: number[]) => undefinedFlags(Uint8Array.from([...b, 0, 0, 0, 0, 0, 0, 0, 0]));
  t.is(u(0x01, 0xd8), 0);                          // add
  t.is(u(0x21, 0xd8), AF);                         // and
  t.is(u(0xd1, 0xe0), AF);                         // shl by 1: OF defined
  t.is(u(0xc1, 0xe0, 4), AF | OF);                 // shl by 4
  t.is(u(0xc1, 0xe0, 0), 0);                       // count 0 changes nothing
  t.is(u(0xd3, 0xc0), OF);                         // rol by cl
  t.is(u(0xf7, 0xe3), SF | ZF | AF | PF);          // mul
  t.is(u(0xf7, 0xf3), CF | OF | SF | ZF | AF | PF); // div
  t.is(u(0x0f, 0xbc, 0xc3), CF | OF | SF | AF | PF); // bsf
  t.is(u(0xf3, 0x0f, 0xbc, 0xc3), CF | OF | SF | AF | PF); // tzcnt executes as bsf
  t.is(u(0x0f, 0xa3, 0xd8), OF | SF | AF | PF);    // bt
  t.is(u(0x27), OF);                               // daa
  t.is(u(0xd4, 0x0a), OF | AF | CF);               // aam
  t.is(u(0x66, 0x0f, 0xa5, 0xd8), CF | OF | SF | ZF | AF | PF); // 16-bit shld by cl
});

test('a CPU copy for fork carries registers, flags, segments and TLS', (t) => {
  const cpu = cpuWith([0xf9, 0x40, 0xcd, 0x80]);
  cpu.setThreadArea({ entry_number: -1, base_addr: 0x1234, limit: 0xfffff, seg_32bit: 1, contents: 0, read_exec_only: 0, limit_in_pages: 1, seg_not_present: 0, useable: 1 });
  cpu.run(10);
  const child = cpu.clone(cpu.mem.clone());
  t.deepEqual(Array.from(child.regs), Array.from(cpu.regs));
  t.is(child.getEflags(), cpu.getEflags());
  t.is(child.getEflags() & CF, CF);
  t.is(child.eip, cpu.eip);
  t.deepEqual(child.getThreadArea(12), cpu.getThreadArea(12));
  child.regs[0] = 99;
  t.not(cpu.regs[0], 99);
});

test('a long rep string instruction yields between chunks and resumes exactly', (t) => {
  const cpu = cpuWith([0xf3, 0xaa, 0xcd, 0x80]); // rep stosb; int 0x80
  cpu.mem.map(0x20000000, 0x40000, PROT_READ | PROT_WRITE);
  cpu.regs[0] = 0x77;
  cpu.regs[1] = 200000;
  cpu.regs[7] = 0x20000000;
  t.deepEqual(cpu.run(1), { kind: 'budget' });
  t.is(cpu.eip, CODE); // still on the rep
  t.true(cpu.regs[1] > 0 && cpu.regs[1] < 200000);
  t.deepEqual(cpu.run(100), { kind: 'syscall' });
  t.is(cpu.regs[1], 0);
  t.is(cpu.regs[7], 0x20000000 + 200000);
  t.is(cpu.mem.read8(0x20000000 + 199999), 0x77);
  t.is(cpu.mem.read8(0x20000000 + 200000), 0);
});

test('with TF set each instruction ends in a single-step trap', (t) => {
  const cpu = cpuWith([0x40, 0x40, 0xcd, 0x80]);
  cpu.setEflags(cpu.getEflags() | 0x100);
  t.deepEqual(cpu.run(100), { kind: 'fault', signo: 5, code: 2, addr: CODE + 1, trapno: 1, errorCode: 0 });
  t.is(cpu.regs[0], 1);
  t.is(cpu.eip, CODE + 1);
  cpu.setEflags(cpu.getEflags() & ~0x100);
  t.deepEqual(cpu.run(100), { kind: 'syscall' });
  t.is(cpu.regs[0], 2);
});
