// set_thread_area/get_thread_area and %gs loads: a no-libc program exercising Linux's TLS
// descriptor rules runs natively and under the CPU (with a test-local int 0x80 shim that
// serves the two calls through CPU.setThreadArea/getThreadArea); the outputs must agree.
import test from 'ava';
import { existsSync } from 'node:fs';
import { gccBuild, runNatively } from '../native.js';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AddressSpace, PROT_READ, PROT_WRITE, PROT_EXEC, PAGE_SIZE } from '../../src/cpu/memory.js';
import { CPU } from '../../src/cpu/cpu.js';
import { getUserDesc, putUserDesc } from '../../src/int80/proc.js';

const here = dirname(fileURLToPath(import.meta.url));
const src = [join(here, 'unit-tls-prog.c'), join(here, '../../../test/cpu/unit-tls-prog.c')].find((p) => existsSync(p))!;

/** The program built with gcc -m32 (recorded in test/native for hosts without it). */
const build = (): Uint8Array => gccBuild('unit-tls', src, (o) => ['-m32', '-O1', '-static', '-nostdlib', '-fno-pic', '-no-pie', '-fno-stack-protector', '-o', o, src]);

function load(mem: AddressSpace, img: Uint8Array): number {
  const dv = new DataView(img.buffer, img.byteOffset, img.byteLength);
  const phoff = dv.getUint32(28, true), phnum = dv.getUint16(44, true);
  for (let k = 0; k < phnum; k++) {
    const p = phoff + k * 32;
    if (dv.getUint32(p, true) !== 1) continue;
    const off = dv.getUint32(p + 4, true), vaddr = dv.getUint32(p + 8, true);
    const filesz = dv.getUint32(p + 16, true), memsz = dv.getUint32(p + 20, true), flags = dv.getUint32(p + 24, true);
    const start = vaddr & ~(PAGE_SIZE - 1);
    mem.map(start, vaddr + memsz - start, (flags & 4 ? PROT_READ : 0) | (flags & 2 ? PROT_WRITE : 0) | (flags & 1 ? PROT_EXEC : 0));
    mem.poke(vaddr, img.subarray(off, off + filesz));
  }
  return dv.getUint32(24, true);
}

test('TLS descriptors and gs loads behave as on Linux', (t) => {
  const bin = build();
  const native = runNatively('unit-tls', bin);
  t.is(native.status, 0);
  const mem = new AddressSpace();
  const entry = load(mem, bin);
  mem.map(0xbf000000, 0x10000, PROT_READ | PROT_WRITE);
  const cpu = new CPU(mem);
  cpu.regs[4] = 0xbf010000 - 16;
  cpu.eip = entry;
  let out = '';
  for (let n = 0; n < 100; n++) {
    const stop = cpu.run(1_000_000);
    if (stop.kind !== 'syscall') { t.fail(JSON.stringify(stop)); return; }
    const nr = cpu.regs[0], b = cpu.regs[3];
    if (nr === 1) break;
    if (nr === 4) { out += Buffer.from(mem.readBytes(cpu.regs[1], cpu.regs[2])).toString('latin1'); cpu.regs[0] = cpu.regs[2]; continue; }
    if (nr === 243) {
      const d = getUserDesc(mem, b);
      if (typeof d === 'number') { t.fail(`user_desc at ${b}: ${d}`); return; }
      const r = cpu.setThreadArea(d);
      if (r === 0) mem.write32(b, d.entry_number);
      cpu.regs[0] = r;
    } else if (nr === 244) {
      const d = cpu.getThreadArea(mem.read32(b));
      if (typeof d === 'number') cpu.regs[0] = d;
      else cpu.regs[0] = putUserDesc(mem, b, d);
    } else cpu.regs[0] = -38;
  }
  t.is(out, native.stdout);
  t.is(cpu.segs[5], 0x63);
  // a cleared slot cannot be loaded
  const tmp = 0xbf000000;
  mem.writeBytes(tmp, Uint8Array.of(0xb8, 0x6b, 0, 0, 0, 0x8e, 0xe8)); // mov eax, 0x6b; mov gs, eax
  mem.protect(tmp, 0x1000, PROT_READ | PROT_EXEC);
  cpu.setThreadArea({ entry_number: 13, base_addr: 0, limit: 0, seg_32bit: 0, contents: 0, read_exec_only: 1, limit_in_pages: 0, seg_not_present: 1, useable: 0 });
  cpu.eip = tmp;
  t.like(cpu.run(10), { kind: 'fault', signo: 11, code: 0x80, trapno: 13, errorCode: 0x68 });
});
