// Smoke test: a small no-libc i386 program (sieve, sort, crc32, 64-bit division through libgcc)
// built with gcc -m32 -nostdlib -static, run natively and under the interpreter; its output
// and exit status must agree. The ELF loading and the int 0x80 handling here are test-local.
import test from 'ava';
import { existsSync } from 'node:fs';
import { gccBuild, runNatively } from '../native.js';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AddressSpace, PROT_READ, PROT_WRITE, PROT_EXEC, PAGE_SIZE } from '../../src/cpu/memory.js';
import { CPU } from '../../src/cpu/cpu.js';

const here = dirname(fileURLToPath(import.meta.url));
const src = [join(here, 'unit-smoke-prog.c'), join(here, '../../../test/cpu/unit-smoke-prog.c')].find((p) => existsSync(p))!;

/** The program built with gcc -m32 (recorded in test/native for hosts without it). */
const build = (): Uint8Array => gccBuild('unit-smoke', src, (o) => ['-m32', '-O2', '-static', '-nostdlib', '-fno-pic', '-no-pie', '-fno-stack-protector', '-o', o, src, '-lgcc']);

/** Map the PT_LOAD segments of a static ELF32 executable; returns the entry point. */
function load(mem: AddressSpace, img: Uint8Array): number {
  const dv = new DataView(img.buffer, img.byteOffset, img.byteLength);
  const phoff = dv.getUint32(28, true), phentsize = dv.getUint16(42, true), phnum = dv.getUint16(44, true);
  for (let k = 0; k < phnum; k++) {
    const p = phoff + k * phentsize;
    if (dv.getUint32(p, true) !== 1) continue;
    const off = dv.getUint32(p + 4, true), vaddr = dv.getUint32(p + 8, true);
    const filesz = dv.getUint32(p + 16, true), memsz = dv.getUint32(p + 20, true), flags = dv.getUint32(p + 24, true);
    const start = vaddr & ~(PAGE_SIZE - 1);
    const prot = (flags & 4 ? PROT_READ : 0) | (flags & 2 ? PROT_WRITE : 0) | (flags & 1 ? PROT_EXEC : 0);
    mem.map(start, vaddr + memsz - start, prot);
    mem.poke(vaddr, img.subarray(off, off + filesz));
  }
  return dv.getUint32(24, true);
}

test('a real i386 program gives the same output and exit status as on the CPU', (t) => {
  const bin = build();
  const native = runNatively('unit-smoke', bin);
  const mem = new AddressSpace();
  const entry = load(mem, bin);
  mem.map(0xbf000000, 0x100000, PROT_READ | PROT_WRITE);
  const cpu = new CPU(mem);
  cpu.regs[4] = 0xbf100000 - 16;
  cpu.eip = entry;
  let out = '';
  let status = -1;
  for (let rounds = 0; rounds < 10000 && status < 0; rounds++) {
    const stop = cpu.run(1_000_000);
    if (stop.kind === 'budget') continue;
    if (stop.kind !== 'syscall') { t.fail(`unexpected stop ${JSON.stringify(stop)} at ${cpu.eip.toString(16)}`); return; }
    const [eax, , ecx, edx, ebx] = [cpu.regs[0], 0, cpu.regs[1], cpu.regs[2], cpu.regs[3]];
    if (eax === 4) { out += Buffer.from(mem.readBytes(ecx, edx)).toString('latin1'); cpu.regs[0] = edx; }
    else if (eax === 1 || eax === 252) status = ebx & 0xff;
    else cpu.regs[0] = -38;
  }
  t.is(out, native.stdout);
  t.is(status, native.status ?? -2);
  t.true(cpu.icount > 1_000_000);
});
