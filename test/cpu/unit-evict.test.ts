// Decoded code kept within its bound (cpu.ts decodedLimit): blocks whose instructions were
// dropped are decoded again from the same bytes when they run again, as the interpreter and
// the translations run them, and never from bytes that changed meanwhile.
import test from 'ava';
import { CPU, decodedLimit } from '../../src/cpu/cpu.js';
import { AddressSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from '../../src/cpu/memory.js';
import { cpuProfile } from '../../src/cpu/profile.js';

const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const PAGES = 12, FUNCS = 16;

/**
 * A program over PAGES code pages of FUNCS small functions each (a loop of add, rol, xor, dec,
 * jnz run three times, then ret), called in turn ROUNDS times from a driver page. With
 * `rewrite`, the driver stores the round's number into the add's immediate of the first
 * function before each round (code written while it runs: the bytes change, and come back).
 */
function program(base: number, rounds: number, rewrite: boolean): { m: AddressSpace; entry: number; stack: number } {
  const m = new AddressSpace();
  const drv = base, code = base + 0x1000, stack = base + 0x20000;
  m.map(drv, 0x1000, PROT_READ | PROT_EXEC);
  m.map(code, PAGES * 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
  m.map(stack - 0x1000, 0x1000, PROT_READ | PROT_WRITE);
  const f = (p: number, j: number): number => code + p * 0x1000 + j * 64;
  for (let p = 0; p < PAGES; p++) {
    for (let j = 0; j < FUNCS; j++) {
      // mov ecx, 3; L: add eax, imm32; rol eax, 3; xor eax, ecx; dec ecx; jnz L; ret
      m.writeBytes(f(p, j), Uint8Array.of(0xb9, 3, 0, 0, 0, 0x05, ...le32(p * 977 + j * 131 + 1), 0xc1, 0xc0, 3, 0x31, 0xc8, 0x49, 0x75, 0xf3, 0xc3));
    }
  }
  const d: number[] = [0xbe, ...le32(rounds)]; // mov esi, rounds
  const outer = drv + d.length;
  // mov [f(0,0) + 6], esi (the add's immediate: changes every round, the same bytes every other)
  if (rewrite) d.push(0x89, 0x35, ...le32(f(0, 0) + 6), 0x83, 0x25, ...le32(f(0, 0) + 6), 1); // and dword [..], 1
  for (let p = 0; p < PAGES; p++) {
    for (let j = 0; j < FUNCS; j++) {
      const at = drv + d.length + 5;
      d.push(0xe8, ...le32((f(p, j) - at) >>> 0)); // call f
    }
  }
  const after = drv + d.length + 7; // dec esi; jnz outer (rel32)
  d.push(0x4e, 0x0f, 0x85, ...le32((outer - after) >>> 0));
  d.push(0xcd, 0x80); // int 0x80
  m.poke(drv, Uint8Array.from(d));
  return { m, entry: drv, stack };
}

interface Result { eax: number; icount: number; stop: string }
let nextBase = 0x1000000;
/** Run the program at a fresh address (code pages with the same bytes at the same place share their blocks) under a decoded-code bound. */
function run(jit: number, max: number, rounds: number, rewrite: boolean): Result {
  const { m, entry, stack } = program((nextBase += 0x100000), rounds, rewrite);
  const c = new CPU(m);
  c.jitThreshold = jit;
  c.jitBackend = 'wasm';
  c.eip = entry;
  c.regs[4] = stack;
  const saved = decodedLimit.max;
  decodedLimit.max = max;
  try {
    let stop = c.run(50_000_000);
    // short budgets too: blocks run again from the run loop, their links and the jump cache
    while (stop.kind === 'budget') stop = c.run(777);
    return { eax: c.regs[0]! >>> 0, icount: c.icount, stop: stop.kind };
  } finally {
    decodedLimit.max = saved;
  }
}

for (const rewrite of [false, true]) {
  test(`blocks whose decoded instructions were dropped run again as before${rewrite ? ', their code rewritten as they run' : ''}`, (t) => {
    const ref = run(0, 1 << 30, 6, rewrite);
    t.is(ref.stop, 'syscall');
    for (const jit of [0, 1, 2, 3, 50]) {
      const e0 = cpuProfile.evicted, r0 = cpuProfile.redecoded;
      t.deepEqual(run(jit, 200, 6, rewrite), ref, `EMBOX_JIT=${jit}`);
      t.true(cpuProfile.evicted > e0, `EMBOX_JIT=${jit}: instructions dropped`);
      // (at 1 every block is translated at its first run, and keeps its instructions)
      if (jit !== 1) t.true(cpuProfile.redecoded > r0, `EMBOX_JIT=${jit}: blocks decoded again`);
    }
  });
}
