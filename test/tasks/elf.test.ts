// ELF loader: rejection of bad files with Linux's errnos, segment mapping, bss,
// PT_INTERP, PT_GNU_STACK and the initial stack layout. Running the loaded programs
// (auxv-dump and friends, compared with native runs) is in program.test.ts.
import test from 'ava';
import { E } from '../../src/uapi/errno.js';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/cpu/memory.js';
import {
  ElfError, LoadOptions, PF_R, PF_W, PF_X, PT_GNU_STACK, PT_INTERP,
  PT_LOAD, loadElf, parseElf,
} from '../../src/int80/elf.js';
import {
  AT_BASE, AT_CLKTCK, AT_EGID, AT_ENTRY, AT_EUID, AT_EXECFN, AT_FLAGS, AT_GID, AT_HWCAP, AT_HWCAP2,
  AT_MINSIGSTKSZ, AT_PAGESZ, AT_PHDR, AT_PHENT, AT_PHNUM, AT_PLATFORM, AT_RANDOM, AT_SECURE, AT_UID,
} from '../../src/int80/auxv.js';

const { E2BIG, EINVAL, ELIBBAD, ENOENT, ENOEXEC, ENOMEM }: Record<string, number> = E;

const root = new URL('../../../', import.meta.url);
const bin = (name: string) => new Uint8Array(readFileSync(new URL(`rootfs/bin/${name}`, root)));
const RANDOM = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const opts = (extra: Partial<LoadOptions> = {}): LoadOptions => ({
  argv: ['prog', 'arg1'], envp: ['A=1'], random: RANDOM, ...extra,
});

function u32(b: Uint8Array, off: number): number {
  return new DataView(b.buffer, b.byteOffset).getUint32(off, true);
}

function mappedPages(mem: AddressSpace): number {
  return mem.usage().mapped;
}

/** Expect an ElfError with the given errno, and nothing mapped. */
function rejects(t: import('ava').ExecutionContext, file: Uint8Array, errno: number, extra: Partial<LoadOptions> = {}, mem = new AddressSpace()) {
  const err = t.throws(() => loadElf(mem, file, opts(extra)), { instanceOf: ElfError });
  t.is(err?.errno, errno, err?.message);
  t.is(mappedPages(mem), 0, 'nothing mapped for a rejected file');
  return err;
}

// ---- a small ELF writer for crafted files ----------------------------------------------

// raw: the segment describes bytes already in the file (data only gives the size)
interface Seg { type: number; vaddr: number; flags: number; data: Uint8Array; memsz?: number; offset?: number; align?: number; raw?: boolean }
interface Img { type?: number; machine?: number; cls?: number; dataEnc?: number; entry?: number; segs: Seg[]; phentsize?: number }

function makeElf(img: Img): Uint8Array {
  const phoff = 52;
  let off = phoff + img.segs.length * 32;
  const placed = img.segs.map((s) => {
    let o = s.offset;
    if (o === undefined) {
      // keep file offset and address congruent modulo the page size
      o = off + ((s.vaddr - off) & 0xfff);
      off = o + s.data.length;
    }
    return o;
  });
  const size = Math.max(off, ...img.segs.map((s, i) => placed[i] + s.data.length));
  const f = new Uint8Array(size);
  const dv = new DataView(f.buffer);
  f.set([0x7f, 0x45, 0x4c, 0x46, img.cls ?? 1, img.dataEnc ?? 1, 1, 0]);
  dv.setUint16(16, img.type ?? 2, true);
  dv.setUint16(18, img.machine ?? 3, true);
  dv.setUint32(20, 1, true);
  dv.setUint32(24, img.entry ?? 0, true);
  dv.setUint32(28, phoff, true);
  dv.setUint16(40, 52, true);
  dv.setUint16(42, img.phentsize ?? 32, true);
  dv.setUint16(44, img.segs.length, true);
  img.segs.forEach((s, i) => {
    const p = phoff + i * 32;
    dv.setUint32(p, s.type, true);
    dv.setUint32(p + 4, placed[i], true);
    dv.setUint32(p + 8, s.vaddr, true);
    dv.setUint32(p + 12, s.vaddr, true);
    dv.setUint32(p + 16, s.data.length, true);
    dv.setUint32(p + 20, s.memsz ?? s.data.length, true);
    dv.setUint32(p + 24, s.flags, true);
    dv.setUint32(p + 28, s.align ?? 0x1000, true);
    if (!s.raw) f.set(s.data, placed[i]);
  });
  return f;
}

const code = (n: number, fill = 0x90) => new Uint8Array(n).fill(fill);
const cstr = (s: string) => new TextEncoder().encode(s + '\0');
const simple = (extra: Partial<Img> = {}, segs: Seg[] = []): Uint8Array => makeElf({
  entry: 0x8049000,
  segs: [
    { type: PT_LOAD, vaddr: 0x8049000, flags: PF_R | PF_X, data: code(0x100) },
    { type: PT_GNU_STACK, vaddr: 0, flags: PF_R | PF_W, data: new Uint8Array(0), align: 16 },
    ...segs,
  ],
  ...extra,
});

// ---- rejected files ----------------------------------------------------------------------

test('non-ELF files are ENOEXEC', (t) => {
  rejects(t, new Uint8Array(0), ENOEXEC);
  rejects(t, new TextEncoder().encode('#!/bin/sh\necho hi\n'), ENOEXEC);
  rejects(t, new TextEncoder().encode('\x7fEL'), ENOEXEC);
  const err = rejects(t, new TextEncoder().encode('MZ\x90\x00'), ENOEXEC);
  t.regex(err!.message, /not an ELF file/);
});

test('random garbage never gets further than an ElfError', (t) => {
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
  const mem = new AddressSpace();
  for (let i = 0; i < 300; i++) {
    const f = Uint8Array.from({ length: (i * 37) % 700 }, rnd);
    // half of them with a valid magic and i386 header fields so later checks run
    if (i % 2 && f.length >= 52) {
      f.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
      f[16] = 2; f[17] = 0; f[18] = 3; f[19] = 0; f[42] = 32; f[43] = 0; f[45] = 0;
    }
    const err = t.throws(() => loadElf(mem, f, opts()), { instanceOf: ElfError }, `case ${i}`);
    t.true(err !== undefined && [ENOEXEC, EINVAL].includes(err.errno), `case ${i}: ${err?.errno} ${err?.message}`);
  }
  t.is(mappedPages(mem), 0);
});

test('a real program truncated at every header boundary is ENOEXEC', (t) => {
  const file = bin('linux_echo');
  const { ehdr, phdrs } = parseElf(file);
  const cuts = new Set<number>();
  // every length through the ELF header and the program header table
  for (let n = 0; n <= ehdr.e_phoff + ehdr.e_phnum * 32 - 1; n++) cuts.add(n);
  // and one byte short of the end of each segment's file data
  for (const p of phdrs) if (p.p_type === PT_LOAD && p.p_filesz) cuts.add(p.p_offset + p.p_filesz - 1);
  const mem = new AddressSpace();
  for (const n of cuts) {
    const err = t.throws(() => loadElf(mem, file.slice(0, n), opts()), { instanceOf: ElfError }, `cut at ${n}`);
    t.is(err?.errno, ENOEXEC, `cut at ${n}: ${err?.message}`);
  }
  t.is(mappedPages(mem), 0);
});

test('x86-64 and ARM binaries are ENOEXEC with the architecture named', (t) => {
  // ELF64 header of an x86-64 executable: class 2, machine 62
  const x64 = new Uint8Array(64 + 56);
  x64.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  const dv = new DataView(x64.buffer);
  dv.setUint16(16, 2, true);
  dv.setUint16(18, 62, true);
  dv.setUint32(20, 1, true);
  dv.setBigUint64(32, 64n, true); // e_phoff
  dv.setUint16(52, 64, true);
  dv.setUint16(54, 56, true);
  dv.setUint16(56, 1, true);
  t.regex(rejects(t, x64, ENOEXEC)!.message, /x86-64/);
  // a real one: the head of the running node executable (x86-64 or another 64-bit ELF)
  const head = new Uint8Array(4096);
  const fd = openSync(process.execPath, 'r');
  readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  t.regex(rejects(t, head, ENOEXEC)!.message, /x86-64|AArch64|not i386/);
  // ELF32 ARM executable: otherwise well formed
  const arm = simple({ machine: 40 });
  t.regex(rejects(t, arm, ENOEXEC)!.message, /ARM/);
  t.regex(rejects(t, simple({ machine: 183 }), ENOEXEC)!.message, /AArch64/);
});

test('wrong class, byte order or type is ENOEXEC', (t) => {
  t.regex(rejects(t, simple({ cls: 2 }), ENOEXEC)!.message, /not 32-bit/);
  t.regex(rejects(t, simple({ dataEnc: 2 }), ENOEXEC)!.message, /little-endian/);
  // a big-endian i386 header stores the machine as 00 03
  const be = simple();
  be[5] = 2; be[18] = 0; be[19] = 3;
  rejects(t, be, ENOEXEC);
  for (const type of [0, 1, 4, 0xfe00]) rejects(t, simple({ type }), ENOEXEC);
  t.notThrows(() => loadElf(new AddressSpace(), simple({ machine: 6 }), opts()), 'EM_486 is accepted as Linux does');
});

test('bad program header tables are ENOEXEC', (t) => {
  rejects(t, simple({ phentsize: 40 }), ENOEXEC);
  const none = simple();
  none[44] = 0; none[45] = 0;
  rejects(t, none, ENOEXEC);
  // 129 entries exceed one page of headers: rejected before reading them
  const many = new Uint8Array(52 + 129 * 32);
  many.set(simple().subarray(0, 52));
  new DataView(many.buffer).setUint16(44, 129, true);
  t.regex(rejects(t, many, ENOEXEC)!.message, /program header count/);
  // offsets that wrap around 32 bits
  for (const phoff of [0xffffffff, 0xffffffe0, 0x80000000]) {
    const f = simple();
    new DataView(f.buffer).setUint32(28, phoff, true);
    rejects(t, f, ENOEXEC);
  }
});

test('segments that do not fit are EINVAL, data past the file end ENOEXEC', (t) => {
  const seg = (over: Partial<Seg>) => simple({}, [{ type: PT_LOAD, vaddr: 0x804b000, flags: PF_R | PF_W, data: code(16), ...over }]);
  rejects(t, seg({ memsz: 8 }), EINVAL); // p_filesz > p_memsz
  rejects(t, seg({ vaddr: 0xbffff000, memsz: 0x2000 }), EINVAL); // past TASK_SIZE
  rejects(t, seg({ vaddr: 0xfffff000, memsz: 0x2000 }), EINVAL); // wraps
  const withOffset = (off: number) => {
    const f = seg({});
    new DataView(f.buffer).setUint32(52 + 2 * 32 + 4, off, true);
    return f;
  };
  rejects(t, withOffset(0x7fffff00), EINVAL); // not congruent with vaddr: mmap refuses
  rejects(t, withOffset(0x7ffff000), ENOEXEC); // congruent, beyond the file
  rejects(t, withOffset(0xfffff000), ENOEXEC); // offset + size wraps
  const f = seg({});
  new DataView(f.buffer).setUint32(52 + 2 * 32 + 16, 0xffffffff, true); // filesz overflow
  new DataView(f.buffer).setUint32(52 + 2 * 32 + 20, 0xffffffff, true);
  rejects(t, f, EINVAL);
  const noLoad = makeElf({ entry: 0, segs: [{ type: PT_GNU_STACK, vaddr: 0, flags: PF_R | PF_W, data: new Uint8Array(0) }] });
  rejects(t, noLoad, EINVAL);
});

// ---- loading -----------------------------------------------------------------------------

test('linux_echo: segments, permissions, bss, brk, entry', (t) => {
  const file = bin('linux_echo');
  const { ehdr, phdrs } = parseElf(file);
  const mem = new AddressSpace();
  const img = loadElf(mem, file, opts());
  t.is(img.entry, ehdr.e_entry);
  t.is(img.loadBias, 0);
  t.is(img.interp, null);
  t.false(img.execStack);
  t.false(img.readImpliesExec);
  let end = 0;
  for (const p of phdrs.filter((p) => p.p_type === PT_LOAD)) {
    t.deepEqual(mem.readBytes(p.p_vaddr, p.p_filesz), file.subarray(p.p_offset, p.p_offset + p.p_filesz));
    const want = (p.p_flags & PF_R ? PROT_READ : 0) | (p.p_flags & PF_W ? PROT_WRITE : 0) | (p.p_flags & PF_X ? PROT_EXEC : 0);
    t.is(mem.protOf(p.p_vaddr), want, `prot of segment at 0x${p.p_vaddr.toString(16)}`);
    if (p.p_memsz > p.p_filesz) t.true(mem.readBytes(p.p_vaddr + p.p_filesz, p.p_memsz - p.p_filesz).every((b) => b === 0));
    end = Math.max(end, p.p_vaddr + p.p_memsz);
  }
  t.is(img.brk, Math.ceil(end / 4096) * 4096);
  t.is(mem.protOf(img.brk), -1, 'nothing mapped at brk');
});

test('static glibc and busybox binaries load with every segment in place', (t) => {
  for (const name of ['hello', 'busybox', 'cpubench', 'auxv-dump']) {
    const file = bin(name);
    const { ehdr, phdrs } = parseElf(file);
    const mem = new AddressSpace();
    const img = loadElf(mem, file, opts());
    t.is(img.entry, ehdr.e_entry, name);
    for (const p of phdrs.filter((p) => p.p_type === PT_LOAD)) {
      t.deepEqual(mem.readBytes(p.p_vaddr, p.p_filesz), file.subarray(p.p_offset, p.p_offset + p.p_filesz), `${name} 0x${p.p_vaddr.toString(16)}`);
      t.true(mem.readBytes(p.p_vaddr + p.p_filesz, p.p_memsz - p.p_filesz).every((b) => b === 0), `${name} bss`);
    }
    t.false(img.execStack, `${name}: PT_GNU_STACK without X`);
  }
});

test('initial stack: argc, argv, envp, auxv order and values, strings, alignment', (t) => {
  const file = bin('linux_echo');
  const { ehdr } = parseElf(file);
  const mem = new AddressSpace();
  const img = loadElf(mem, file, opts({
    argv: ['/bin/linux_echo', 'a', ''], envp: ['HOME=/', 'X=y'], execfn: '/bin/linux_echo',
    uid: 1000, euid: 1001, gid: 100, egid: 101, hwcap: 0x8111, stackTop: 0xc0000000,
  }));
  const sp = img.sp;
  t.is(sp % 16, 0);
  const rd = (a: number) => mem.read32(a) >>> 0;
  const str = (a: number) => new TextDecoder().decode(mem.readCString(a));
  t.is(rd(sp), 3);
  t.deepEqual([str(rd(sp + 4)), str(rd(sp + 8)), str(rd(sp + 12))], ['/bin/linux_echo', 'a', '']);
  t.is(rd(sp + 16), 0);
  t.deepEqual([str(rd(sp + 20)), str(rd(sp + 24))], ['HOME=/', 'X=y']);
  t.is(rd(sp + 28), 0);
  const aux: [number, number][] = [];
  for (let a = sp + 32; ; a += 8) {
    aux.push([rd(a), rd(a + 4)]);
    if (rd(a) === 0) break;
  }
  const text = ehdr.e_phoff + 0x8048000; // first PT_LOAD of a -no-pie i386 link maps the headers
  t.deepEqual(aux.map(([k]) => k), [AT_MINSIGSTKSZ, AT_HWCAP, AT_PAGESZ, AT_CLKTCK, AT_PHDR, AT_PHENT, AT_PHNUM,
    AT_BASE, AT_FLAGS, AT_ENTRY, AT_UID, AT_EUID, AT_GID, AT_EGID, AT_SECURE, AT_RANDOM, AT_HWCAP2, AT_EXECFN,
    AT_PLATFORM, 0]);
  const v = new Map(aux);
  t.is(v.get(AT_HWCAP), 0x8111);
  t.is(v.get(AT_PAGESZ), 4096);
  t.is(v.get(AT_CLKTCK), 100);
  t.is(v.get(AT_PHDR), text);
  t.is(v.get(AT_PHENT), 32);
  t.is(v.get(AT_PHNUM), ehdr.e_phnum);
  t.is(v.get(AT_BASE), 0);
  t.is(v.get(AT_FLAGS), 0);
  t.is(v.get(AT_ENTRY), ehdr.e_entry);
  t.deepEqual([v.get(AT_UID), v.get(AT_EUID), v.get(AT_GID), v.get(AT_EGID), v.get(AT_SECURE)], [1000, 1001, 100, 101, 0]);
  t.deepEqual(mem.readBytes(v.get(AT_RANDOM)!, 16), RANDOM);
  t.is(str(v.get(AT_PLATFORM)!), 'i686');
  t.is(str(v.get(AT_EXECFN)!), '/bin/linux_echo');
  // strings packed up to the top: argv, envp, execfn, then 4 zero bytes at 0xc0000000
  t.is(rd(sp + 4), img.stack.argStart);
  t.is(v.get(AT_EXECFN)! + '/bin/linux_echo'.length + 1 + 4, 0xc0000000);
  t.is(rd(0xc0000000 - 4), 0);
  t.is(str(rd(sp + 20) - 'a\0\0'.length - '/bin/linux_echo'.length - 1), '/bin/linux_echo');
  // platform string right below the 16-aligned start of the strings, random below it
  t.is(v.get(AT_PLATFORM), ((img.stack.argStart & ~15) >>> 0) - 5);
  t.is(v.get(AT_RANDOM), ((img.stack.argStart & ~15) >>> 0) - 21);
  // sp is the highest 16-aligned address leaving room for the vectors
  const words = 1 + 4 + 3 + aux.length * 2;
  t.is(sp, ((v.get(AT_RANDOM)! - words * 4) & ~15) >>> 0);
  t.is(mem.protOf(sp), PROT_READ | PROT_WRITE, 'PT_GNU_STACK without X: stack not executable');
});

test('empty argv gets argv[0] = "" and a random stack offset moves only the vectors', (t) => {
  const mem = new AddressSpace();
  const img = loadElf(mem, bin('linux_echo'), opts({ argv: [], envp: [], execfn: '/x' }));
  t.is(mem.read32(img.sp), 1);
  t.is(mem.readCString(mem.read32(img.sp + 4)).length, 0);
  const mem2 = new AddressSpace();
  const img2 = loadElf(mem2, bin('linux_echo'), opts({ argv: [], envp: [], execfn: '/x', stackRandom: 1000 }));
  t.is(img2.stack.argStart, img.stack.argStart);
  t.is(img2.stack.platform, (((img.stack.argStart - 1000) & ~15) >>> 0) - 5);
  t.is(img2.sp % 16, 0);
});

test('argument strings longer than MAX_ARG_STRLEN are E2BIG', (t) => {
  rejects(t, bin('linux_echo'), E2BIG, { argv: ['x', 'y'.repeat(32 * 4096)] });
  t.notThrows(() => loadElf(new AddressSpace(), bin('linux_echo'), opts({ argv: ['x', 'y'.repeat(32 * 4096 - 1)] })));
});

test('bss: the file bytes after p_filesz are zeroed, further pages mapped anonymous', (t) => {
  const data = code(0x20, 0xee);
  // the file holds 0xee bytes after the segment's p_filesz (the next segment's data)
  const f = makeElf({
    entry: 0x8049000,
    segs: [
      { type: PT_LOAD, vaddr: 0x8049000, flags: PF_R | PF_X, data: code(0x40) },
      { type: PT_LOAD, vaddr: 0x804a100, flags: PF_R | PF_W, data: data.subarray(0, 0x10), memsz: 0x3000, offset: 0x100 },
      { type: PT_LOAD, vaddr: 0x8050110, flags: PF_R, data, offset: 0x110 },
      { type: PT_GNU_STACK, vaddr: 0, flags: PF_R | PF_W, data: new Uint8Array(0) },
    ],
  });
  const mem = new AddressSpace();
  const img = loadElf(mem, f, opts());
  t.deepEqual(Array.from(mem.readBytes(0x804a100, 0x10)), Array(0x10).fill(0xee));
  t.true(mem.readBytes(0x804a110, 0x3000 - 0x10).every((b) => b === 0), 'bss all zero');
  // the page of the file mapping keeps the file contents below the segment (as mmap does)
  t.is(mem.read8(0x804a000), f[0]);
  t.is(mem.protOf(0x804a000), PROT_READ | PROT_WRITE);
  t.is(mem.protOf(0x804c000), PROT_READ | PROT_WRITE);
  t.is(mem.protOf(0x804d000), PROT_READ | PROT_WRITE);
  t.is(mem.protOf(0x804e000), -1);
  t.is(mem.protOf(0x8050000), PROT_READ);
  t.is(img.brk, 0x8051000);
  t.is(img.endData, 0x8050130);
});

test('PT_GNU_STACK: X gives an executable stack, absence gives READ_IMPLIES_EXEC', (t) => {
  const withX = makeElf({ entry: 0x8049000, segs: [
    { type: PT_LOAD, vaddr: 0x8049000, flags: PF_R | PF_X, data: code(16) },
    { type: PT_LOAD, vaddr: 0x804a000, flags: PF_R | PF_W, data: code(16) },
    { type: PT_GNU_STACK, vaddr: 0, flags: PF_R | PF_W | PF_X, data: new Uint8Array(0) },
  ] });
  let mem = new AddressSpace();
  let img = loadElf(mem, withX, opts());
  t.true(img.execStack);
  t.false(img.readImpliesExec);
  t.is(mem.protOf(img.sp), PROT_READ | PROT_WRITE | PROT_EXEC);
  t.is(mem.protOf(0x804a000), PROT_READ | PROT_WRITE);
  const without = makeElf({ entry: 0x8049000, segs: [
    { type: PT_LOAD, vaddr: 0x8049000, flags: PF_R | PF_X, data: code(16) },
    { type: PT_LOAD, vaddr: 0x804a000, flags: PF_R | PF_W, data: code(16) },
  ] });
  mem = new AddressSpace();
  img = loadElf(mem, without, opts());
  t.true(img.execStack);
  t.true(img.readImpliesExec);
  t.is(mem.protOf(0x804a000), PROT_READ | PROT_WRITE | PROT_EXEC, 'readable data executable');
});

// ---- PT_INTERP and PIE -------------------------------------------------------------------

const interpName = '/lib/ld-test.so.1';
const ldso = makeElf({ type: 3, entry: 0x120, segs: [
  { type: PT_LOAD, vaddr: 0, flags: PF_R | PF_X, data: code(0x200, 0xcc) },
  { type: PT_LOAD, vaddr: 0x1f00, flags: PF_R | PF_W, data: code(0x200, 0x11), memsz: 0x1400 },
  { type: PT_GNU_STACK, vaddr: 0, flags: PF_R | PF_W, data: new Uint8Array(0) },
] });
const pie = makeElf({ type: 3, entry: 0x1010, segs: [
  { type: PT_INTERP, vaddr: 0x154, flags: PF_R, data: cstr(interpName), align: 1 },
  { type: PT_LOAD, vaddr: 0, flags: PF_R, data: new Uint8Array(0x300), offset: 0, raw: true },
  { type: PT_LOAD, vaddr: 0x1000, flags: PF_R | PF_X, data: code(0x80) },
  { type: PT_GNU_STACK, vaddr: 0, flags: PF_R | PF_W, data: new Uint8Array(0) },
] });

test('PIE with an interpreter: program at dynBase, interpreter at its own base, AT_BASE/AT_ENTRY/AT_PHDR', (t) => {
  const reads: string[] = [];
  const readFile = (p: string) => {
    reads.push(p);
    return ldso;
  };
  const mem = new AddressSpace();
  const img = loadElf(mem, pie, opts({ readFile, dynBase: 0x56555000, mmapBase: 0xb7fc0000 }));
  t.deepEqual(reads, [interpName]);
  t.is(img.interp, interpName);
  t.is(img.loadBias, 0x56555000);
  t.is(img.interpBase, 0xb7fc0000);
  t.is(img.entry, 0xb7fc0120, 'execution starts in the interpreter');
  const v = new Map(img.auxv);
  t.is(v.get(AT_BASE), 0xb7fc0000);
  t.is(v.get(AT_ENTRY), 0x56556010);
  t.is(v.get(AT_PHDR), 0x56555034);
  t.is(v.get(AT_PHNUM), 4);
  t.is(mem.read8(0xb7fc0120), 0xcc);
  t.is(mem.protOf(0xb7fc0000), PROT_READ | PROT_EXEC);
  t.is(mem.read8(0xb7fc1f00), 0x11);
  t.true(mem.readBytes(0xb7fc2100, 0x1200).every((b) => b === 0), 'interpreter bss');
  t.is(mem.protOf(0xb7fc3000), PROT_READ | PROT_WRITE);
  t.is(mem.read8(0x56556000), 0x90);
  t.is(img.brk, 0x56557000, 'brk follows the program, not the interpreter');
  // default placement: the interpreter goes in a free range, away from the program
  rejects(t, pie, ENOMEM, { readFile, dynBase: 0x56555000, mmapBase: 0x56556000 }); // interpreter over the program
  const mem2 = new AddressSpace();
  const img2 = loadElf(mem2, pie, opts({ readFile }));
  t.is(img2.loadBias, 0x400000);
  t.true(img2.interpBase >= 0x40000000 && img2.interpBase % 4096 === 0);
  t.is(img2.entry, img2.interpBase + 0x120);
});

test('static PIE (ET_DYN without PT_INTERP) goes to the mmap base', (t) => {
  const spie = makeElf({ type: 3, entry: 0x1000, segs: [
    { type: PT_LOAD, vaddr: 0x1000, flags: PF_R | PF_X, data: code(0x10) },
    { type: PT_GNU_STACK, vaddr: 0, flags: PF_R | PF_W, data: new Uint8Array(0) },
  ] });
  const img = loadElf(new AddressSpace(), spie, opts({ mmapBase: 0x70000000 }));
  t.is(img.loadBias, 0x70000000 - 0x1000);
  t.is(img.entry, 0x70000000);
  t.is(new Map(img.auxv).get(AT_BASE), 0);
  t.is(img.brk, 0x400000, 'brk moved to ELF_ET_DYN_BASE');
});

test('interpreter problems: missing, unreadable, not ELF, foreign, bad PT_INTERP', (t) => {
  rejects(t, pie, ENOENT);
  const enoent = Object.assign(new Error('no such file'), { errno: ENOENT });
  t.regex(rejects(t, pie, ENOENT, { readFile: () => { throw enoent; } })!.message, /ld-test/);
  rejects(t, pie, ELIBBAD, { readFile: () => new TextEncoder().encode('#!/bin/sh\n') });
  rejects(t, pie, ELIBBAD, { readFile: () => makeElf({ machine: 62, segs: [] }) });
  rejects(t, pie, ELIBBAD, { readFile: () => ldso.slice(0, 60) });
  const noNul = pie.slice();
  noNul[0x154 + interpName.length] = 0x41;
  rejects(t, noNul, ENOEXEC, { readFile: () => ldso });
  const short = makeElf({ type: 2, entry: 0x8049000, segs: [
    { type: PT_INTERP, vaddr: 0, flags: PF_R, data: new Uint8Array([0]), align: 1 },
    { type: PT_LOAD, vaddr: 0x8049000, flags: PF_R | PF_X, data: code(16) },
  ] });
  rejects(t, short, ENOEXEC, { readFile: () => ldso });
});
