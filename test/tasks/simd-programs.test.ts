// Whole programs that use MMX/SSE..SSE4.2 (issue 12), under load_app: stdout and exit
// status byte-identical to their native runs on the real CPU (test/cpu/programs-golden):
//  - simd-sse2 (-O3 -msse2 -mfpmath=sse), simd-ssse3 (-O3 -mssse3), simd-sse42 (-O3 -msse4.2):
//    `zx scripts/build-fixtures.mjs --golden --only=simd-sse2,simd-sse2-kernel,simd-ssse3,simd-sse42`;
//  - strbench: glibc's string routines, the variants glibc picks from CPUID, and its i686 ones;
//  - gmp-calc: Debian's libgmp10:i386, whose MMX/SSE2 routines are picked by CPUID family/model;
//  - goprog: a Go 386 program (`zx scripts/build-go.mjs --golden`; qemu-i386 cannot run it).
// Each runs with the default translation threshold and with every block translated at once.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, embox, type Run } from './run-embox.js';

const GOLDEN = path.join(ROOT, 'test/cpu/programs-golden');

interface Golden { argv: string[]; exit: number; stdout: string }
function golden(id: string): Golden {
  const text = fs.readFileSync(path.join(GOLDEN, `${id}.txt`), 'latin1');
  const argv = JSON.parse(/^argv: (.*)$/m.exec(text)![1]!) as string[];
  const exit = Number(/^exit: (\d+)$/m.exec(text)![1]);
  return { argv, exit, stdout: text.slice(text.indexOf('--- stdout\n') + 11) };
}

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** The load_app line for a golden: paths into rootfs/ natively are paths from / in the system. */
function line(g: Golden): string {
  const args = g.argv.slice(1).map((a) => quote(a.replace(/^rootfs\//, '/')));
  return ['load_app', path.basename(g.argv[0]!), ...args].join(' ');
}

/** Where a run went wrong, for the assertion message: the first differing line and stderr's end. */
function why(r: Run, want: string): string {
  const got = r.stdout.split('\n'), exp = want.split('\n');
  const i = exp.findIndex((l, k) => got[k] !== l);
  const diff = i < 0 ? 'stdout equal' : `line ${i + 1}: got ${JSON.stringify(got[i])}, want ${JSON.stringify(exp[i])}`;
  return `exit ${r.status}; ${diff}; stderr: ${r.stderr.slice(-400)}`;
}

const MODES: [string, Record<string, string>][] = [['', {}], [' (EMBOX_JIT=1)', { EMBOX_JIT: '1' }]];
const PROGRAMS: [string, number][] = [
  ['simd-sse2', 120], ['simd-sse2-kernel', 120], ['simd-ssse3', 120], ['simd-sse42', 120],
  ['strbench', 120], ['gmp-calc', 120], ['goprog', 240],
];

for (const [id, seconds] of PROGRAMS) {
  for (const [label, env] of MODES) {
    test.serial(`${id}${label}: stdout and exit status as on the real CPU`, async (t) => {
      t.timeout(seconds * 1000 + 10_000);
      const g = golden(id);
      const r = await embox(line(g), env, seconds * 1000);
      t.is(r.stdout, g.stdout, why(r, g.stdout));
      t.is(r.status, g.exit, why(r, g.stdout));
    });
  }
}

test.serial('strbench: glibc\'s i686 string routines (SSE variants off by GLIBC_TUNABLES) give the same checksums', async (t) => {
  t.timeout(130_000);
  const g = golden('strbench');
  const off = 'glibc.cpu.hwcaps=-SSE2,-SSSE3,-SSE4_1,-SSE4_2';
  const r = await embox(`load_app sh -c 'GLIBC_TUNABLES=${off} strbench ${g.argv[1]}'`, {}, 120_000);
  t.is(r.stdout, g.stdout, why(r, g.stdout));
  t.is(r.status, 0);
});

// What libgmp 6.2.1's fat dispatch picks for the modelled CPU (GenuineIntel family 6
// model 26, a Core i7 920), as qemu-i386 -cpu Nehalem reports it: rootfs/bin/gmp-calc cpuvec
// prints the name of each routine __gmpn_cpuvec points at. On the host's AMD CPU it picks
// the k7 routines instead, so this cannot come from a native run.
const NEHALEM_CPUVEC = [
  'add_n_p6', 'addmul_1_p6_sse2', 'bdiv_dbm1c_x86', 'cnd_add_n_x86', 'cnd_sub_n_x86', 'com_fat', 'copyd_p6', 'copyi_x86',
  'divexact_1_p6', 'divrem_1_p6_mmx', 'gcd_11_p6', 'lshift_p6_mmx', 'lshiftc_fat', 'mod_1_fat', 'mod_1_1p_p6_sse2',
  'mod_1_1p_cps_fat', 'mod_1s_2p_fat', 'mod_1s_2p_cps_fat', 'mod_1s_4p_p6_sse2', 'mod_1s_4p_cps_fat', 'mod_34lsub1_p6',
  'modexact_1c_odd_p6', 'mul_1_p6_sse2', 'mul_basecase_p6_sse2', 'mullo_basecase_fat', 'preinv_divrem_1_p6_mmx',
  'mod_1_fat', 'redc_1_fat', 'redc_2_fat', 'rshift_p6_mmx', 'sqr_basecase_p6_sse2', 'sub_n_p6', 'submul_1_p6_sse2',
];

test.serial('gmp-calc: libgmp picks its P6 MMX/SSE2 routines for the modelled CPU', async (t) => {
  const r = await embox('load_app gmp-calc cpuvec', {}, 60_000);
  t.deepEqual(r.stdout.trim().split('\n'), NEHALEM_CPUVEC, `exit ${r.status}; stderr: ${r.stderr.slice(-400)}`);
  t.is(r.status, 0);
});

// coreutils' expr links libgmp (the issue's user report: `expr 7 \* 6 + 3` died with SIGILL);
// the answers are what it printed natively (LD_LIBRARY_PATH=rootfs/lib/i386-linux-gnu)
const EXPR: [string, string][] = [
  ['7 \\* 6 + 3', '45'],
  ['123456789012345678901234567890 \\* 987654321987654321 - 5', '121932631246761163237311385323609205901126352685'],
  ['340282366920938463463374607431768211456 / 18446744073709551615 % 1000003', '350688'],
];
for (const [args, want] of EXPR) {
  test.serial(`coreutils' expr ${args} through libgmp`, async (t) => {
    const r = await embox(`load_app /usr/bin/expr ${args}`, {}, 60_000);
    t.is(r.stdout, `${want}\n`, `exit ${r.status}; stderr: ${r.stderr.slice(-400)}`);
    t.is(r.status, 0);
  });
}
