// strace in the embox shell: its lines against the real strace 6's for the
// same i386 program (rootfs/bin/stracetest, which makes the calls strace
// decodes with arguments that do not depend on the run), its options
// (-o, -e trace=, -c, -t, -T, -f) and the framing of several processes'
// lines ([pid N], <unfinished ...>, --- signals ---, +++ exits +++).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hostAnswer } from '../native.js';
import { ROOT, embox } from './run-embox.js';

const PROBE = path.join(ROOT, 'rootfs/bin/stracetest');
const ENV = ['PATH=/bin:/usr/bin:/sbin:/usr/sbin', 'HOME=/root', 'TERM=vt100'];

/** The real strace's output for the probe run natively with `opts` (recorded in test/native). */
function nativeStrace(opts: string[]): string {
  return hostAnswer(`strace ${opts.join(' ')} of stracetest`, fs.readFileSync(PROBE), () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strace-'));
    try {
      const out = path.join(dir, 'trace');
      const r = spawnSync('strace', [...opts, '-o', out, PROBE, path.join(dir, 'd')], { env: Object.fromEntries(ENV.map((e) => e.split('='))), stdio: 'ignore', timeout: 60_000 });
      if (r.error || r.status !== 0) throw new Error(`strace: ${r.error?.message ?? `status ${r.status}`}`);
      return fs.readFileSync(out);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }).toString('latin1');
}

/** embox's strace of the probe with opts, its -o file read back. */
async function emboxStrace(opts: string, timeout = 120_000): Promise<{ trace: string; status: number | null; stderr: string }> {
  const r = await embox(`strace ${opts} -o /tmp/trace stracetest /tmp/d; cat /tmp/trace`, {}, timeout);
  return { trace: r.stdout, status: r.status, stderr: r.stderr };
}

interface Line { pid: number; text: string }

/** `-f -o` lines: the pid column, then the line. */
function parse(trace: string): Line[] {
  return trace.split('\n').filter(Boolean).map((l) => {
    const m = /^(\d+) +(.*)$/.exec(l);
    if (!m) throw new Error(`not a strace -f -o line: ${l}`);
    return { pid: Number(m[1]), text: m[2]! };
  });
}

/** Each process's lines with its unfinished calls joined to their resumed halves, and the padding before = made one space. */
function byProcess(lines: Line[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const open = new Map<number, string>();
  for (const { pid, text } of lines) {
    if (!out.has(pid)) out.set(pid, []);
    const m = /^(.*) <unfinished \.\.\.>$/.exec(text);
    if (m) { open.set(pid, m[1]!); continue; }
    const r = /^<\.\.\. (\S+) resumed>(.*)$/.exec(text);
    let whole = text;
    if (r) {
      const start = open.get(pid);
      if (start === undefined || !start.startsWith(`${r[1]}(`)) throw new Error(`resumed without its start: ${text}`);
      open.delete(pid);
      whole = start + r[2]!;
    }
    out.get(pid)!.push(whole.replace(/\)\s+= /, ') = '));
  }
  return out;
}

/**
 * What differs between any two runs, made equal: the process ids (by order of
 * appearance), heap addresses, the clocks, the host's name and limits, and
 * the SA_RESTORER the C library adds only where there is no vDSO.
 */
function normalize(procs: Map<number, string[]>): string[][] {
  const pids = [...procs.keys()];
  const name = (pid: string) => { const i = pids.indexOf(Number(pid)); return i < 0 ? pid : `P${i}`; };
  return pids.map((pid) => procs.get(pid)!.map((l) => {
    let s = l
      .replace(/si_pid=(\d+)/g, (_, p: string) => `si_pid=${name(p)}`)
      .replace(/^(kill|tkill|wait4)\((\d+)/, (_, c: string, p: string) => `${c}(${name(p)}`)
      .replace(/^tgkill\((\d+), (\d+)/, (_, a: string, b: string) => `tgkill(${name(a)}, ${name(b)}`)
      .replace(/^((?:clone|clone3|fork|vfork|wait4|getpid|gettid|set_tid_address)\(.*) = (\d+)$/, (_, c: string, p: string) => `${c} = ${name(p)}`)
      .replace(/set_robust_list\(0x[0-9a-f]+/, 'set_robust_list(HEAP').replace(/child_tidptr=0x[0-9a-f]+/, 'child_tidptr=HEAP')
      .replace(/nodename="[^"]*"/, 'nodename=HOST')
      .replace(/^(ugetrlimit\(RLIMIT_NOFILE, )\{[^}]*\}/, '$1LIMITS')
      .replace(/^(clock_gettime\(CLOCK_MONOTONIC, |gettimeofday\()\{[^}]*\}/, '$1NOW');
    if (s.startsWith('rt_sigaction(') && !s.includes('SIGWINCH') && !s.startsWith('rt_sigaction(1000')) {
      s = s.replace(/SA_RESTORER\|/g, '').replace(/sa_flags=SA_RESTORER([,}])/g, 'sa_flags=0$1').replace(/, sa_restorer=0x[0-9a-f]+/g, '');
    }
    return s;
  }));
}

/** The probe's own calls: from its first mark to its last, the flag section (after close(1009)) by arguments only. */
function probeLines(trace: string): string[][] {
  const procs = normalize(byProcess(parse(trace)));
  const leader = procs[0]!;
  const from = leader.findIndex((l) => l.startsWith('close(1001)'));
  const to = leader.findIndex((l) => l.startsWith('close(1010)'));
  const flags = leader.findIndex((l) => l.startsWith('close(1009)'));
  procs[0] = leader.slice(from, to + 1).map((l, i) => (from + i > flags ? l.replace(/\) = .*$/, ')') : l));
  return procs;
}

test('strace -f of a program reads as the real strace 6 writes it: every call, signal and exit of each process', async (t) => {
  const native = probeLines(nativeStrace(['-f']));
  // a signal's default action ends the second child: the kernel ends it before telling the host, so embox
  // shows its +++ killed line but not the --- SIGTERM --- line before it (README)
  native[2] = native[2]!.filter((l) => !l.startsWith('--- SIGTERM'));
  const r = await emboxStrace('-f');
  t.is(r.status, 0, r.stderr);
  const got = probeLines(r.trace);
  t.is(got.length, 3, r.trace);
  t.true(native[0]!.length > 200 && native[1]!.length === 3 && native[2]!.length === 5, native.map((p) => p.length).join(' '));
  for (let p = 0; p < native.length; p++) {
    const want = native[p]!, have = got[p] ?? [];
    const i = want.findIndex((l, k) => have[k] !== l);
    t.deepEqual(have, want, i < 0 ? `process ${p}: lengths ${have.length} vs ${want.length}` : `process ${p}, line ${i}:\n  got  ${have[i]}\n  want ${want[i]}`);
  }
});
