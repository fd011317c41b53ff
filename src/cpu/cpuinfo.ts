// /proc/cpuinfo as Linux 6.1 i386 prints it (arch/x86/kernel/cpu/proc.c show_cpuinfo(), an SMP
// kernel with PAE: Debian's 686-pae) for the modelled CPU. Everything CPUID says is decoded from
// cpuidValues() the way Linux decodes it at boot (common.c, intel.c, cacheinfo.c, topology.c);
// the rest (TSC frequency, bugs) is data of cpu-model.ts. The kernel prints this text through
// its `cpuinfo` host operation (lkl/arch/wasm/kernel/misc.c).

import { FEATURES, LINUX_BUGS, TSC_KHZ, cpuidValues } from './cpu-model.js';

/** Linux's capability words (cpufeatures.h) for the CPUID registers it copies whole. */
const WORDS: { word: number; leaf: number; reg: 'ecx' | 'edx' }[] = [
  { word: 0, leaf: 1, reg: 'edx' },
  { word: 1, leaf: 0x80000001, reg: 'edx' },
  { word: 4, leaf: 1, reg: 'ecx' },
  { word: 6, leaf: 0x80000001, reg: 'ecx' },
];
const REG = { eax: 0, ebx: 1, ecx: 2, edx: 3 } as const;
/** Linux's HZ on Debian's kernels: bogomips come from loops_per_jiffy. */
const HZ = 250;

function str(words: number[]): string {
  let s = '';
  for (const w of words) for (let b = 0; b < 4; b++) s += String.fromCharCode((w >>> (8 * b)) & 0xff);
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/** The "flags" line: Linux's names of the capability bits it sets, in capability-word order. */
export function linuxFlags(): string[] {
  const [level] = cpuidValues(0);
  const sig = cpuidValues(1)[0];
  const family = (sig >>> 8) & 0xf;
  const model = ((sig >>> 4) & 0xf) | (family >= 6 ? ((sig >>> 16) & 0xf) << 4 : 0);
  const set: [word: number, bit: number, name: string][] = [];
  for (const w of WORDS) {
    const v = cpuidValues(w.leaf)[REG[w.reg]];
    for (const x of FEATURES) {
      if (x.leaf === w.leaf && x.reg === w.reg && v & (1 << x.bit) && x.linux) set.push([w.word, x.bit, x.linux]);
    }
  }
  // Word 3, Linux's own: constant_tsc (early_init_intel: family 6 from model 0xe), xtopology
  // (leaf 0xB enumerates an SMT level), cpuid (it exists).
  if (family === 6 && model >= 0xe) set.push([3, 8, 'constant_tsc']);
  const b = level >= 0xb ? cpuidValues(0xb, 0) : [0, 0, 0, 0];
  if (b[1] !== 0 && ((b[2] >>> 8) & 0xff) === 1) set.push([3, 22, 'xtopology']);
  set.push([3, 25, 'cpuid']);
  // Word 7: page table isolation, which a PAE kernel turns on for parts with Meltdown.
  if (LINUX_BUGS.includes('cpu_meltdown') && FEATURES.some((x) => x.linux === 'pae')) set.push([7, 11, 'pti']);
  return set.sort((p, q) => p[0] - q[0] || p[1] - q[1]).map((x) => x[2]);
}

/** The text of /proc/cpuinfo (one processor). */
export function cpuinfoText(): string {
  const [level, v0, v2, v1] = cpuidValues(0);
  const vendor = str([v0, v1, v2]);
  const [sig, ebx1, , edx1] = cpuidValues(1);
  let family = (sig >>> 8) & 0xf;
  if (family === 0xf) family += (sig >>> 20) & 0xff;
  let model = (sig >>> 4) & 0xf;
  if (family >= 6) model += ((sig >>> 16) & 0xf) << 4;
  const stepping = sig & 0xf;
  const maxExt = cpuidValues(0x80000000)[0];
  // get_model_name(): leading spaces and trailing whitespace trimmed
  const name = maxExt >= 0x80000004
    ? str([0x80000002, 0x80000003, 0x80000004].flatMap((l) => cpuidValues(l))).replace(/^ +/, '').replace(/\s+$/, '')
    : 'unknown';
  // init_intel_cacheinfo(): sizes from leaf 4; the largest level is the "cache size"
  const size: Record<number, number> = {};
  for (let i = 0; level >= 4; i++) {
    const [a, b, c] = cpuidValues(4, i);
    if ((a & 0x1f) === 0) break;
    const bytes = (((b >>> 22) & 0x3ff) + 1) * (((b >>> 12) & 0x3ff) + 1) * ((b & 0xfff) + 1) * (c + 1);
    size[(a >>> 5) & 7] = (size[(a >>> 5) & 7] ?? 0) + bytes / 1024;
  }
  const cacheKiB = size[3] ?? size[2] ?? size[1] ?? 0;
  const apicid = ebx1 >>> 24;
  const clflush = ((ebx1 >>> 8) & 0xff) * 8;
  const addr = maxExt >= 0x80000008 ? cpuidValues(0x80000008)[0] : 0;
  const fpu = edx1 & 1 ? 'yes' : 'no';
  const lpj = Math.floor((TSC_KHZ * 1000) / HZ);
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const lines = [
    'processor\t: 0',
    `vendor_id\t: ${vendor}`,
    `cpu family\t: ${family}`,
    `model\t\t: ${model}`,
    `model name\t: ${name}`,
    `stepping\t: ${stepping}`,
    // no microcode revision (Linux prints the line only when it is not 0)
    ...(edx1 & (1 << 4) ? [`cpu MHz\t\t: ${Math.floor(TSC_KHZ / 1000)}.${pad(TSC_KHZ % 1000, 3)}`] : []),
    ...(cacheKiB ? [`cache size\t: ${cacheKiB} KB`] : []),
    'physical id\t: 0',
    'siblings\t: 1',
    'core id\t\t: 0',
    'cpu cores\t: 1',
    `apicid\t\t: ${apicid}`,
    `initial apicid\t: ${apicid}`,
    'fdiv_bug\t: no',
    'f00f_bug\t: no',
    'coma_bug\t: no',
    `fpu\t\t: ${fpu}`,
    `fpu_exception\t: ${fpu}`,
    `cpuid level\t: ${level}`,
    'wp\t\t: yes',
    `flags\t\t: ${linuxFlags().join(' ')}`,
    `bugs\t\t: ${LINUX_BUGS.join(' ')}`,
    `bogomips\t: ${Math.floor(lpj / (500000 / HZ))}.${pad(Math.floor(lpj / (5000 / HZ)) % 100, 2)}`,
    `clflush size\t: ${clflush}`,
    `cache_alignment\t: ${clflush}`,
    `address sizes\t: ${addr & 0xff} bits physical, ${(addr >>> 8) & 0xff} bits virtual`,
    'power management:',
  ];
  return lines.join('\n') + '\n\n';
}
