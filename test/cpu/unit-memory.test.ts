// Guest address space: permissions and fault reporting (against the real CPU), page-crossing
// accesses, self-modifying code, code invalidation on unmap/protect, fork copies.
import test from 'ava';
import { compare, type Case } from './unit-harness.js';
import { AddressSpace, GuestFault, PROT_READ, PROT_WRITE, PROT_EXEC } from '../../src/cpu/memory.js';
import { CPU } from '../../src/cpu/cpu.js';

const h2 = (n: number) => (n & 0xff).toString(16).padStart(2, '0');
const le32 = (v: number) => [0, 8, 16, 24].map((s) => h2(v >>> s)).join('');
const DATA = 0x10100000, CODE = 0x10000000;

test('protection faults: codes, addresses and error codes match the real CPU', (t) => {
  const cases: Case[] = [];
  for (const prot of [0, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC]) {
    for (const code of [
      `a1${le32(DATA + 8)}`, `a3${le32(DATA + 8)}`, `ff05${le32(DATA + 8)}`, `f0ff05${le32(DATA + 8)}`, `0fc705${le32(DATA)}`,
      `b8${le32(DATA)}ffe0`, `8b05${le32(DATA - 2)}`, `8905${le32(DATA + 0xffe)}`, `c605${le32(DATA + 0xfff)}01`,
      `be${le32(DATA)}bf${le32(DATA + 0x100)}b904000000f3a5`, `bf${le32(DATA)}b910000000f3ab`,
      `0fa305${le32(DATA)}`, `0fab05${le32(DATA)}`, `8705${le32(DATA)}`, `0fb105${le32(DATA)}`,
    ]) cases.push({ code, dataProt: prot, data: '11223344556677889900aabbccddeeff', regs: [0x12345678, 1, 2, 3] });
  }
  const bad = compare(cases).filter(Boolean);
  t.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${cases.length} cases differ`);
});

function fault(fn: () => void): GuestFault {
  try {
    fn();
  } catch (e) {
    if (e instanceof GuestFault) return e;
    throw e;
  }
  throw new Error('no fault');
}

test('page-crossing accesses and checked copies', (t) => {
  const m = new AddressSpace();
  m.map(0x1000, 0x2000, PROT_READ | PROT_WRITE);
  m.write32(0x1ffe, 0x11223344);
  t.is(m.read32(0x1ffe), 0x11223344);
  t.is(m.read16(0x1fff), 0x2233);
  t.is(m.read8(0x2000), 0x22);
  m.writeBytes(0x1ff0, Uint8Array.from({ length: 32 }, (_, k) => k));
  t.deepEqual(Array.from(m.readBytes(0x1ffc, 8)), [12, 13, 14, 15, 16, 17, 18, 19]);
  const e = fault(() => m.write32(0x2ffe, 1));
  t.is(e.addr, 0x3000);
  t.is(m.read16(0x2ffe), 0); // nothing written before the fault
  fault(() => m.writeBytes(0x2ff0, new Uint8Array(32)));
  t.is(m.read8(0x2ff0), 0);
  m.protect(0x2000, 0x1000, PROT_READ);
  const f = fault(() => m.write8(0x2000, 1));
  t.true(f.present && f.write);
  t.is(f.errorCode, 7);
  m.unmap(0x1000, 0x1000);
  t.false(m.isMapped(0x1000, 1));
  t.true(m.isMapped(0x2000, 0x1000, PROT_READ));
  t.false(m.isMapped(0x2000, 0x1000, PROT_WRITE));
});

test('fork copies are independent', (t) => {
  const m = new AddressSpace();
  m.map(0x5000, 0x1000, PROT_READ | PROT_WRITE);
  m.write32(0x5000, 42);
  const c = m.clone();
  c.write32(0x5000, 7);
  t.is(m.read32(0x5000), 42);
  t.is(c.read32(0x5000), 7);
  m.map(0x9000, 0x1000, PROT_READ);
  t.false(c.isMapped(0x9000, 1));
});

function runCode(bytes: number[], setup?: (m: AddressSpace) => void): { cpu: CPU; mem: AddressSpace } {
  const mem = new AddressSpace();
  mem.map(CODE, 0x2000, PROT_READ | PROT_WRITE | PROT_EXEC);
  mem.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
  mem.writeBytes(CODE, Uint8Array.from(bytes));
  setup?.(mem);
  const cpu = new CPU(mem);
  cpu.regs[4] = DATA + 0x800;
  cpu.eip = CODE;
  return { cpu, mem };
}

test('self-modifying code: a store into the next instruction takes effect', (t) => {
  // mov byte [CODE+16], 0x43 (inc ebx replaces the nop); loop twice through it
  const code = [0xb9, 2, 0, 0, 0, 0xc6, 0x05, ...[16, 0, 0, 0x10], 0x43, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x40, 0x49, 0x75, 0xef, 0xcd, 0x80];
  const { cpu } = runCode(code);
  // first pass: the store lands before the instruction at +16 is reached
  const stop = cpu.run(1000);
  t.is(stop.kind, 'syscall');
  t.is(cpu.regs[3], 2); // inc ebx ran on both passes
  t.is(cpu.regs[0], 2);
});

test('code is re-decoded after unmap/map and a protect without exec faults on fetch', (t) => {
  const { cpu, mem } = runCode([0x40, 0xcd, 0x80]);
  t.is(cpu.run(100).kind, 'syscall');
  t.is(cpu.regs[0], 1);
  mem.unmap(CODE, 0x1000);
  mem.map(CODE, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
  mem.writeBytes(CODE, Uint8Array.of(0x48, 0x48, 0xcd, 0x80));
  cpu.eip = CODE;
  t.is(cpu.run(100).kind, 'syscall');
  t.is(cpu.regs[0], -1);
  mem.protect(CODE, 0x1000, PROT_READ);
  cpu.eip = CODE;
  const s = cpu.run(100);
  t.like(s, { kind: 'fault', signo: 11, code: 2, addr: CODE, trapno: 14, errorCode: 0x15 });
  t.is(cpu.eip, CODE);
  // an instruction that straddles into a non-executable page
  mem.protect(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.protect(CODE + 0x1000, 0x1000, PROT_READ | PROT_WRITE);
  mem.poke(CODE + 0xffe, Uint8Array.of(0xb8, 1)); // mov eax, imm32 continues on the next page
  cpu.eip = CODE + 0xffe;
  t.like(cpu.run(100), { kind: 'fault', signo: 11, code: 2, addr: CODE + 0x1000 });
  t.is(cpu.eip, CODE + 0xffe);
});

test('writes into the page that holds a straddling instruction drop it', (t) => {
  const { cpu, mem } = runCode([]);
  mem.writeBytes(CODE + 0xffe, Uint8Array.of(0xb8, 1, 0, 0, 0, 0xcd, 0x80)); // mov eax, 1; int 0x80
  cpu.eip = CODE + 0xffe;
  t.is(cpu.run(10).kind, 'syscall');
  t.is(cpu.regs[0], 1);
  mem.write8(CODE + 0x1001, 2); // patch the immediate's high byte on the second page
  cpu.eip = CODE + 0xffe;
  t.is(cpu.run(10).kind, 'syscall');
  t.is(cpu.regs[0], 0x00020001);
});

test('decoded code is shared by address spaces holding the same bytes, and only by them', (t) => {
  const prog = [0xb8, 7, 0, 0, 0, 0xcd, 0x80]; // mov eax, 7; int 0x80
  const a = runCode(prog), b = runCode(prog), c = runCode([0xb8, 8, 0, 0, 0, 0xcd, 0x80]);
  for (const x of [a, b, c]) t.is(x.cpu.run(10).kind, 'syscall');
  t.deepEqual([a.cpu.regs[0], b.cpu.regs[0], c.cpu.regs[0]], [7, 7, 8]);
  const page = (m: AddressSpace) => m.codePage(CODE >>> 12, CODE);
  t.is(page(a.mem), page(b.mem));
  t.not(page(a.mem), page(c.mem));
  // a write detaches the page from the writer only
  a.mem.write8(CODE + 1, 9);
  a.cpu.eip = b.cpu.eip = CODE;
  t.is(a.cpu.run(10).kind, 'syscall');
  t.is(b.cpu.run(10).kind, 'syscall');
  t.deepEqual([a.cpu.regs[0], b.cpu.regs[0]], [9, 7]);
  // MAP_SHARED pages keep their code private
  const s1 = new AddressSpace(), s2 = new AddressSpace();
  for (const m of [s1, s2]) {
    m.mapShared(CODE, 0x1000, PROT_READ | PROT_EXEC, [Uint8Array.from([...prog, ...new Array(0x1000 - prog.length).fill(0)])]);
  }
  t.not(page(s1), page(s2));
});

test('fork shares decoded code until one side writes it', (t) => {
  const { cpu, mem } = runCode([0xb8, 1, 0, 0, 0, 0xcd, 0x80]);
  t.is(cpu.run(10).kind, 'syscall');
  const child = mem.clone(), ccpu = cpu.clone(child);
  t.is(child.codePage(CODE >>> 12, CODE), mem.codePage(CODE >>> 12, CODE));
  child.write8(CODE + 1, 2);
  cpu.eip = ccpu.eip = CODE;
  t.is(cpu.run(10).kind, 'syscall');
  t.is(ccpu.run(10).kind, 'syscall');
  t.deepEqual([cpu.regs[0], ccpu.regs[0]], [1, 2]);
});

test('a cached link into a page whose code changed since the last run is not followed', (t) => {
  // jmp to the next page, where mov eax, 1; int 0x80 is replaced by mov eax, 2 between runs
  const { cpu, mem } = runCode([0xe9, ...[0xfb, 0x0f, 0, 0]]);
  mem.writeBytes(CODE + 0x1000, Uint8Array.of(0xb8, 1, 0, 0, 0, 0xcd, 0x80));
  t.is(cpu.run(10).kind, 'syscall');
  t.is(cpu.regs[0], 1);
  mem.writeBytes(CODE + 0x1000, Uint8Array.of(0xb8, 2, 0, 0, 0, 0xcd, 0x80));
  cpu.eip = CODE;
  t.is(cpu.run(10).kind, 'syscall');
  t.is(cpu.regs[0], 2);
});
