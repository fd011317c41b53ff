// One modelled CPU everywhere: what the cpuid instruction answers a guest program
// (rootfs/bin/cpuid-dump), the auxiliary vector, the kernel's /proc/cpuinfo and glibc's view of
// the CPU (ld.so --list-diagnostics, LD_SHOW_AUXV) agree with each other and with
// src/cpu/cpu-model.ts. Linux's flag names below are copied from arch/x86/include/asm/cpufeatures.h
// (6.1), so the flags line is checked against CPUID independently of cpuinfo.ts's own table.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BRAND, FAMILY, MODEL, STEPPING, cpuidValues } from '../../src/cpu/cpu-model.js';
import { cpuinfoText } from '../../src/cpu/cpuinfo.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EMBOX = path.join(ROOT, 'bin', 'embox.cjs');

function embox(cmd: string) {
  const r = spawnSync(process.execPath, [EMBOX, '-c', cmd], { encoding: 'latin1', input: '', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Linux's names for the bits of the CPUID registers it keeps whole (words 0, 1, 4, 6). */
const LINUX_NAMES: Record<string, Record<number, string>> = {
  '1.edx': {
    0: 'fpu', 1: 'vme', 2: 'de', 3: 'pse', 4: 'tsc', 5: 'msr', 6: 'pae', 7: 'mce', 8: 'cx8', 9: 'apic', 11: 'sep',
    12: 'mtrr', 13: 'pge', 14: 'mca', 15: 'cmov', 16: 'pat', 17: 'pse36', 18: 'pn', 19: 'clflush', 21: 'dts',
    22: 'acpi', 23: 'mmx', 24: 'fxsr', 25: 'sse', 26: 'sse2', 27: 'ss', 28: 'ht', 29: 'tm', 30: 'ia64', 31: 'pbe',
  },
  '80000001.edx': {
    11: 'syscall', 19: 'mp', 20: 'nx', 22: 'mmxext', 25: 'fxsr_opt', 26: 'pdpe1gb', 27: 'rdtscp', 29: 'lm',
    30: '3dnowext', 31: '3dnow',
  },
  '1.ecx': {
    0: 'pni', 1: 'pclmulqdq', 2: 'dtes64', 3: 'monitor', 4: 'ds_cpl', 5: 'vmx', 6: 'smx', 7: 'est', 8: 'tm2',
    9: 'ssse3', 10: 'cid', 11: 'sdbg', 12: 'fma', 13: 'cx16', 14: 'xtpr', 15: 'pdcm', 17: 'pcid', 18: 'dca',
    19: 'sse4_1', 20: 'sse4_2', 21: 'x2apic', 22: 'movbe', 23: 'popcnt', 24: 'tsc_deadline_timer', 25: 'aes',
    26: 'xsave', 28: 'avx', 29: 'f16c', 30: 'rdrand', 31: 'hypervisor',
  },
  '80000001.ecx': {
    0: 'lahf_lm', 1: 'cmp_legacy', 2: 'svm', 3: 'extapic', 4: 'cr8_legacy', 5: 'abm', 6: 'sse4a', 7: 'misalignsse',
    8: '3dnowprefetch', 9: 'osvw', 10: 'ibs', 11: 'xop', 12: 'skinit', 13: 'wdt', 15: 'lwp', 16: 'fma4', 17: 'tce',
    19: 'nodeid_msr', 21: 'tbm', 22: 'topoext', 23: 'perfctr_core', 24: 'perfctr_nb', 26: 'bpext', 27: 'ptsc',
    28: 'perfctr_llc', 29: 'mwaitx',
  },
};
/** Flags Linux adds of its own for this part (capability words 3 and 7). */
const LINUX_SYNTHETIC = ['constant_tsc', 'xtopology', 'cpuid', 'pti'];

type Regs = [number, number, number, number];
interface Dump { leaves: Map<string, Regs>; vendor: string; brand: string; auxv: Map<string, string> }

function parseDump(out: string): Dump {
  const leaves = new Map<string, Regs>();
  const auxv = new Map<string, string>();
  let vendor = '', brand = '';
  for (const line of out.split('\n')) {
    const m = /^cpuid ([0-9a-f]{8}) ([0-9a-f]{8}) ([0-9a-f]{8}) ([0-9a-f]{8}) ([0-9a-f]{8}) ([0-9a-f]{8})$/.exec(line);
    if (m) leaves.set(`${parseInt(m[1]!, 16)}.${parseInt(m[2]!, 16)}`, [3, 4, 5, 6].map((k) => parseInt(m[k]!, 16)) as Regs);
    else if (line.startsWith('vendor ')) vendor = line.slice(7);
    else if (line.startsWith('brand ')) brand = line.slice(6);
    else if (line.startsWith('auxv ')) {
      const [, k, v] = line.split(' ');
      auxv.set(k!, v!);
    }
  }
  return { leaves, vendor, brand, auxv };
}

const dumpRun = embox('load_app cpuid-dump');
const dump = parseDump(dumpRun.stdout);
const leaf = (l: number, s = 0): Regs => {
  const r = dump.leaves.get(`${l}.${s}`);
  if (!r) throw new Error(`cpuid-dump printed no leaf ${l.toString(16)}.${s}`);
  return r;
};
/** Linux's names of the bits set in a CPUID register, by bit. */
function named(key: keyof typeof LINUX_NAMES, v: number): string[] {
  const out: string[] = [];
  for (let b = 0; b < 32; b++) if (v & (1 << b)) out.push(LINUX_NAMES[key]![b] ?? `${key}[${b}]`);
  return out;
}

test('a guest program\'s cpuid: every leaf and subleaf is the model\'s; vendor, signature, brand', (t) => {
  t.is(dumpRun.status, 0, dumpRun.stderr);
  t.true(dump.leaves.size > 30);
  for (const [k, regs] of dump.leaves) {
    const [l, s] = k.split('.').map(Number);
    t.deepEqual(regs, cpuidValues(l!, s!), `leaf ${l!.toString(16)}.${s}`);
  }
  t.is(dump.vendor, 'GenuineIntel');
  const sig = leaf(1)[0];
  t.deepEqual([(sig >>> 8) & 0xf, ((sig >>> 4) & 0xf) | ((sig >>> 16) & 0xf) << 4, sig & 0xf], [FAMILY, MODEL, STEPPING]);
  t.deepEqual([FAMILY, MODEL, STEPPING], [6, 26, 5]);
  t.is(dump.brand, 'Intel(R) Core(TM) i7 CPU         920  @ 2.67GHz');
  t.is(dump.brand, BRAND);
  // past the highest basic or extended leaf, and in the hypervisor range: the highest basic leaf (0xB)
  const max = leaf(0)[0], maxExt = leaf(0x80000000)[0];
  t.is(max, 0xb);
  t.is(maxExt, 0x80000008);
  t.deepEqual(leaf(max + 1, 1), leaf(0xb, 1));
  t.deepEqual(leaf(0x40000000), leaf(0xb, 0));
  t.deepEqual(leaf(maxExt + 1), leaf(0xb, 0));
});

test('the features are those implemented: SSE to SSE4.2 and POPCNT; no AVX, XSAVE, AES, SEP, RDTSCP, 64-bit mode', (t) => {
  t.deepEqual(named('1.edx', leaf(1)[3]), ['fpu', 'tsc', 'msr', 'pae', 'cx8', 'cmov', 'clflush', 'mmx', 'fxsr', 'sse', 'sse2']);
  t.deepEqual(named('1.ecx', leaf(1)[2]), ['pni', 'ssse3', 'sse4_1', 'sse4_2', 'popcnt']);
  t.deepEqual(named('80000001.edx', leaf(0x80000001)[3]), ['nx']);
  t.deepEqual(named('80000001.ecx', leaf(0x80000001)[2]), []); // no lahf_lm, abm (lzcnt), sse4a, 3dnowprefetch
  t.deepEqual(leaf(7), [0, 0, 0, 0]); // no BMI1/2, AVX2, ERMS, SHA, ...
  // one logical processor: CLFLUSH line 64, one logical processor, APIC id 0; caches shared by none
  t.is(leaf(1)[1], 0x00010800);
  for (let s = 0; s < 4; s++) t.is(leaf(4, s)[0] >>> 14, 0);
  t.is(leaf(4, 4)[0] & 0x1f, 0);
});

test('AT_HWCAP is CPUID.1:EDX, AT_HWCAP2 0, AT_PLATFORM i686', (t) => {
  t.is(parseInt(dump.auxv.get('AT_HWCAP')!, 16), leaf(1)[3]);
  t.is(dump.auxv.get('AT_HWCAP2'), '00000000');
  t.is(dump.auxv.get('AT_PLATFORM'), 'i686');
});

test('/proc/cpuinfo agrees with CPUID as the guest reads it (Linux 6.1 i386 format)', (t) => {
  const r = embox('cat /proc/cpuinfo');
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout, cpuinfoText());
  const field = (name: string) => {
    const m = new RegExp(`^${name}\\t+: ?(.*)$`, 'm').exec(r.stdout);
    if (!m) throw new Error(`no ${name} in /proc/cpuinfo`);
    return m[1]!;
  };
  const sig = leaf(1)[0];
  t.is(field('vendor_id'), dump.vendor);
  t.is(Number(field('cpu family')), (sig >>> 8) & 0xf);
  t.is(Number(field('model')), ((sig >>> 4) & 0xf) | ((sig >>> 16) & 0xf) << 4);
  t.is(Number(field('stepping')), sig & 0xf);
  t.is(field('model name'), dump.brand.trim());
  t.is(Number(field('cpuid level')), leaf(0)[0]);
  t.is(Number(field('clflush size')), ((leaf(1)[1] >>> 8) & 0xff) * 8);
  const a = leaf(0x80000008)[0];
  t.is(field('address sizes'), `${a & 0xff} bits physical, ${(a >>> 8) & 0xff} bits virtual`);
  const l3 = leaf(4, 3);
  t.is(field('cache size'), `${((l3[1] >>> 22) + 1) * ((l3[1] & 0xfff) + 1) * (l3[2] + 1) / 1024} KB`);
  // flags: Linux's names of the CPUID bits, in its word order (0, 1, 4, 6), and Linux's own
  const flags = field('flags').split(' ');
  const fromCpuid = [
    ...named('1.edx', leaf(1)[3]), ...named('80000001.edx', leaf(0x80000001)[3]),
    ...named('1.ecx', leaf(1)[2]), ...named('80000001.ecx', leaf(0x80000001)[2]),
  ];
  t.deepEqual(flags.filter((f) => !LINUX_SYNTHETIC.includes(f)), fromCpuid);
  t.deepEqual(flags.filter((f) => LINUX_SYNTHETIC.includes(f)), LINUX_SYNTHETIC);
  for (const absent of ['avx', 'xsave', 'aes', 'pclmulqdq', 'movbe', 'sse4a', 'abm', '3dnow', 'rdrand', 'sep', 'ht',
    'lm', 'rdtscp', 'cx16', 'lahf_lm', 'monitor', 'syscall']) t.false(flags.includes(absent), absent);
});

test('glibc sees the same CPU: ld.so --list-diagnostics and LD_SHOW_AUXV', (t) => {
  const r = embox('load_app /lib/ld-linux.so.2 --list-diagnostics');
  t.is(r.status, 0, r.stderr);
  const d = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) d.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const num = (k: string) => {
    const v = d.get(k);
    if (v === undefined) throw new Error(`no ${k}`);
    return Number(v);
  };
  t.is(num('x86.cpu_features.basic.kind'), 1); // arch_kind_intel
  t.is(num('x86.cpu_features.basic.max_cpuid'), leaf(0)[0]);
  t.deepEqual([num('x86.cpu_features.basic.family'), num('x86.cpu_features.basic.model'),
    num('x86.cpu_features.basic.stepping')], [FAMILY, MODEL, STEPPING]);
  // glibc's copies of leaves 1, 7 and 0x80000001
  for (let i = 0; i < 4; i++) {
    t.is(num(`x86.cpu_features.features[0x0].cpuid[0x${i}]`), leaf(1)[i]);
    t.is(num(`x86.cpu_features.features[0x1].cpuid[0x${i}]`), leaf(7)[i]);
    t.is(num(`x86.cpu_features.features[0x2].cpuid[0x${i}]`), leaf(0x80000001)[i]);
  }
  // usable ("active"): SSE2 (EDX 26), SSE3 SSSE3 SSE4.1 SSE4.2 POPCNT (ECX 0 9 19 20 23); not AVX (ECX 28)
  const ecx = num('x86.cpu_features.features[0x0].active[0x2]'), edx = num('x86.cpu_features.features[0x0].active[0x3]');
  t.truthy(edx & (1 << 26));
  for (const bit of [0, 9, 19, 20, 23]) t.truthy(ecx & (1 << bit), `usable ecx bit ${bit}`);
  t.falsy(ecx & (1 << 28));
  t.is(num('x86.cpu_features.features[0x1].active[0x1]'), 0); // no AVX2, BMI
  t.is(num('x86.cpu_features.xsave_state_size'), 0);
  t.is(num('dl_hwcap'), 1); // HWCAP_X86_SSE2
  t.is(d.get('dl_platform'), '"i686"');
  t.is(num('dl_hwcap2'), 0);
  // caches from leaf 2's descriptors agree with leaf 4
  const size = (s: number) => { const [, b, c] = leaf(4, s); return ((b >>> 22) + 1) * ((b & 0xfff) + 1) * (c + 1); };
  t.is(num('x86.cpu_features.level1_dcache_size'), size(0));
  t.is(num('x86.cpu_features.level1_dcache_assoc'), (leaf(4, 0)[1] >>> 22) + 1);
  t.is(num('x86.cpu_features.level1_icache_size'), size(1));
  t.is(num('x86.cpu_features.level2_cache_size'), size(2));
  t.is(num('x86.cpu_features.level3_cache_size'), size(3));
  t.is(num('x86.cpu_features.level3_cache_assoc'), (leaf(4, 3)[1] >>> 22) + 1);
  t.is(num('x86.cpu_features.shared_cache_size'), size(3));

  // LD_SHOW_AUXV names AT_HWCAP's bits as Linux does: the start of /proc/cpuinfo's flags
  const s = embox("load_app sh -c 'LD_SHOW_AUXV=1 /bin/dynamic x'");
  const hw = /^AT_HWCAP:\s+(.*)$/m.exec(s.stdout)?.[1];
  t.is(hw, named('1.edx', leaf(1)[3]).join(' '));
  t.regex(s.stdout, /^AT_HWCAP2:\s+0x0$/m);
  t.regex(s.stdout, /^AT_PLATFORM:\s+i686$/m);
});
