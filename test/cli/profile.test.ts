// embox --profile: the guest instructions by how they ran, and the time translating took. The
// same deterministic program retires the same number of instructions whichever way it runs
// (interpreted only, every block translated at once, the default threshold), and the parts add
// up to it.
import test from 'ava';
import { emboxRun } from '../tasks/run-embox.js';

interface Profile { all: number; wasm: number; js: number; interpreted: number; blocks: number; translateS: number; decoded: number; dropped: number; rss: number }

function parse(stderr: string): Profile | undefined {
  const n = (re: RegExp): number => Number(re.exec(stderr)?.[1]?.replaceAll(',', '') ?? NaN);
  if (!/^profile: /m.test(stderr)) return undefined;
  return {
    all: n(/^profile: ([\d,]+) guest instructions in [\d.]+ s$/m),
    wasm: n(/^ {2}translated to WebAssembly +([\d,]+) /m),
    js: n(/^ {2}translated to JavaScript +([\d,]+) /m),
    interpreted: n(/^ {2}interpreted +([\d,]+) /m),
    blocks: n(/WebAssembly: (\d+) blocks in \d+ modules/),
    translateS: n(/^ {2}translating: ([\d.]+) s, /m),
    decoded: n(/^ {2}instructions decoded: ([\d,]+), /m),
    dropped: n(/^ {2}instructions decoded: [\d,]+, ([\d,]+) of them dropped/m),
    rss: n(/^ {2}memory: peak RSS (\d+) MiB, JavaScript heap \d+ MiB$/m),
  };
}

test('--profile: the same instructions counted whichever way they ran, and the parts add up', async (t) => {
  const runs: Record<string, Profile | undefined> = {};
  for (const jit of ['0', '1', '50']) {
    const r = await emboxRun(['--profile', '-c', 'load_app cpubench int 1'], { env: { EMBOX_JIT: jit }, timeout: 120_000 });
    t.is(r.status, 0, r.stderr);
    t.regex(r.stdout, /^int /m);
    runs[jit] = parse(r.stderr);
    t.truthy(runs[jit], r.stderr);
  }
  const [off, all, dflt] = [runs['0']!, runs['1']!, runs['50']!];
  t.true(off.all > 5e6, String(off.all));
  for (const p of [off, all, dflt]) {
    t.is(p.all, off.all);
    t.is(p.wasm + p.js + p.interpreted, p.all);
    // a small program's decoded code stays far within its bound; the process has Node and the kernel in it
    t.true(p.decoded > 100 && p.dropped === 0, JSON.stringify(p));
    t.true(p.rss > 50, JSON.stringify(p));
  }
  // interpreted only: nothing translated, no time spent on it
  t.is(off.interpreted, off.all);
  t.is(off.blocks, 0);
  t.is(off.translateS, 0);
  // every block at its first run: all but what ran before a block's first exit through a fault
  t.true(all.wasm / all.all > 0.99, JSON.stringify(all));
  t.true(all.blocks > 0 && all.translateS > 0, JSON.stringify(all));
  // the default: the hot loops translated
  t.true(dflt.wasm / dflt.all > 0.9, JSON.stringify(dflt));
});

test('--profile: the instructions translated code left to their handlers, counted by form', async (t) => {
  // every block translated at its first run: cpubench's x87 loop (20,000 rounds at scale 1) runs
  // translated, fsqrt, fsin, fcos, fpatan, fyl2x, fld and fstp m80 in WebAssembly but for fyl2x
  // of the powers of two 2^0 to 2^14, whose exact logarithms its handler computes, one call each
  const r = await emboxRun(['--profile', '-c', 'load_app cpubench x87 1'], { env: { EMBOX_JIT: '1' }, timeout: 120_000 });
  t.is(r.status, 0, r.stderr);
  const total = Number(/^ {2}handlers called from translated code: ([\d,]+)/m.exec(r.stderr)?.[1]?.replaceAll(',', ''));
  const form = (name: string): number => Number(new RegExp(`^ {4}${name} +([\\d,]+)$`, 'm').exec(r.stderr)?.[1]?.replaceAll(',', '') ?? 0);
  t.is(form('x87 d9 f1'), 15, r.stderr);
  // and the system calls (int 0x80: write, exit)
  t.is(form('int'), 2, r.stderr);
  t.is(total, 17, r.stderr);
  // without --profile, no such line
  const quiet = await emboxRun(['-c', 'load_app cpubench x87 1'], { env: { EMBOX_JIT: '1' }, timeout: 120_000 });
  t.is(quiet.stdout, r.stdout);
  t.notRegex(quiet.stderr, /handlers called/);
});

test('--profile: when the start reached its milestones, in the order they depend on each other', async (t) => {
  // the second start restores the snapshot the first made (or found)
  let line = '';
  for (let k = 0; k < 2; k++) {
    const r = await emboxRun(['--profile', '-c', 'load_app linux_echo hi'], { timeout: 60_000 });
    t.is(r.status, 0, r.stderr);
    t.is(r.stdout, 'hi\n');
    line = /^ {2}start, ms from the process's start: (.*)$/m.exec(r.stderr)?.[1] ?? '';
  }
  const at = new Map(line.split(', ').map((p) => { const m = /^(.*) (\d+)$/.exec(p); return [m?.[1] ?? p, Number(m?.[2])]; }));
  t.deepEqual([...at.keys()], ['CLI loading', 'CLI loaded', 'kernel compiled', 'snapshot read', 'system up', 'command', 'now'], line);
  const ms = (k: string): number => at.get(k)!;
  t.true(ms('CLI loading') > 0 && ms('CLI loading') <= ms('CLI loaded'), line);
  // the system is up once its kernel is compiled and its memory read back, and only then runs the command
  for (const before of ['CLI loaded', 'kernel compiled', 'snapshot read']) t.true(ms(before) <= ms('system up'), `${before}: ${line}`);
  t.true(ms('system up') <= ms('command') && ms('command') <= ms('now'), line);
});
