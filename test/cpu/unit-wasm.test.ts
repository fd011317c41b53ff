// The parts of the WebAssembly backend (src/cpu/wasm*.ts, src/cpu/frames.ts)
// that the differential tests reach only by chance: the generic condition
// code over a CPU's lazy flags, page frames and their reuse, and the TLB
// following the page tables.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { CPU } from '../../src/cpu/cpu.js';
import { AddressSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from '../../src/cpu/memory.js';
import { dropTranslations, flagsOut, slotCond, translated } from '../../src/cpu/wasm-run.js';
import { allocFrame, frameOffset, framesInUse, freeFrame } from '../../src/cpu/frames.js';
import { F_NONE, F_ADD, F_ADC, F_SUB, F_SBB, F_LOGIC, F_INC, F_DEC } from '../../src/cpu/flags.js';
import { rng } from './unit-harness.js';
import { cpuProfile } from '../../src/cpu/profile.js';
import { assemble } from '../../src/cpu/wasm.js';
import { IMPORTS } from '../../src/cpu/wasm-layout.js';
import { readUleb, wasmSections } from '../../src/cpu/wasm-encode.js';
import binaryen from 'binaryen';

function wasmText(bytes: Uint8Array): string {
  const m = binaryen.readBinary(bytes);
  try { return m.emitText(); } finally { m.dispose(); }
}

/**
 * A CPU over a new address space with prog at code (read/write/exec) and a
 * data page: every block translated to WebAssembly at its first run, or
 * (jit false) none.
 */
function machine(code: number, data: number, prog: Uint8Array, jit = true): CPU {
  const m = new AddressSpace();
  m.map(code, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
  m.map(data, 0x1000, PROT_READ | PROT_WRITE);
  m.writeBytes(code, prog);
  const c = new CPU(m);
  c.jitThreshold = jit ? 1 : 0;
  c.jitBackend = 'wasm';
  c.eip = code;
  return c;
}

test('the condition code of translated code equals the interpreter\'s for every lazy flag state', (t) => {
  const r = rng(7);
  const cpu = new CPU(new AddressSpace());
  const ops = [F_NONE, F_ADD, F_ADC, F_SUB, F_SBB, F_LOGIC, F_INC, F_DEC];
  const vals = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, -0x80000000, -1];
  const bad: string[] = [];
  for (let n = 0; n < 20000; n++) {
    const size = [1, 2, 4][r() % 3]!;
    const mask = size === 4 ? -1 : size === 2 ? 0xffff : 0xff;
    const v = (): number => (r() % 2 ? vals[r() % vals.length]! : r()) & mask;
    cpu.setEflags(r() & 0xfff);
    cpu.fop = ops[r() % ops.length]!;
    // a state some instruction leaves: the result follows from the operands
    const a = v(), cf = r() & 1, op = cpu.fop;
    const b = op === F_INC || op === F_DEC ? 1 : v();
    const res = op === F_ADD || op === F_INC ? a + b : op === F_ADC ? a + b + cf : op === F_SUB || op === F_DEC ? a - b
      : op === F_SBB ? a - b - cf : [a & b, a | b, a ^ b][r() % 3]!;
    cpu.fa = a; cpu.fb = b; cpu.fres = res & mask;
    cpu.fsign = size === 4 ? -0x80000000 : size === 2 ? 0x8000 : 0x80;
    cpu.fcf = op === F_INC || op === F_DEC || op === F_ADC || op === F_SBB ? cf : r() & 1;
    flagsOut(cpu);
    const want: number[] = [...Array(16).keys()].map((cc) => (cpu.cond(cc) ? 1 : 0));
    want.push(cpu.getAF() ? 0x10 : 0, cpu.getCF());
    const got = [...Array(16).keys()].map((cc) => slotCond(cpu.slot, cc));
    got.push(slotCond(cpu.slot, -1), slotCond(cpu.slot, -2));
    if (want.join() !== got.join()) bad.push(`op ${cpu.fop} a ${cpu.fa} b ${cpu.fb} r ${cpu.fres} size ${size} cf ${cpu.fcf}: ${got} vs ${want}`);
  }
  t.deepEqual(bad.slice(0, 5), []);
});

test('page frames: zeroed when handed out again, an address space\'s pages are frames', (t) => {
  const inUse = framesInUse();
  const f = allocFrame();
  t.true(frameOffset(f) > 0);
  t.is(framesInUse(), inUse + 4096);
  f.fill(0xaa);
  const off = frameOffset(f);
  freeFrame(f);
  t.is(framesInUse(), inUse);
  const g = allocFrame();
  t.is(frameOffset(g), off); // the freed frame comes back first ...
  t.true(g.every((b) => b === 0)); // ... cleared
  t.is(frameOffset(new Uint8Array(4096)), -1);
  const m = new AddressSpace();
  m.map(0x1000, 0x2000, PROT_READ | PROT_WRITE);
  m.write32(0x1ffe, 0x11223344); // across the two pages
  t.is(m.read32(0x1ffe), 0x11223344);
  const c = m.clone();
  c.write32(0x1000, 7);
  t.is(m.read32(0x1000), 0); // fork copies
  t.is(c.read32(0x1ffe), 0x11223344);
});

test('translated code follows mprotect, munmap and code written between runs', (t) => {
  const CODE = 0x400000, DATA = 0x500000;
  // loop: mov [DATA], ecx; inc ecx; cmp ecx, 100; jne loop; int 0x80
  const cpu = machine(CODE, DATA, Uint8Array.of(0x89, 0x0d, 0, 0, 0x50, 0, 0x41, 0x83, 0xf9, 100, 0x75, 0xf4, 0xcd, 0x80));
  const m = cpu.mem;
  const before = translated.length;
  cpu.eip = CODE;
  t.is(cpu.run(100000).kind, 'syscall');
  t.true(translated.length > before);
  t.is(m.read32(DATA), 99);
  // the TLB must not keep the page writable
  m.protect(DATA, 0x1000, PROT_READ);
  cpu.eip = CODE;
  cpu.regs[1] = 0;
  const s = cpu.run(100000);
  t.is(s.kind, 'fault');
  t.is(cpu.eip, CODE);
  t.is(m.read32(DATA), 99);
  // ... nor mapped
  m.unmap(DATA, 0x1000);
  cpu.eip = CODE;
  t.like(cpu.run(100000), { kind: 'fault', addr: DATA, code: 1 });
  // new code at the same address replaces the translation: cmp ecx, 5
  m.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
  m.write8(CODE + 9, 5);
  cpu.eip = CODE;
  cpu.regs[1] = 0;
  t.is(cpu.run(100000).kind, 'syscall');
  t.is(m.read32(DATA), 4);
});

test('translations dropped all at once (the cap on their number) are made again as blocks run', (t) => {
  const CODE = 0x600000, DATA = 0x700000;
  // loop: add [DATA], ecx; inc ecx; cmp ecx, 100; jne loop; int 0x80
  const cpu = machine(CODE, DATA, Uint8Array.of(0x01, 0x0d, 0, 0, 0x70, 0, 0x41, 0x83, 0xf9, 100, 0x75, 0xf4, 0xcd, 0x80));
  const m = cpu.mem;
  const run = (): number => {
    cpu.eip = CODE;
    cpu.regs[1] = 0;
    m.write32(DATA, 0);
    t.is(cpu.run(100000).kind, 'syscall');
    return m.read32(DATA);
  };
  t.is(run(), 4950);
  const blocks = translated.slice();
  t.true(blocks.length > 0);
  dropTranslations();
  t.is(translated.length, 0);
  t.true(blocks.every((b) => b.wix === -1));
  t.is(run(), 4950);
  t.true(translated.length > 0);
});

test('without shared WebAssembly memory (EMBOX_FIXED_MEMORY=1: a fixed one) translated code runs the same', (t) => {
  const dir = new URL('../../src/cpu/', import.meta.url).href;
  const script = `
    const { CPU } = await import('${dir}cpu.js');
    const { AddressSpace } = await import('${dir}memory.js');
    const { MEMORY_SHARED } = await import('${dir}frames.js');
    const { translated } = await import('${dir}wasm-run.js');
    const m = new AddressSpace();
    m.map(0x600000, 0x1000, 7); m.map(0x700000, 0x1000, 3);
    m.writeBytes(0x600000, Uint8Array.of(0x01, 0x0d, 0, 0, 0x70, 0, 0x41, 0x83, 0xf9, 100, 0x75, 0xf4, 0xcd, 0x80));
    const cpu = new CPU(m); cpu.jitThreshold = 1; cpu.jitBackend = 'wasm'; cpu.eip = 0x600000;
    const stop = cpu.run(100000);
    console.log(JSON.stringify({ shared: MEMORY_SHARED, stop: stop.kind, sum: m.read32(0x700000), translated: translated.length }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, EMBOX_FIXED_MEMORY: '1' }, encoding: 'utf8' });
  t.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { shared: boolean; stop: string; sum: number; translated: number };
  t.like(out, { shared: false, stop: 'syscall', sum: 4950 });
  t.true(out.translated > 0);
});

test('budgets end translated chains at the same instruction as the interpreter', (t) => {
  // loop: add [DATA], ecx; inc ecx; cmp ecx, 1000; jne loop; int 0x80 (blocks chain into themselves)
  const prog = Uint8Array.of(0x01, 0x0d, 0, 0, 0x90, 0, 0x41, 0x81, 0xf9, 0xe8, 0x03, 0, 0, 0x75, 0xf1, 0xcd, 0x80);
  const a = machine(0x800000, 0x900000, prog, true), b = machine(0x800000, 0x900000, prog, false);
  const bad: string[] = [];
  for (let n = 1, step = 0; step < 400; step++, n = (n * 7 + 3) % 23 + 1) {
    const sa = a.run(n), sb = b.run(n);
    const ka = `${sa.kind} ${a.eip} ${a.icount} ${a.regs[1]} ${a.mem.read32(0x900000)}`;
    const kb = `${sb.kind} ${b.eip} ${b.icount} ${b.regs[1]} ${b.mem.read32(0x900000)}`;
    if (ka !== kb) bad.push(`step ${step} budget ${n}: ${ka} vs ${kb}`);
    if (sb.kind === 'syscall') break;
  }
  t.deepEqual(bad.slice(0, 5), []);
  t.is(b.regs[1], 1000);
});

test('a call of a PC thunk in another page runs in place: registers, stack, icount and budgets as the interpreter has them; a thunk written anew is followed', (t) => {
  const CODE = 0xa00000, THUNK = 0xa01000, DATA = 0xb00000, STACK = 0xb80000;
  // xor ecx, ecx; L: call THUNK; add [DATA], eax; inc ecx; cmp ecx, 300; jne L; int 0x80
  // (the block at L is translated at its first run, after THUNK's page was decoded)
  const rel = (THUNK - (CODE + 7)) >>> 0;
  const prog = Uint8Array.of(0x31, 0xc9, 0xe8, rel & 0xff, rel >> 8 & 0xff, rel >> 16 & 0xff, rel >>> 24, 0x01, 0x05, 0, 0, 0xb0, 0,
    0x41, 0x81, 0xf9, 0x2c, 0x01, 0, 0, 0x75, 0xec, 0xcd, 0x80);
  const make = (jit: boolean): CPU => {
    const c = machine(CODE, DATA, prog, jit);
    c.mem.map(THUNK, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
    c.mem.writeBytes(THUNK, Uint8Array.of(0x8b, 0x04, 0x24, 0xc3)); // mov eax, [esp]; ret
    c.mem.map(STACK, 0x1000, PROT_READ | PROT_WRITE);
    c.regs[4] = STACK + 0x800;
    return c;
  };
  const a = make(true), b = make(false);
  const state = (c: CPU, s: { kind: string }): string =>
    `${s.kind} ${c.eip.toString(16)} ${c.icount} ${[...c.regs].map((r) => (r >>> 0).toString(16))} ${c.mem.read32(DATA)} ${c.mem.read32(STACK + 0x7fc)}`;
  const race = (): string[] => {
    const bad: string[] = [];
    // (the first budget takes both to L after THUNK ran: L's block is translated with THUNK's page decoded)
    for (let n = 9, step = 0; step < 3000; step++, n = (n * 7 + 3) % 29 + 1) {
      const sa = a.run(n), sb = b.run(n);
      const ka = state(a, sa), kb = state(b, sb);
      if (ka !== kb) bad.push(`step ${step} budget ${n}: ${ka} vs ${kb}`);
      if (sb.kind !== 'budget') break;
    }
    return bad;
  };
  t.deepEqual(race().slice(0, 5), []);
  t.is(b.regs[1], 300);
  t.is(b.mem.read32(DATA), (300 * (CODE + 7)) >>> 0 | 0);
  // then in long runs, every block translated
  for (const c of [a, b]) { c.eip = CODE; c.regs[1] = 0; c.mem.write32(DATA, 0); }
  t.is(state(a, a.run(100000)), state(b, b.run(100000)));
  // the thunk now sets edx: the translation made for eax must not run on
  for (const c of [a, b]) {
    c.mem.writeBytes(THUNK, Uint8Array.of(0x8b, 0x14, 0x24, 0xc3)); // mov edx, [esp]; ret
    c.eip = CODE; c.regs[0] = 7; c.regs[1] = 0; c.mem.write32(DATA, 0);
  }
  t.deepEqual(race().slice(0, 5), []);
  t.is(b.mem.read32(DATA), 2100);
  t.is(a.regs[2], CODE + 7);
});

test('shifts by cl, mul/div, adc/sbb, 16-bit alu, byte inc/dec, bt*, bsf/bsr, cld/std, movs: translated as the interpreter runs them, undefined flags and faults included', (t) => {
  const CODE = 0xa00000, DATA = 0xb00000;
  const r = rng(4242);
  const h = (n: number, bytes = 1): string => {
    let s = '';
    for (let k = 0; k < bytes; k++) s += ((n >>> (8 * k)) & 0xff).toString(16).padStart(2, '0');
    return s;
  };
  const pick = <T>(a: readonly T[]): T => a[r() % a.length]!;
  const DST = [0, 1, 2, 5, 6, 7];
  const rr = (reg: number, rm: number): string => h(0xc0 | (reg << 3) | rm);
  const mem = (reg: number): string => h(0x43 | (reg << 3)) + h(r() % 57); // [ebx + disp8]
  const E = (reg: number): string => (r() % 3 ? rr(reg, pick(DST)) : mem(reg));
  const forms: (() => string)[] = [
    () => 'b1' + h(pick([0, 1, 2, 31, 32, 33, r()])) + 'd3' + E(pick([0, 1, 4, 5, 6, 7])),
    () => (r() % 2 ? 'c1' + E(pick([0, 1, 4, 5, 7])) + h(pick([0, 1, 31, r()])) : 'd1' + E(pick([0, 1, 4, 5, 7]))),
    () => 'f7' + E(4 + (r() % 4)),
    () => pick(['31d2', '99', '']) + 'f7' + E(6 + (r() % 2)),
    () => pick(['', '66']) + h(pick([0x11, 0x19, 0x13, 0x1b, 0x10, 0x18, 0x12, 0x1a])) + E(r() % 8),
    () => pick(['', '66']) + '83' + E(pick([2, 3])) + h(r()),
    () => '66' + h(8 * (r() % 8) + pick([1, 3])) + E(r() % 8),
    () => '66' + h(8 * (r() % 8) + 5) + h(r(), 2),
    () => 'fe' + E(r() % 2),
    () => '66' + h(0x40 + (r() % 16)),
    () => '0f' + pick(['a3', 'ab', 'b3', 'bb']) + rr(r() % 8, pick(DST)),
    () => h(0xb8 + pick([0, 1, 2])) + h(pick([0, 37, 300, -1, -33, -200]), 4) + '0f' + pick(['a3', 'ab', 'b3', 'bb']) + mem(pick([0, 1, 2])),
    () => '0fba' + E(4 + (r() % 4)) + h(r()),
    () => pick(['', '', 'f3', 'f2']) + '0f' + pick(['bc', 'bd']) + E(r() % 8), // rep bsf: tzcnt's encoding, a bsf here
    () => pick(['fc', 'fd']),
    // byte and word shl/shr/sar by CL (counts past the width too), by an immediate and by 1
    () => 'b1' + h(pick([0, 1, 7, 8, 9, 15, 16, 17, 31, r()])) + pick(['d2', '66d3']) + E(4 + (r() % 4)),
    () => pick(['c0', '66c1']) + E(4 + (r() % 4)) + h(pick([0, 1, 7, 8, 9, 16, 31, r()])),
    () => pick(['d0', '66d1']) + E(4 + (r() % 4)),
    () => '66f7' + rr(2 + (r() % 2), pick(DST)), // word not/neg
    () => pick(['98', '99', '6698', '6699']),
    // byte and word rol/ror, and bswap
    () => 'b1' + h(pick([0, 1, 7, 8, 9, 16, 17, 31, r()])) + pick(['d2', '66d3']) + E(r() % 2),
    () => pick(['c0', '66c1']) + E(r() % 2) + h(pick([0, 1, 8, 15, 16, r()])),
    () => '0f' + h(0xc8 + pick(DST)),
    // shld/shrd by CL and by an immediate
    () => 'b1' + h(pick([0, 1, 31, 32, 33, r()])) + '0f' + pick(['a5', 'ad']) + E(r() % 8),
    () => '0f' + pick(['a4', 'ac']) + E(r() % 8) + h(pick([0, 1, 31, r()])),
    () => pick(['f8', 'f9', 'f5']),
    () => h(0x70 + (r() % 16)) + '00', // a condition read (and a jump to the next instruction)
    () => '0f' + h(0x90 + (r() % 16)) + rr(0, pick([0, 1, 2, 4, 5, 6])),
    () => '9c' + h(0x58 + pick(DST)), // pushf: every flag into a register
    // movs (forward, or backward under std), its registers near the data page (or off it: a fault)
    () => 'be' + h(DATA + pick([0, 7, 60, -4, 0x1000]), 4) + 'bf' + h(DATA + pick([1, 16, 62, 4095, -1]), 4) + pick(['', 'fd']) +
      pick(['', '64']) + pick(['a4', 'a5', '66a5']) + 'fc',
  ];
  const bad: string[] = [];
  for (let n = 0; n < 800; n++) {
    let code = '';
    for (let k = 2 + (r() % 10); k > 0; k--) code += pick(forms)();
    code += 'cd80';
    const prog = Uint8Array.from(code.match(/../g)!.map((x) => parseInt(x, 16)));
    const regs = [0, 1, 2, 3, 5, 6, 7].map((k) => (k === 3 ? DATA : [r(), r() & 0xff, 0, 1, 0x80000000, 0xffffffff][r() % 6]!));
    const flags = r() & 0x8d5;
    const data = Uint8Array.from({ length: 64 }, () => r() & 0xff);
    const run = (jit: boolean): string => {
      // (code at another address for each: pages of equal code share their translations)
      const at = jit ? CODE : CODE + 0x10000;
      const c = machine(at, DATA, prog, jit);
      [0, 1, 2, 3, 5, 6, 7].forEach((reg, k) => { c.regs[reg] = regs[k]!; });
      c.regs[4] = DATA + 0x800;
      c.setEflags(0x202 | flags);
      c.mem.writeBytes(DATA, data);
      const s = c.run(100000);
      // (a divide error's address is the instruction's)
      const f = s.kind === 'fault' ? `${s.signo} ${s.code} ${s.signo === 8 ? s.addr - at : s.addr}` : '';
      return `${s.kind} ${f} eip ${(c.eip - at).toString(16)} regs ${Array.from(c.regs, (v) => (v >>> 0).toString(16))} ` +
        // (at a fault, flags nobody would read may be stale: translated code stores only live ones)
        `eflags ${s.kind === 'fault' ? '-' : (c.getEflags() >>> 0).toString(16)} data ${Array.from(c.mem.readBytes(DATA, 64)).join(',')}`;
    };
    const a = run(true), b = run(false);
    if (a !== b) bad.push(`[${code}]\n  translated  ${a}\n  interpreted ${b}`);
  }
  t.deepEqual(bad.slice(0, 3), []);
});

test('an indirect exit goes straight to the block it went to last, and through the jump cache otherwise: results as the interpreter\'s', (t) => {
  const CODE = 0x1000, DATA = 0x8000;
  // mov ecx,1000; mov esi,F; L: test cl,1; jz A; call esi; jmp N; A: call esi; N: add ebx,eax;
  // dec ecx; jnz L; int 0x80; F: add eax,ecx; ret -- F's ret goes back to the two call sites in turn
  const prog = Uint8Array.from(Buffer.from('b9e8030000 be20100000 f6c101 7404 ffd6 eb02 ffd6 01c3 49 75f0 cd80 90909090 01c8 c3'.replace(/ /g, ''), 'hex'));
  const run = (jit: number): CPU => {
    const c = machine(CODE, DATA, prog, jit > 0);
    c.jitThreshold = jit;
    c.regs[4] = DATA + 0xff0; // esp: the calls' stack on the data page
    t.is(c.run(1_000_000).kind, 'syscall');
    return c;
  };
  const ref = run(0);
  for (const jit of [1, 2, 50]) {
    const c = run(jit);
    t.deepEqual([...c.regs], [...ref.regs], `EMBOX_JIT=${jit}`);
    t.is(c.icount, ref.icount);
  }
  // the code made for F with its last target known: compared, then a tail call into that block
  const c = run(2);
  const f = translated.find((b) => b.eip >>> 0 === CODE + 0x20)!;
  const to = f.tk!;
  t.true(to.wix >= 0 && (to.eip === CODE + 0x11 || to.eip === CODE + 0x15));
  const text = wasmText(assemble([f], 0, new Map([[to.eip >>> 0, to]]), c.mem.codeEpoch));
  const at = text.indexOf(`(i32.const ${to.eip})`);
  // (the linked block: the module's first import after the runtime's)
  t.true(at > 0 && text.indexOf(`return_call $fimport$${IMPORTS.length}`, at) > at, 'the predicted target is compared and called');
});

test('the branch hint section: ascending offsets, each at an if or br_if of its function\'s body, as V8 reads it', (t) => {
  const CODE = 0x1000, DATA = 0x8000;
  // a loop storing through the TLB, an indirect call and return, a division (its handler path), a handler (cpuid)
  // mov ecx,40; mov esi,F; mov ebx,7; L: mov [edi],eax; call esi; xor edx,edx; mov eax,ecx; div ebx; dec ecx; jnz L;
  // cpuid; int 0x80; F: add eax,ecx; ret
  const prog = Uint8Array.from(Buffer.from('b928000000 be30100000 bb07000000 8907 ffd6 31d2 89c8 f7f3 49 75f3 0fa2 cd80 90909090909090909090909090909090 01c8 c3'.replace(/ /g, ''), 'hex'));
  const c = machine(CODE, DATA, prog);
  c.regs[4] = DATA + 0xff0;
  c.regs[7] = DATA;
  t.is(c.run(1_000_000).kind, 'syscall');
  const blocks = translated.filter((b) => b.eip >>> 0 >= CODE && b.eip >>> 0 < CODE + 0x100);
  t.true(blocks.length >= 3);
  const m = assemble([...blocks].sort((x, y) => (x.eip >>> 0) - (y.eip >>> 0)), 0, new Map(blocks.map((b) => [b.eip >>> 0, b])), c.mem.codeEpoch);
  const secs = wasmSections(m);
  const code = secs.find((s) => s.id === 10)!;
  // the function bodies, by module function index (after the imports: all blocks are in the module)
  const imported = IMPORTS.length;
  const bodies: { at: number; end: number }[] = [];
  let [n, p] = readUleb(m, code.content);
  for (; n > 0; n--) {
    const [len, q] = readUleb(m, p);
    bodies.push({ at: q, end: q + len });
    p = q + len;
  }
  const hints = secs.find((s) => s.id === 0 && new TextDecoder().decode(m.subarray(s.content + 1, s.content + 1 + m[s.content]!)) === 'metadata.code.branch_hint');
  t.truthy(hints, 'a branch hint section');
  t.true(secs.indexOf(hints!) < secs.indexOf(code), 'before the code section');
  let [nf, q] = readUleb(m, hints!.content + 1 + m[hints!.content]!);
  let count = 0, lastFn = -1;
  for (; nf > 0; nf--) {
    let fn: number, nh: number;
    [fn, q] = readUleb(m, q);
    [nh, q] = readUleb(m, q);
    t.true(fn > lastFn, 'functions ascending');
    lastFn = fn;
    const body = bodies[fn - imported]!;
    let last = -1;
    for (; nh > 0; nh--) {
      let off: number;
      [off, q] = readUleb(m, q);
      t.is(m[q], 1, 'one byte of hint');
      t.true(m[q + 1] === 0 || m[q + 1] === 1);
      q += 2;
      t.true(off > last, 'offsets ascending');
      last = off;
      const op = m[body.at + off];
      t.true(op === 0x04 || op === 0x0d, `offset ${off} of function ${fn} is an if or br_if (0x${op?.toString(16)})`);
      count++;
    }
  }
  t.is(q, hints!.end);
  t.true(count > 10);
});

test('an indirect jump back to the start of its own block: registers as the interpreter has them (a body re-entered takes no stale slot)', (t) => {
  // L: rcl ebx,1 (a handler: reads ebx, and ecx reloaded after it, from the slot); add ebx,ecx; dec ecx; jz E;
  // jmp esi (to L: the block's own start, its last target); E: int 0x80 -- each run on a page of its own, as
  // code pages with the same bytes at the same place share their blocks and counts
  const le = (v: number): string => Buffer.from(Uint32Array.of(v).buffer).toString('hex');
  let page = 0x100;
  const run = (jit: number): { regs: number[]; icount: number } => {
    const code = page++ << 12;
    const prog = Uint8Array.from(Buffer.from(`b988130000 be${le(code + 0xc)} 31db d1d3 01cb 49 7402 ffe6 cd80`.replace(/ /g, ''), 'hex'));
    const c = machine(code, code + 0x10000, prog, jit > 0);
    c.jitThreshold = jit;
    t.is(c.run(1_000_000).kind, 'syscall', `EMBOX_JIT=${jit}`);
    // (esi holds L, an address on the run's own page)
    return { regs: [...c.regs].map((v, n) => (n === 6 ? v - code : v)), icount: c.icount };
  };
  const ref = run(0);
  for (const jit of [1, 2, 3, 50]) t.deepEqual(run(jit), ref, `EMBOX_JIT=${jit}`);
});

test('a block of an instruction reaching into the next page, reached by an indirect jump from a block whose target changes, is kept and translated', (t) => {
  const CODE = 0x1000, DATA = 0x8000;
  const prog = new Uint8Array(0x1010);
  const put = (at: number, hex: string): void => prog.set(Buffer.from(hex.replace(/ /g, ''), 'hex'), at - CODE);
  // mov ecx,10000; mov esi,X; mov edi,Y; L: xchg esi,edi; jmp esi
  put(0x1000, 'b910270000 befe1f0000 bf00110000 87f7 ffe6');
  // Y: dec ecx; jnz L; int 0x80
  put(0x1100, '49 0f8508ffffff cd80');
  // X (0x1ffe, its 3 bytes reaching into the next page): add eax,1; jmp Y
  put(0x1ffe, '83c001 e9faf0ffff');
  const run = (jit: number): CPU => {
    const m = new AddressSpace();
    m.map(CODE, 0x2000, PROT_READ | PROT_WRITE | PROT_EXEC);
    m.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
    m.writeBytes(CODE, prog);
    m.protect(CODE, 0x2000, PROT_READ | PROT_EXEC);
    const c = new CPU(m);
    c.jitThreshold = jit;
    c.jitBackend = 'wasm';
    c.eip = CODE;
    t.is(c.run(1_000_000).kind, 'syscall');
    return c;
  };
  const ref = run(0);
  t.is(ref.regs[0], 5000);
  const c = run(2);
  t.deepEqual([...c.regs], [...ref.regs]);
  t.is(c.icount, ref.icount);
  // one block for X, translated (it was made anew at each jump there, its runs never adding up)
  const xs = translated.filter((b) => b.eip >>> 0 === 0x1ffe);
  t.is(xs.length, 1);
  t.true(xs[0]!.wix >= 0 && xs[0]!.page === null);
});

test('a module\'s links hold in another address space whose code is the same (another process of the program), not where a page they reach differs', (t) => {
  const X = 0xc00000, Y = 0xc01000, DATA = 0xd00000, N = 2000;
  // X: jmp Y (another page: the block ends there, with an exit to Y's block)
  // Y: add dword [DATA], K; inc ecx; cmp ecx, N; jne X; int 0x80
  const rel = (Y - (X + 5)) >>> 0, back = (X - (Y + 20)) >>> 0;
  const a = Uint8Array.of(0xe9, rel & 0xff, rel >> 8 & 0xff, rel >> 16 & 0xff, rel >>> 24);
  const b = (k: number): Uint8Array => Uint8Array.of(0x83, 0x05, 0, 0, 0xd0, 0, k, 0x41, 0x81, 0xf9, N & 0xff, N >> 8, 0, 0,
    0x0f, 0x85, back & 0xff, back >> 8 & 0xff, back >> 16 & 0xff, back >>> 24, 0xcd, 0x80);
  const space = (k: number): CPU => {
    const m = new AddressSpace();
    m.map(X, 0x2000, PROT_READ | PROT_WRITE | PROT_EXEC);
    m.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
    m.writeBytes(X, a);
    m.writeBytes(Y, b(k));
    const c = new CPU(m);
    // (2: both blocks are queued, then compiled in one module, linked to each other)
    c.jitThreshold = 2;
    c.jitBackend = 'wasm';
    c.eip = X;
    return c;
  };
  const run = (c: CPU): number => {
    const before = cpuProfile.jumpCacheExits;
    t.is(c.run(1_000_000).kind, 'syscall');
    t.is(c.regs[1], N);
    return cpuProfile.jumpCacheExits - before;
  };
  const first = space(3);
  const exits = run(first);
  t.is(first.mem.read32(DATA), 3 * N);
  t.true(exits < N / 4, `${exits} exits through the jump cache in the space that translated the loop`);
  // the same bytes in a new space: its pages are the decoded ones, the translations and their links hold
  const second = space(3);
  const again = run(second);
  t.is(second.mem.read32(DATA), 3 * N);
  t.true(again < N / 4, `${again} exits through the jump cache in a space of the same code`);
  // Y's bytes differ: X's translation runs (its page is the same), its link to the old Y must not
  const third = space(5);
  run(third);
  t.is(third.mem.read32(DATA), 5 * N);
});
