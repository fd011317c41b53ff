#!/usr/bin/env node
// The WebAssembly the translator makes for the block at an address, as text (binaryen's), for
// looking at generated code: runs a no-libc i386 program (write and exit only, as bench/cpu.ts
// does) in the CPU alone and prints the first module holding a block that starts at EIP.
//   npx tsc -p . && node scripts/wasm-dump.mjs rootfs/bin/cpubench 80498f0 int 1
import { readFileSync } from 'node:fs';
import binaryen from 'binaryen';

const [bin, at, ...args] = process.argv.slice(2);
if (!bin || !at) {
  console.error('usage: node scripts/wasm-dump.mjs PROGRAM EIP(hex) [ARGS...]');
  process.exit(2);
}
const dist = new URL('../dist/src/cpu/', import.meta.url);
const { AddressSpace } = await import(new URL('memory.js', dist).href);
const { CPU, EAX, EDX, ESP } = await import(new URL('cpu.js', dist).href);
const { translationHooks } = await import(new URL('wasm-run.js', dist).href);
const { assemble } = await import(new URL('wasm.js', dist).href);
const { loadElf } = await import(new URL('../int80/elf.js', dist).href);

const want = parseInt(at, 16) >>> 0;
let done = false;
translationHooks.module = (_bytes, blocks, thunks) => {
  if (done || !blocks.some((b) => b.eip >>> 0 === want)) return;
  done = true;
  console.log(`;; blocks ${blocks.map((b) => `${(b.eip >>> 0).toString(16)}:${b.insns.length}`).join(' ')}`);
  // table indices from 0, as the expected-output tests print them
  const m = binaryen.readBinary(assemble([...blocks], 0, undefined, 0, [], new Map(thunks)));
  console.log(m.emitText());
  m.dispose();
};
const mem = new AddressSpace();
const img = loadElf(mem, new Uint8Array(readFileSync(bin)), { argv: [bin, ...args], envp: [], random: new Uint8Array(16) });
const cpu = new CPU(mem);
cpu.regs[ESP] = img.sp;
cpu.eip = img.entry;
while (!done) {
  const s = cpu.run(1 << 22);
  if (s.kind === 'budget') continue;
  if (s.kind !== 'syscall') break;
  const nr = cpu.regs[EAX];
  if (nr === 1 || nr === 252) break;
  cpu.regs[EAX] = nr === 4 ? cpu.regs[EDX] : -38; // write: all of it; anything else: ENOSYS
}
if (!done) {
  console.error(`no block at 0x${want.toString(16)} was translated`);
  process.exit(1);
}
