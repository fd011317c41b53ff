// Translated blocks (src/cpu/wasm.ts and src/cpu/jit.ts) against the real CPU:
// random sequences of the instructions the translators emit inline (mov,
// add/or/and/sub/xor/cmp, test, inc/dec, push/pop, lea, movzx/movsx, cmovcc,
// setcc, xchg; for WebAssembly also moffs and 16-bit moves, 16-bit test,
// neg/not, shifts and rotates by a constant or cl, imul, mul/div, adc/sbb,
// 16-bit alu forms, byte inc/dec, bt*, bsf/bsr, cld/std, xchg and cmpxchg with
// memory; rep movs/stos in cases of their own), register and memory forms, mixed with ones
// left to the interpreter (shifts and imul of other sizes, pushf) and with conditional
// jumps over the next instruction (side exits of a superblock). Every block
// is translated the first time it runs, by each backend. Registers, flags,
// the data page and faults must match the native run.
import test from 'ava';
import { compare, rng, CODE, DATA, type Case } from './unit-harness.js';

const h = (n: number, bytes = 1): string => {
  let s = '';
  for (let k = 0; k < bytes; k++) s += ((n >>> (8 * k)) & 0xff).toString(16).padStart(2, '0');
  return s;
};
const DST = [0, 1, 2, 5, 6, 7]; // ebx holds the data pointer, esp the stack
const BYTE = [0, 1, 2, 4, 5, 6]; // al cl dl ah ch dh
const ALU = [0, 1, 4, 5, 6, 7];

function gen(r: () => number): string[] {
  const pick = <T>(a: readonly T[]): T => a[r() % a.length]!;
  const d8 = () => r() % 57;
  const mem = (reg: number) => h(0x40 | (reg << 3) | 3) + h(d8()); // [ebx + disp8]
  const rr = (reg: number, rm: number) => h(0xc0 | (reg << 3) | rm);
  const imm32 = () => h(pick([0, 1, 0x7fffffff, 0x80000000, 0xffffffff, r(), r() & 0xff]), 4);
  const cc = () => r() % 16;
  const forms: (() => string)[] = [
    () => '89' + rr(r() % 8, pick(DST)),
    () => '8b' + mem(pick(DST)),
    () => '89' + mem(r() % 8),
    () => '88' + mem(pick(BYTE)),
    () => '8a' + rr(pick(BYTE), pick(BYTE)),
    () => '8a' + mem(pick(BYTE)),
    () => h(0xb8 + pick(DST)) + imm32(),
    () => h(0xb0 + pick(BYTE)) + h(r()),
    () => 'c7' + mem(0) + imm32(),
    () => 'c6' + mem(0) + h(r()),
    () => h(pick(ALU) * 8 + 1) + rr(r() % 8, pick(DST)),
    () => h(pick(ALU) * 8 + 3) + rr(pick(DST), r() % 8),
    () => h(pick(ALU) * 8 + 3) + mem(pick(DST)),
    () => h(pick(ALU) * 8 + 1) + mem(r() % 8),
    () => h(pick(ALU) * 8 + 0) + rr(pick(BYTE), pick(BYTE)),
    () => h(pick(ALU) * 8 + 2) + mem(pick(BYTE)),
    () => '81' + rr(pick(ALU), pick(DST)) + imm32(),
    () => '83' + rr(pick(ALU), pick(DST)) + h(r()),
    () => '83' + mem(pick(ALU)) + h(r()),
    () => '80' + rr(pick(ALU), pick(BYTE)) + h(r()),
    () => h(pick(ALU) * 8 + 5) + imm32(),
    () => h(pick(ALU) * 8 + 4) + h(r()),
    () => '85' + rr(r() % 8, r() % 8),
    () => '84' + mem(pick(BYTE)),
    () => 'a9' + imm32(),
    () => 'f6' + mem(0) + h(r()),
    () => h(0x40 + pick(DST)),
    () => h(0x48 + pick(DST)),
    () => 'ff' + mem(r() % 2),
    () => h(0x50 + r() % 8),
    () => h(0x58 + pick(DST)),
    () => '68' + imm32(),
    () => '6a' + h(r()),
    () => 'ff' + mem(6),
    () => '8d' + h(0x44 | (pick(DST) << 3)) + h(((r() % 4) << 6) | (pick(DST) << 3) | 3) + h(d8()),
    () => '0f' + pick(['b6', 'be']) + rr(pick(DST), pick(BYTE)),
    () => '0f' + pick(['b7', 'bf']) + rr(pick(DST), r() % 8),
    () => '0f' + pick(['b6', 'b7', 'be', 'bf']) + mem(pick(DST)),
    () => '0f' + h(0x40 + cc()) + rr(pick(DST), r() % 8),
    () => '0f' + h(0x40 + cc()) + mem(pick(DST)),
    () => '0f' + h(0x90 + cc()) + rr(0, pick(BYTE)),
    () => '0f' + h(0x90 + cc()) + mem(0),
    () => '87' + rr(pick(DST), pick(DST)),
    () => pick(['a1', 'a3', 'a0', 'a2']) + h(DATA + d8(), 4),
    () => '66' + pick(['89', '8b']) + mem(pick(DST)),
    () => '6689' + rr(r() % 8, pick(DST)),
    () => '66' + h(0xb8 + pick(DST)) + h(r(), 2),
    () => '66c7' + mem(0) + h(r(), 2),
    () => '6685' + rr(r() % 8, r() % 8),
    () => '66a9' + h(pick([0, 0x8000, r()]), 2),
    () => 'f7' + rr(pick([2, 3]), pick(DST)),
    // shifts by 1 (every flag but AF defined) and by a constant (then only CF, ZF, SF, PF: read by a
    // setcc, then a test, as OF is undefined)
    () => 'd1' + rr(pick([4, 5, 7]), pick(DST)),
    () => 'c1' + rr(pick([4, 5, 7]), pick(DST)) + h(r() % 32) + '0f' + h(0x90 + pick([2, 3, 4, 5, 8, 9, 10, 11])) + rr(0, pick(BYTE)) +
      '85' + rr(r() % 8, r() % 8),
    () => 'd1' + rr(pick([0, 1]), pick(DST)),
    () => 'c1' + rr(pick([0, 1]), pick(DST)) + h(r() % 32) + '0f' + pick(['90', '92']) + rr(0, pick(BYTE)) + '85' + rr(r() % 8, r() % 8),
    () => pick(['', 'f0']) + '87' + mem(pick(DST)),
    () => pick(['', 'f0']) + '0fb1' + mem(pick(DST)),
    // imul: CF and OF defined (read by a setcc), the others not (a test after it)
    () => pick(['0faf' + rr(pick(DST), r() % 8), '0faf' + mem(pick(DST)), '69' + rr(pick(DST), r() % 8) + imm32(), '6b' + rr(pick(DST), r() % 8) + h(r())]) +
      '0f' + pick(['90', '91', '92', '93']) + rr(0, pick(BYTE)) + '85' + rr(r() % 8, r() % 8),
    // shifts by cl: counts 0 and 1 (every flag but AF defined, or kept), others (OF undefined)
    () => 'b1' + h(pick([0, 1, 32, 33])) + 'd3' + rr(pick([0, 1, 4, 5, 7]), pick(DST)) + '0f' + h(0x90 + cc()) + rr(0, pick(BYTE)) + '85' + rr(r() % 8, r() % 8),
    () => 'b1' + h(pick([2, 31, 63, r()])) + 'd3' + rr(pick([0, 1, 4, 5, 7]), pick(DST)) + '0f' + h(0x90 + pick([2, 3, 4, 5, 8, 9, 10, 11])) + rr(0, pick(BYTE)) +
      '85' + rr(r() % 8, r() % 8),
    () => 'b1' + h(pick([0, 1, 7, 31, 32])) + pick(['d3', 'd1']) + mem(pick([0, 1, 4, 5, 7])) + '0f' + h(0x90 + pick([2, 3, 4, 5, 8, 9, 10, 11])) + rr(0, pick(BYTE)) +
      '85' + rr(r() % 8, r() % 8),
    () => 'c1' + mem(pick([0, 1, 4, 5, 7])) + h(pick([0, 1, 8, 31])) + '85' + rr(r() % 8, r() % 8),
    // mul/imul: CF and OF defined (read by a setcc); div/idiv: no flags, #DE on a zero divisor or a quotient that does not fit
    () => 'f7' + pick([rr(pick([4, 5]), r() % 8), mem(pick([4, 5]))]) + '0f' + pick(['90', '91', '92', '93']) + rr(0, pick(BYTE)) + '85' + rr(r() % 8, r() % 8),
    () => pick(['', '31d2', '99', 'ba' + imm32()]) + 'f7' + pick([rr(pick([6, 7]), r() % 8), mem(pick([6, 7]))]) + '85' + rr(r() % 8, r() % 8),
    // adc/sbb (reg, memory, immediate, byte and word forms), chained, after clc/stc
    () => pick(['', 'f8', 'f9']) + h(pick([0x11, 0x19])) + rr(r() % 8, pick(DST)) + h(pick([0x13, 0x1b])) + mem(pick(DST)),
    () => h(pick([0x11, 0x19, 0x10, 0x18])) + mem(pick(BYTE)) + '0f' + h(0x90 + cc()) + rr(0, pick(BYTE)),
    () => pick(['83' + rr(pick([2, 3]), pick(DST)) + h(r()), '81' + rr(pick([2, 3]), pick(DST)) + imm32(), h(pick([0x15, 0x1d])) + imm32()]),
    () => '83' + mem(pick([2, 3])) + h(r()) + h(pick([0x12, 0x1a])) + rr(pick(BYTE), pick(BYTE)),
    () => '66' + pick([h(pick([0x11, 0x19])) + rr(r() % 8, pick(DST)), h(pick([0x13, 0x1b])) + rr(pick(DST), r() % 8), h(pick([0x11, 0x19, 0x13, 0x1b])) + mem(pick(DST))]) + '0f' + h(0x90 + cc()) + rr(0, pick(BYTE)),
    // 16-bit alu forms
    () => '66' + pick([h(pick(ALU) * 8 + 1) + rr(r() % 8, pick(DST)), h(pick(ALU) * 8 + 3) + rr(pick(DST), r() % 8), h(pick(ALU) * 8 + pick([1, 3])) + mem(pick(DST))]),
    () => '6683' + pick([rr(pick(ALU), pick(DST)), mem(pick(ALU))]) + h(r()),
    () => '6681' + rr(pick(ALU), pick(DST)) + h(r(), 2),
    () => '66' + h(pick(ALU) * 8 + 5) + h(pick([0, 0x8000, 0xffff, r()]), 2),
    // byte and word inc/dec
    () => 'fe' + pick([rr(pick([0, 1]), pick(BYTE)), mem(pick([0, 1]))]) + '0f' + h(0x90 + cc()) + rr(0, pick(BYTE)),
    () => '66' + pick([h(0x40 + pick(DST)), h(0x48 + pick(DST)), 'ff' + mem(r() % 2)]),
    // bit tests: CF read (the others undefined); a register offset reaches beyond the operand, either way
    () => '0f' + pick(['a3', 'ab', 'b3', 'bb']) + rr(r() % 8, pick(DST)) + '0f' + pick(['92', '93']) + rr(0, pick(BYTE)) + '85' + rr(r() % 8, r() % 8),
    () => '0fba' + rr(pick([4, 5, 6, 7]), pick(DST)) + h(r()) + '0f92' + rr(0, pick(BYTE)) + '85' + rr(r() % 8, r() % 8),
    () => {
      const g = pick([0, 1, 2, 5, 6, 7]);
      return h(0xb8 + g) + h(pick([0, 5, 37, 100, 300, -1, -8, -33, -200, r() & 0x1ff]), 4) + pick(['', 'f0']) + '0f' + pick(['a3', 'ab', 'b3', 'bb']) + mem(g) +
        '0f' + pick(['92', '93']) + rr(0, pick(BYTE)) + '85' + rr(r() % 8, r() % 8);
    },
    () => '0fba' + mem(pick([4, 5, 6, 7])) + h(r()) + '0f92' + rr(0, pick(BYTE)) + '85' + rr(r() % 8, r() % 8),
    // bsf/bsr: ZF read (the others undefined), the destination kept on a zero source
    () => '0f' + pick(['bc', 'bd']) + pick([rr(pick(DST), r() % 8), mem(pick(DST))]) + '0f' + pick(['94', '95']) + rr(0, pick(BYTE)) + '85' + rr(r() % 8, r() % 8),
    // cld/std: DF seen through pushf (after a cmp: every status flag defined), then cleared
    () => '39' + rr(r() % 8, r() % 8) + pick(['fc', 'fd']) + '9c' + h(0x58 + pick(DST)) + 'fc',
    // movs without rep, forward or backward (ebx is the data pointer)
    () => '8d73' + h(d8()) + '8d7b' + h(d8()) + pick(['', 'fd']) + pick(['a4', 'a5', '66a5']) + 'fc',
    // left to the interpreter inside translated blocks
    // (each followed by a test: the flags they leave undefined must not reach a jcc/setcc/cmovcc)
    () => 'c1' + rr(pick([4, 5, 7]), pick(DST)) + h(r() % 32) + '85' + rr(r() % 8, r() % 8),
    () => 'd3' + rr(pick([4, 5, 7]), pick(DST)) + '85' + rr(r() % 8, r() % 8),
    () => '0faf' + rr(pick(DST), r() % 8) + '85' + rr(r() % 8, r() % 8),
  ];
  const seq: string[] = [];
  const n = 2 + (r() % 12);
  for (let k = 0; k < n; k++) seq.push(pick(forms)());
  // conditional jumps over the next instruction: the taken side leaves the superblock
  for (let k = seq.length - 2; k >= 0; k--) {
    if (r() % 4 === 0) seq.splice(k + 1, 0, h(0x70 + cc()) + h(seq[k + 1]!.length / 2));
  }
  return seq;
}

/** 3000 random cases, in parts (a test each: a translation per block makes them slow on a loaded machine) */
const PARTS = 4;
const CASES: Case[] = (() => {
  const r = rng(20261201);
  const cases: Case[] = [];
  for (let k = 0; k < 3000; k++) {
    const regs = [0, 1, 2, 3, 4, 5, 6].map((i) => (i === 3 ? DATA : [r(), r() & 0xff, 0, 0x80000000, 0xffffffff][r() % 5]!));
    let data = '';
    for (let b = 0; b < 64; b++) data += h(r());
    cases.push({ code: gen(r).join(''), regs, flags: r() & 0x8d5, data, note: `seq ${k}` });
  }
  return cases;
})();

for (const backend of ['wasm', 'js'] as const) {
for (let part = 0; part < PARTS; part++) {
  test(`${backend}: translated blocks match the real CPU (random sequences, side exits, fallbacks), part ${part + 1}/${PARTS}`, (t) => {
    const n = CASES.length / PARTS;
    const bad = compare(CASES.slice(part * n, (part + 1) * n), backend).filter(Boolean);
    t.deepEqual(bad.slice(0, 10), []);
  });
}

test(`${backend}: indirect jumps and calls, and returns, leave translated blocks for their targets`, (t) => {
  // mov eax, T; call *eax; add ecx, 1; mov [ebx], esp; jmp *[ebx+4]  ->  U: inc edx, end
  // T: mov edx, 5; ret      (the data page holds U's address at DATA+4)
  const body = (t0: number, u: number): string =>
    'b8' + h(t0, 4) + 'ffd0' + '83c101' + '8923' + 'ff6304';
  const len = body(0, 0).length / 2;
  const T = CODE + len, U = T + 6;
  const code = body(T, U) + 'ba05000000' + 'c3' + '42' + 'eb00';
  const data = h(0, 4) + h(U, 4) + '00'.repeat(56);
  const cases: Case[] = [
    { code, regs: [0, 1, 2, DATA], data, note: 'call *eax, ret, jmp *mem' },
    // call *[ebx+4] with the stack unmapped below esp would fault: here a plain one
    { code: 'ff5304' + '42', regs: [0, 0, 0, DATA], data: h(0, 4) + h(CODE + 3, 4) + '00'.repeat(56), note: 'call *mem' },
  ];
  t.deepEqual(compare(cases, backend).filter(Boolean), []);
});

test(`${backend}: a fault inside a translated block: registers, flags and eip at the faulting instruction`, (t) => {
  // mov eax, 5; add eax, ecx; mov [ebx+8], eax (read-only page: #PF); inc eax; cmp eax, 1
  const code = 'b805000000' + '01c8' + '894308' + '40' + '83f801';
  const cases: Case[] = [
    { code, regs: [0, 7, 0, DATA], data: '00'.repeat(64), dataProt: 1, note: 'store fault' },
    { code, regs: [0, 7, 0, DATA], data: '00'.repeat(64), note: 'no fault' },
    // a load from an unmapped page after flag-setting work
    { code: '31c0' + '83c001' + '8b8300100000' + '40', regs: [0, 0, 0, DATA], data: '00'.repeat(64), note: 'load fault' },
    // a push whose store faults (esp kept) after a shift and a neg
    { code: 'd1e0' + 'f7d9' + '89dc' + '81ec00100000' + '50' + '40', regs: [3, 7, 0, DATA + 16], data: '00'.repeat(64), dataProt: 1, note: 'push fault' },
  ];
  t.deepEqual(compare(cases, backend).filter(Boolean), []);
});
}

// rep movs/stos: the inline bulk path (one page for source and destination, TLB hits, DF clear,
// no pattern-replicating overlap) and every case it leaves to the handler. Each case runs its
// body twice in a loop: the first run's fallback enters the pages in the TLB, so the second
// takes the inline path where it applies.
const STACK_AREA = 0x10200000;
function repCase(note: string, o: { esi?: number; edi?: number; ecx: number; eax?: number; op: string; pre?: string; post?: string; data?: string; dataProt?: number; flags?: number }): Case {
  const body = 'be' + h(o.esi ?? DATA, 4) + 'bf' + h(o.edi ?? DATA, 4) + 'b9' + h(o.ecx, 4) + 'b8' + h(o.eax ?? 0x5a, 4) +
    '39d3' + (o.pre ?? '') + o.op + '0f94c2' + (o.post ?? '') + '4d';
  const rel = -(body.length / 2 + 2);
  // the last element written, read back (the data compared is the page's first 64 bytes only)
  return { code: 'bd02000000' + body + '75' + h(rel & 0xff) + '8b5ffc', regs: [0, 0, 0, DATA], data: o.data, dataProt: o.dataProt, flags: o.flags, note };
}
const REP_CASES: Case[] = (() => {
  const r = rng(777);
  let data = '';
  for (let b = 0; b < 64; b++) data += h(r());
  const c: Case[] = [];
  for (const ecx of [0, 1, 17, 32, 40]) c.push(repCase(`movsb ${ecx}`, { esi: DATA, edi: DATA + 32, ecx, op: 'f3a4', data }));
  for (const ecx of [0, 1, 5, 8, 12]) c.push(repCase(`movsd ${ecx}`, { esi: DATA + 4, edi: DATA + 24, ecx, op: 'f3a5', data }));
  c.push(repCase('movsw', { esi: DATA + 1, edi: DATA + 30, ecx: 9, op: '66f3a5', data }));
  c.push(repCase('repne movsb', { esi: DATA, edi: DATA + 20, ecx: 9, op: 'f2a4', data }));
  c.push(repCase('movsb overlap +1 (pattern)', { esi: DATA, edi: DATA + 1, ecx: 20, op: 'f3a4', data }));
  c.push(repCase('movsd overlap +2 (pattern)', { esi: DATA + 4, edi: DATA + 6, ecx: 8, op: 'f3a5', data }));
  c.push(repCase('movsb dst below src', { esi: DATA + 8, edi: DATA, ecx: 40, op: 'f3a4', data }));
  c.push(repCase('movsb same', { esi: DATA + 8, edi: DATA + 8, ecx: 40, op: 'f3a4', data }));
  c.push(repCase('movsd data to stack, 4000 bytes', { esi: DATA, edi: STACK_AREA + 0x40, ecx: 1000, op: 'f3a5', data, post: '8b47fc' }));
  c.push(repCase('movsd across pages', { esi: DATA, edi: STACK_AREA + 0x100, ecx: 1000, op: 'f3a5', data, post: '8b47fc' }));
  c.push(repCase('movsb stack to data, source across pages', { esi: STACK_AREA + 0xff0, edi: DATA, ecx: 40, op: 'f3a4', data, pre: 'c647fe77' }));
  c.push(repCase('movsb ds override', { esi: DATA, edi: DATA + 32, ecx: 20, op: 'f33ea4', data }));
  for (const [ecx, eax] of [[0, 0xab], [1, 0xab], [33, 0x1234abcd], [59, 0]]) c.push(repCase(`stosb ${ecx}`, { edi: DATA + 5, ecx, eax, op: 'f3aa', data }));
  for (const eax of [0x12345678, 0x7f7f7f7f, 0, -1]) c.push(repCase(`stosd ${eax}`, { edi: DATA + 3, ecx: 9, eax, op: 'f3ab', data }));
  c.push(repCase('stosw', { edi: DATA + 2, ecx: 7, eax: 0xbeef, op: '66f3ab', data }));
  c.push(repCase('stosw equal bytes', { edi: DATA + 2, ecx: 7, eax: 0x4545, op: '66f3ab', data }));
  c.push(repCase('stosd a whole page', { edi: STACK_AREA + 0x1000, ecx: 1024, eax: 0x01020304, op: 'f3ab', data, post: '8b47fc' }));
  c.push(repCase('stosd 60000 bytes across pages', { edi: STACK_AREA, ecx: 15000, eax: 0x99, op: 'f3ab', data, post: '8b47fc' }));
  c.push(repCase('stos without rep', { edi: DATA + 9, ecx: 3, eax: 0x11223344, op: 'ab' + 'aa' + '66ab', data }));
  c.push(repCase('std movsb', { esi: DATA + 40, edi: DATA + 50, ecx: 10, op: 'fdf3a4fc', data }));
  c.push(repCase('std stosd', { edi: DATA + 40, ecx: 6, eax: 0xcafe, op: 'fdf3abfc', data }));
  c.push(repCase('std stos without rep', { edi: DATA + 40, ecx: 6, eax: 0xcafe, op: 'fdabaafc', data }));
  c.push(repCase('stosb fault at the page end', { edi: DATA + 0xff8, ecx: 16, op: 'f3aa', data }));
  c.push(repCase('stosd fault at the page end, huge count', { edi: DATA + 0xf00, ecx: 0x80000000, op: 'f3ab', data }));
  c.push(repCase('movsd source fault at the page end', { esi: DATA + 0xff0, edi: STACK_AREA + 0x100, ecx: 8, op: 'f3a5', data }));
  c.push(repCase('stosb read-only page', { edi: DATA + 8, ecx: 4, op: 'f3aa', data, dataProt: 1 }));
  c.push(repCase('movsb into read-only page', { esi: STACK_AREA, edi: DATA + 8, ecx: 4, op: 'f3a4', data, dataProt: 1 }));
  // random small runs in the data page, after flag-setting work
  for (let k = 0; k < 200; k++) {
    const s = DATA + (r() % 60), d = DATA + (r() % 60), n = r() % 12;
    c.push(repCase(`random ${k}`, { esi: s, edi: d, ecx: n, eax: r(), op: r() % 5 === 0 ? 'fd' + ['f3a4', 'f3a5', 'f3aa', 'f3ab'][r() % 4] + 'fc' : ['f3a4', 'f3a5', 'f3aa', 'f3ab', '66f3a5', 'f2ab'][r() % 6]!, data, flags: r() & 0x8d5 }));
  }
  return c;
})();
for (const backend of ['wasm', 'js'] as const) {
  test(`${backend}: rep movs/stos match the real CPU (bulk path, overlaps, page crossings, DF, faults)`, (t) => {
    t.deepEqual(compare(REP_CASES, backend).filter(Boolean).slice(0, 10), []);
  });
}
