// CPUID and the decoder agree: an instruction of a feature the modelled CPU reports executes, one
// of a feature it does not report is #UD (SIGILL), as on a part without it. (The host CPU has
// most of the absent features, so this is not a differential test.)
import test from 'ava';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/cpu/memory.js';
import { CPU } from '../../src/cpu/cpu.js';
import { cpuidValues } from '../../src/cpu/cpu-model.js';

const CODE = 0x08048000, DATA = 0x10000000;
/** Runs one instruction (ebx pointing at a data page) and says how it ended. */
function run(code: number[]): string {
  const mem = new AddressSpace();
  mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
  mem.poke(CODE, Uint8Array.from([...code, 0xcd, 0x80]));
  const cpu = new CPU(mem);
  cpu.eip = CODE;
  cpu.regs[3] = DATA;
  cpu.regs[4] = DATA + 0x800;
  const r = cpu.run(10);
  return r.kind === 'fault' ? `signal ${r.signo} trap ${r.trapno}` : r.kind;
}
const UD = 'signal 4 trap 6';

type Where = [leaf: number, sub: number, reg: 0 | 1 | 2 | 3, bit: number];
const L1ECX = (bit: number): Where => [1, 0, 2, bit];
const L1EDX = (bit: number): Where => [1, 0, 3, bit];
const L7EBX = (bit: number): Where => [7, 0, 1, bit];
const X1ECX = (bit: number): Where => [0x80000001, 0, 2, bit];
const X1EDX = (bit: number): Where => [0x80000001, 0, 3, bit];
const reported = ([leaf, sub, reg, bit]: Where) => (cpuidValues(leaf, sub)[reg] & (1 << bit)) !== 0;

const ABSENT: [string, Where, number[]][] = [
  ['sysenter (SEP)', L1EDX(11), [0x0f, 0x34]],
  ['sysexit (SEP)', L1EDX(11), [0x0f, 0x35]],
  ['rdtscp', X1EDX(27), [0x0f, 0x01, 0xf9]],
  ['monitor', L1ECX(3), [0x0f, 0x01, 0xc8]],
  ['mwait', L1ECX(3), [0x0f, 0x01, 0xc9]],
  ['xgetbv (OSXSAVE)', L1ECX(27), [0x0f, 0x01, 0xd0]],
  ['xsave', L1ECX(26), [0x0f, 0xae, 0x23]],
  ['vzeroupper (AVX; c5 with mod 3 is lds)', L1ECX(28), [0xc5, 0xf8, 0x77]],
  ['movbe', L1ECX(22), [0x0f, 0x38, 0xf0, 0x03]],
  ['aesenc', L1ECX(25), [0x66, 0x0f, 0x38, 0xdc, 0xc1]],
  ['pclmulqdq', L1ECX(1), [0x66, 0x0f, 0x3a, 0x44, 0xc1, 0]],
  ['rdrand', L1ECX(30), [0x0f, 0xc7, 0xf0]],
  ['extrq (SSE4a)', X1ECX(6), [0x66, 0x0f, 0x78, 0xc0, 1, 2]],
  ['pfadd (3DNow!)', X1EDX(31), [0x0f, 0x0f, 0xc1, 0x9e]],
  ['femms (3DNow!)', X1EDX(31), [0x0f, 0x0e]],
  ['adcx (ADX)', L7EBX(19), [0x66, 0x0f, 0x38, 0xf6, 0xc1]],
  ['sha1rnds4 (SHA)', L7EBX(29), [0x0f, 0x3a, 0xcc, 0xc1, 0]],
  ['rdfsbase (FSGSBASE)', L7EBX(0), [0xf3, 0x0f, 0xae, 0xc0]],
];
const PRESENT: [string, Where, number[]][] = [
  ['cmpxchg8b', L1EDX(8), [0x0f, 0xc7, 0x0b]],
  ['cmovz', L1EDX(15), [0x0f, 0x44, 0xc1]],
  ['clflush', L1EDX(19), [0x0f, 0xae, 0x3b]],
  ['paddb mm (MMX)', L1EDX(23), [0x0f, 0xfc, 0xc1]],
  ['fxsave', L1EDX(24), [0x0f, 0xae, 0x03]],
  ['addps (SSE)', L1EDX(25), [0x0f, 0x58, 0xc1]],
  ['paddq xmm (SSE2)', L1EDX(26), [0x66, 0x0f, 0xd4, 0xc1]],
  ['haddps (SSE3)', L1ECX(0), [0xf2, 0x0f, 0x7c, 0xc1]],
  ['pshufb (SSSE3)', L1ECX(9), [0x66, 0x0f, 0x38, 0x00, 0xc1]],
  ['ptest (SSE4.1)', L1ECX(19), [0x66, 0x0f, 0x38, 0x17, 0xc1]],
  ['crc32 (SSE4.2)', L1ECX(20), [0xf2, 0x0f, 0x38, 0xf1, 0xc1]],
  ['pcmpistri (SSE4.2)', L1ECX(20), [0x66, 0x0f, 0x3a, 0x63, 0xc1, 0]],
  ['popcnt', L1ECX(23), [0xf3, 0x0f, 0xb8, 0xc1]],
];

for (const [name, where, code] of ABSENT) {
  test(`not reported, #UD: ${name}`, (t) => {
    t.false(reported(where));
    t.is(run(code), UD);
  });
}
for (const [name, where, code] of PRESENT) {
  test(`reported, executes: ${name}`, (t) => {
    t.true(reported(where));
    t.is(run(code), 'syscall');
  });
}
test('without BMI1/LZCNT, F3 0F BC/BD execute as bsf/bsr', (t) => {
  t.false(reported(L7EBX(3)));
  t.false(reported(X1ECX(5)));
  t.is(run([0xf3, 0x0f, 0xbc, 0xc1]), 'syscall');
  t.is(run([0xf3, 0x0f, 0xbd, 0xc1]), 'syscall');
});
test('rdmsr/wrmsr are #GP at CPL 3 (MSR reported), not #UD', (t) => {
  t.true(reported(L1EDX(5)));
  t.is(run([0x0f, 0x32]), 'signal 11 trap 13');
  t.is(run([0x0f, 0x30]), 'signal 11 trap 13');
});
