// The modelled processor, in one place: an Intel Core i7 920 (Nehalem: Bloomfield, family 6
// model 26 stepping 5) seen by 32-bit programs under Linux, with one core and one thread. The
// cpuid instruction (misc.ts), AT_HWCAP/AT_HWCAP2/AT_PLATFORM/AT_MINSIGSTKSZ (auxv.ts) and the
// kernel's /proc/cpuinfo (cpuinfo.ts) are all computed from the data below.
//
// What is reported: a feature of the real part that a user-mode program can use or observe and
// that the interpreter implements. Not reported:
//  - what the real part has and the interpreter does not implement: rdtscp (0x80000001:EDX.27),
//    sysenter/sysexit (SEP; 0F 34 and 0F 35 are #UD here, as on a part without SEP);
//  - what exists only in 64-bit mode, which a 32-bit program cannot enter: LM, LAHF/SAHF in
//    64-bit mode (lahf_lm), CMPXCHG16B (cx16: it needs REX.W, so in 32-bit mode 0F C7 /1 is
//    cmpxchg8b); SYSCALL, which Intel parts report only in 64-bit mode anyway;
//  - what only the kernel reaches: paging and PSE extensions (except PAE, below), APIC, MTRR, PAT,
//    machine check, debug store, thermal and power management, VMX, speculation controls, and
//    MONITOR/MWAIT (#UD at CPL 3 under Linux, which enables them in ring 3 only on parts with
//    HWCAP2_RING3MWAIT; the instructions are #UD here as well);
//  - the topology of the real part (4 cores, 8 threads): one logical processor, so no HTT;
//  - the invariant TSC (0x80000007:EDX.8): rdtsc here counts retired instructions (2 per
//    instruction), not time, so a program must not use it as a clock.
// PAE and NX are reported: non-executable pages (PROT_EXEC unset) fault when executed here, as
// they do only under a PAE kernel on a part with NX (Debian's 686-pae kernel on the real part).
// MSR is reported: rdmsr/wrmsr are #GP at CPL 3 (SIGSEGV), as on a part that has them (#UD
// without).
//
// Not in CPUID but part of the model, for /proc/cpuinfo: the TSC frequency Linux would calibrate
// (133.33 MHz x 20) and Linux 6.1's verdict on the part's speculation bugs (its tables key on
// family and model).

export type Regs = [eax: number, ebx: number, ecx: number, edx: number];
type Reg = 'eax' | 'ebx' | 'ecx' | 'edx';

export const VENDOR = 'GenuineIntel';
/** CPUID 0x80000002-0x80000004: the real part's brand string (47 characters and a NUL). */
export const BRAND = 'Intel(R) Core(TM) i7 CPU         920  @ 2.67GHz';
export const FAMILY = 6, MODEL = 26, STEPPING = 5;
/** CPUID.1:EAX: stepping, model (low 4 bits, then extended model at bit 16), family. */
export const SIGNATURE = STEPPING | (MODEL & 0xf) << 4 | FAMILY << 8 | (MODEL >> 4) << 16;
/** Highest basic leaf: 0xB (extended topology), as on the real part. */
export const MAX_BASIC_LEAF = 0xb;
export const MAX_EXTENDED_LEAF = 0x80000008;

/** A CPUID feature flag: its leaf, register and bit, Linux's name for it (/proc/cpuinfo flags). */
export interface Feature {
  leaf: number;
  reg: Reg;
  bit: number;
  /** Linux's name (arch/x86/include/asm/cpufeatures.h); '' where Linux prints none */
  linux: string;
}
function f(leaf: number, reg: Reg, bit: number, linux: string): Feature {
  return { leaf, reg, bit, linux };
}

/** Every feature flag the modelled CPU reports; the bits not listed read 0. */
export const FEATURES: readonly Feature[] = [
  // CPUID.1:EDX
  f(1, 'edx', 0, 'fpu'),       // x87 FPU (fpu.ts)
  f(1, 'edx', 4, 'tsc'),       // rdtsc (CR4.TSD clear under Linux)
  f(1, 'edx', 5, 'msr'),       // rdmsr/wrmsr exist: #GP at CPL 3
  f(1, 'edx', 6, 'pae'),       // PAE paging: what gives NX its meaning (see above)
  f(1, 'edx', 8, 'cx8'),       // cmpxchg8b
  f(1, 'edx', 15, 'cmov'),     // cmovcc, fcmovcc, fcomi
  f(1, 'edx', 19, 'clflush'),  // clflush (line size in EBX[15:8])
  f(1, 'edx', 23, 'mmx'),
  f(1, 'edx', 24, 'fxsr'),     // fxsave/fxrstor (and an FXSR signal frame)
  f(1, 'edx', 25, 'sse'),
  f(1, 'edx', 26, 'sse2'),
  // CPUID.1:ECX
  f(1, 'ecx', 0, 'pni'),       // SSE3
  f(1, 'ecx', 9, 'ssse3'),
  f(1, 'ecx', 19, 'sse4_1'),
  f(1, 'ecx', 20, 'sse4_2'),   // also crc32, pcmpgtq, pcmpXstrX
  f(1, 'ecx', 23, 'popcnt'),
  // CPUID.80000001H:EDX
  f(0x80000001, 'edx', 20, 'nx'), // execute disable: pages without PROT_EXEC fault on fetch
];

/** A cache as leaf 4 describes it. */
export interface Cache {
  level: number;
  /** leaf 4 cache type: 1 data, 2 instruction, 3 unified */
  type: 1 | 2 | 3;
  sizeKiB: number;
  ways: number;
  line: number;
  /** EDX: bit 1 inclusive of lower levels */
  edx: number;
}
/** The real part's caches (each shared by one logical processor here). */
export const CACHES: readonly Cache[] = [
  { level: 1, type: 1, sizeKiB: 32, ways: 8, line: 64, edx: 0 },
  { level: 1, type: 2, sizeKiB: 32, ways: 4, line: 64, edx: 0 },
  { level: 2, type: 3, sizeKiB: 256, ways: 8, line: 64, edx: 0 },
  { level: 3, type: 3, sizeKiB: 8192, ways: 16, line: 64, edx: 2 },
];

/**
 * Leaf 2 of the real part: AL = 1 (one call), then descriptors (SDM vol. 2A table 3-12):
 * 5A data TLB 2M/4M 4-way 32 entries, 03 data TLB 4K 4-way 64, 55 instruction TLB 2M/4M fully
 * associative 7; E4 L3 8 MB 16-way 64-byte lines, B2 instruction TLB 4K 4-way 64, F0 64-byte
 * prefetching; (ECX none); 2C L1d 32 KB 8-way 64, 21 L2 256 KB 8-way 64, CA shared L2 TLB 4K
 * 4-way 512, 09 L1i 32 KB 4-way 64.
 */
const LEAF2: Regs = [0x55035a01, 0x00f0b2e4, 0x00000000, 0x09ca212c];

/** Leaf 1 EBX: brand index 0, CLFLUSH line size in 8-byte units, logical processors 1, APIC id 0. */
export const CLFLUSH_LINE = 64;
const LEAF1_EBX = 0 | (CLFLUSH_LINE / 8) << 8 | 1 << 16 | 0 << 24;
/** Leaf 0x80000008 EAX: physical and linear address bits, as the real part. */
export const PHYS_BITS = 36, VIRT_BITS = 48;

/** TSC frequency as Linux would calibrate it on the real part (kHz): cpu MHz and bogomips. */
export const TSC_KHZ = 2666666;
/**
 * /proc/cpuinfo "bugs" of Linux 6.1 for Intel family 6 model 26 (arch/x86/kernel/cpu/common.c
 * cpu_set_bug_bits(): not in its whitelists, no ARCH_CAPABILITIES MSR), in its order. The
 * interpreter does not speculate; these name what Linux concludes from the part's identity.
 */
export const LINUX_BUGS = ['cpu_meltdown', 'spectre_v1', 'spectre_v2', 'spec_store_bypass', 'l1tf', 'mds',
  'swapgs', 'itlb_multihit', 'mmio_unknown'] as const;

function features(leaf: number, reg: Reg): number {
  let v = 0;
  for (const x of FEATURES) if (x.leaf === leaf && x.reg === reg) v |= 1 << x.bit;
  return v >>> 0;
}
function hasFeature(name: string): boolean {
  return FEATURES.some((x) => x.linux === name);
}

/** Four bytes of a string as a little-endian register value. */
function word(s: string, at: number): number {
  let v = 0;
  for (let b = 0; b < 4; b++) v |= (s.charCodeAt(at + b) || 0) << (8 * b);
  return v >>> 0;
}
function brandLeaf(n: number): Regs {
  const s = BRAND.padEnd(48, '\0');
  return [word(s, n * 16), word(s, n * 16 + 4), word(s, n * 16 + 8), word(s, n * 16 + 12)];
}

/** Leaf 4 subleaf: a cache's deterministic parameters; past the last one, type 0 (no more). */
function leaf4(sub: number): Regs {
  const c = CACHES[sub];
  if (!c) return [0, 0, 0, 0];
  const sets = (c.sizeKiB * 1024) / (c.ways * c.line);
  // EAX: type, level, self-initialising; threads sharing - 1 (bits 25:14) and cores - 1 (31:26): 0
  const eax = c.type | c.level << 5 | 1 << 8;
  const ebx = (c.line - 1) | 0 << 12 | (c.ways - 1) << 22; // one line partition
  return [eax, ebx, sets - 1, c.edx];
}

/** Leaf 0xB: SMT level (subleaf 0) and core level (1), one logical processor in each; x2APIC id 0. */
function leafB(sub: number): Regs {
  if (sub === 0) return [0, 1, 0x100, 0];
  if (sub === 1) return [0, 1, 0x201, 0];
  return [0, 0, sub & 0xff, 0]; // level type 0: invalid
}

/** Leaf 0x80000006 ECX: L2 size in KiB, associativity code (6: 8-way), line size. */
function leaf80000006(): Regs {
  const l2 = CACHES.find((c) => c.level === 2)!;
  const assoc = ({ 1: 1, 2: 2, 4: 4, 8: 6, 16: 8 } as Record<number, number>)[l2.ways] ?? 0;
  return [0, 0, (l2.sizeKiB << 16 | assoc << 12 | l2.line) >>> 0, 0];
}

/** The leaves the model defines; any other leaf up to a maximum reads all zeros. */
const LEAVES: Record<number, (sub: number) => Regs> = {
  0: () => [MAX_BASIC_LEAF, word(VENDOR, 0), word(VENDOR, 8), word(VENDOR, 4)], // "Genu" "ntel" "ineI"
  1: () => [SIGNATURE, LEAF1_EBX, features(1, 'ecx'), features(1, 'edx')],
  2: () => LEAF2,
  4: leaf4,
  0xb: leafB,
  0x80000000: () => [MAX_EXTENDED_LEAF, 0, 0, 0],
  0x80000001: () => [0, 0, features(0x80000001, 'ecx'), features(0x80000001, 'edx')],
  0x80000002: () => brandLeaf(0),
  0x80000003: () => brandLeaf(1),
  0x80000004: () => brandLeaf(2),
  0x80000006: leaf80000006,
  0x80000008: () => [VIRT_BITS << 8 | PHYS_BITS, 0, 0, 0],
};

/**
 * CPUID(leaf, subleaf) of the modelled CPU. A leaf above the highest basic or extended one
 * returns the highest basic leaf's data, as Intel parts do (this includes 0x40000000: no
 * hypervisor range).
 */
export function cpuidValues(leaf: number, sub = 0): Regs {
  leaf >>>= 0;
  sub >>>= 0;
  const valid = leaf <= MAX_BASIC_LEAF || (leaf >= 0x80000000 && leaf <= MAX_EXTENDED_LEAF);
  if (!valid) leaf = MAX_BASIC_LEAF;
  const r = LEAVES[leaf]?.(sub) ?? [0, 0, 0, 0];
  return [r[0] >>> 0, r[1] >>> 0, r[2] >>> 0, r[3] >>> 0];
}

/** AT_HWCAP of Linux i386: CPUID.1:EDX (arch/x86/include/asm/elf.h ELF_HWCAP). */
export const HWCAP = cpuidValues(1)[3];
/** AT_HWCAP2 of Linux i386: bit 0 ring-3 MONITOR/MWAIT, bit 1 FSGSBASE; neither here. */
export const HWCAP2 = 0;
/** AT_PLATFORM of Linux i386: utsname's machine, "i%c86" with the family capped at 6. */
export const PLATFORM = `i${Math.min(FAMILY, 6)}86`;
/**
 * AT_MINSIGSTKSZ of Linux 6.1 i386 (arch/x86/kernel/signal.c init_sigframe_size()): sigframe (732)
 * + alignment padding (15) + the FPU state (with FXSR: the FXSAVE image, 512, and the fsave
 * header, 112; without: the fsave image, 112) + xsave padding (63), rounded up to 16: 1440 with
 * FXSR, 928 without.
 */
export const MINSIGSTKSZ = ((732 + 15 + (hasFeature('fxsr') ? 512 + 112 : 112) + 63 + 15) & ~15) >>> 0;
