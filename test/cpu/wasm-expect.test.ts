// Expected output of the WebAssembly translator (src/cpu/wasm.ts) for a few
// representative blocks and regions, as text (binaryen's, which shows the
// branch hint section as annotations on the `if`/`br_if` it points at: an
// offset that missed its instruction would be missing there): a change in what
// the translator emits shows up in review as a change of test/cpu/expect/*.wat.
// `EXPECT_UPDATE=1 npx ava dist/test/cpu/wasm-expect.test.js` writes them anew.
// Each case also checks what the code computed against the interpreter.
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import binaryen from 'binaryen';
import { CPU, EAX, ECX, EBX, ESP, ESI, EDI } from '../../src/cpu/cpu.js';
import { AddressSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from '../../src/cpu/memory.js';
import { translationHooks } from '../../src/cpu/wasm-run.js';
import { assemble } from '../../src/cpu/wasm.js';
import type { Block } from '../../src/cpu/jit.js';

const CODE = 0x1000, DATA = 0x8000;
const dir = new URL('../../../test/cpu/expect/', import.meta.url);

interface Case {
  name: string;
  what: string;
  /** machine code at CODE, ending at an int 0x80 */
  code: string;
  regs: [number, number][];
  /** bytes at DATA (hex) */
  data?: string;
  /** code at CODE + 0x1000, a page of its own (hex) */
  far?: string;
  /** registers to compare with the interpreter */
  check: number[];
}

const CASES: Case[] = [
  {
    name: 'count-loop',
    what: 'a loop in one block: a region branching back to itself, registers in locals, the flags of add and dec stored only on the way out',
    // mov ecx,100; xor eax,eax; L: add eax,ecx; dec ecx; jnz L; int 0x80
    code: 'b964000000 31c0 01c8 49 75fb cd80',
    regs: [],
    check: [EAX, ECX],
  },
  {
    name: 'store-loop',
    what: 'stores through the TLB (the slow path a callback), a pointer compared and a loop',
    // L: mov [edi],eax; add edi,4; cmp edi,esi; jne L; int 0x80
    code: '8907 83c704 39f7 75f7 cd80',
    regs: [[EAX, 0x11223344], [EDI, DATA], [ESI, DATA + 64]],
    check: [EDI],
  },
  {
    name: 'flags-across-blocks',
    what: 'a block whose taken side goes to code that reads the flags it left: stored on that exit only',
    // cmp eax,ebx; jne T; inc eax; int 0x80; T: setb cl; int 0x80
    code: '39d8 7503 40 cd80 0f92c1 cd80',
    regs: [[EAX, 1], [EBX, 2], [ECX, 0]],
    check: [EAX, ECX],
  },
  {
    name: 'fault-flags',
    what: 'flags read after a store that may fault: stored on the store\'s fault path, not before it',
    // sub ecx,1; mov [edi],eax; setb al; int 0x80
    code: '83e901 8907 0f92c0 cd80',
    regs: [[EAX, 0x11223344], [ECX, 0], [EDI, DATA]],
    check: [EAX, ECX],
  },
  {
    name: 'handler',
    what: 'an instruction left to its handler: flags stored, registers written back and reloaded around it',
    // add eax,ebx; cpuid; int 0x80
    code: '01d8 0fa2 cd80',
    regs: [[EAX, 0], [EBX, 0]],
    check: [EAX, EBX, ECX],
  },
  {
    name: 'shift-flags',
    what: 'a shift of a register between a flag-setting instruction and a load: its flags and the xor\'s computed only where read (here nowhere: test overwrites them), none stored before the shift',
    // xor ecx,eax; shr eax,8; mov eax,[esi]; test eax,eax; int 0x80
    code: '31c1 c1e808 8b06 85c0 cd80',
    regs: [[EAX, 0x12345678], [ECX, 0x0f0f0f0f], [ESI, DATA]],
    data: '78563412',
    check: [EAX, ECX],
  },
  {
    name: 'x87',
    what: 'x87: loads and stores straight through slow() (no registers written back or reloaded around them), fmul of registers through the runtime\'s 80-bit arithmetic, slow() when that declines',
    // fld qword [esi]; fmul st0,st0; fstp qword [edi]; mov eax,[edi+4]; int 0x80
    code: 'dd06 d8c8 dd1f 8b4704 cd80',
    regs: [[ESI, DATA], [EDI, DATA + 8]],
    data: '000000000000f83f', // 1.5: the square's high half is 0x40020000
    check: [EAX],
  },
  {
    name: 'x87-moves',
    what: 'x87 register moves inline on the x87 state in the slot (fld1, fldz, fxch, fld st(i), fchs, fstp st(i)), the handler when the stack does not allow them',
    // fld1; fldz; fxch st(1); fld st(1); fchs; fstp st(1); fstp qword [edi]; mov eax,[edi+4]; int 0x80
    code: 'd9e8 d9ee d9c9 d9c1 d9e0 ddd9 dd1f 8b4704 cd80',
    regs: [[EDI, DATA + 8]],
    check: [EAX],
  },
  {
    name: 'x87-trans',
    what: 'x87: fld and fstp m80 copied inline through the TLB, fsqrt through the runtime\'s x87TransFn, the handler where it declines',
    // fld tbyte [esi]; fsqrt; fstp tbyte [edi]; mov eax,[edi+4]; int 0x80
    code: 'db2e d9fa db3f 8b4704 cd80',
    regs: [[ESI, DATA], [EDI, DATA + 16]],
    data: '00000000000000800140', // 4: the root's significand high half is 0x80000000
    check: [EAX],
  },
  {
    name: 'pc-thunk',
    what: 'a call of a PC thunk in another page (mov eax,[esp]; ret): under the epoch it was checked in, eax := the return address, esp as before, on at the return address; the call itself otherwise',
    // mov ecx,3; L: call T; dec ecx; jnz L; int 0x80 ... T (CODE + 0x1000): mov eax,[esp]; ret
    // (the last module made is the block at L: translated at its first run, after T's page was decoded)
    code: 'b903000000 e8f60f0000 49 75f8 cd80',
    far: '8b0424c3',
    regs: [[ESP, DATA + 0x800]],
    check: [EAX, ECX, ESP],
  },
  {
    name: 'simd',
    what: 'SSE inline: pshufb (a swizzle), pcmpeqb, pmovmskb; the xmm registers in v128 locals, loaded in the prologue and written back on the way out (and around a handler)',
    // pshufb xmm0,xmm1; pcmpeqb xmm0,xmm2; pmovmskb eax,xmm0; int 0x80
    code: '660f3800c1 660f74c2 660fd7c0 cd80',
    regs: [],
    check: [EAX],
  },
];

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

function machine(c: Case, jit: boolean): CPU {
  const m = new AddressSpace();
  m.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  m.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
  m.poke(CODE, hex(c.code));
  if (c.far) {
    m.map(CODE + 0x1000, 0x1000, PROT_READ | PROT_EXEC);
    m.poke(CODE + 0x1000, hex(c.far));
  }
  if (c.data) m.poke(DATA, hex(c.data));
  const cpu = new CPU(m);
  cpu.jitThreshold = jit ? 1 : 0;
  cpu.jitBackend = 'wasm';
  cpu.eip = CODE;
  for (const [r, v] of c.regs) cpu.regs[r] = v;
  return cpu;
}

/** The text of the last module made for the case's code, with table indices from 0. */
function translate(c: Case): { text: string; regs: number[]; icount: number } {
  let last: Block[] = [], thunks: ReadonlyMap<number, number> = new Map();
  translationHooks.module = (_bytes, blocks, t) => { last = [...blocks]; thunks = t; };
  try {
    const cpu = machine(c, true);
    const stop = cpu.run(100000);
    if (stop.kind !== 'syscall') throw new Error(`${c.name}: stopped with ${JSON.stringify(stop)}`);
    const mod = binaryen.readBinary(assemble(last, 0, undefined, 0, [], new Map(thunks)));
    const text = mod.emitText();
    mod.dispose();
    return { text, regs: c.check.map((r) => cpu.regs[r]!), icount: cpu.icount };
  } finally {
    translationHooks.module = null;
  }
}

for (const c of CASES) {
  test.serial(`translation of ${c.name}: ${c.what}`, (t) => {
    const got = translate(c);
    const ref = machine(c, false);
    t.is(ref.run(100000).kind, 'syscall');
    t.deepEqual(got.regs, c.check.map((r) => ref.regs[r]!), 'translated code computes what the interpreter does');
    t.is(got.icount, ref.icount, 'and retires as many instructions');
    const file = new URL(`${c.name}.wat`, dir);
    const head = `;; ${c.name}: ${c.what}\n;; code: ${c.code}\n`;
    if (process.env.EXPECT_UPDATE === '1') writeFileSync(file, head + got.text);
    t.is(head + got.text, readFileSync(file, 'utf8'));
  });
}
