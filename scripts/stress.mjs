#!/usr/bin/env zx
// npm run stress: the long runs that are not in CI. Each case boots embox
// (node bin/embox.cjs) one or more times and ends as passed or failed, with
// the reason, and the host process's peak RSS (/usr/bin/time -v's "Maximum
// resident set size" of the node process, or its /proc VmHWM where
// /usr/bin/time is missing); a table of all cases is printed at the end.
//
//   zx scripts/stress.mjs [--case=NAME,...] [--scale=F] [--rss-limit=MIB] [--rss-bound=MIB]
//
//   --case       run these cases only: baseline, fork-storm, threads, memhogs, fuzz, kill9
//   --scale      multiply the counts (fuzz calls, kill -9 trials, threads) by F
//                (--scale=0.1 for a quick look); timeouts are not scaled
//   --rss-limit  safety ceiling: an embox above it is killed and its case fails (default 10240)
//   --rss-bound  what the memory hogs case allows the host process (default 1024: the
//                256 MiB the kernel reports as MemTotal plus 768 MiB for the host)
//
// Exit status 1 when a case failed.
import { fs, path, os, argv, $ } from 'zx';
import { spawn, spawnSync } from 'node:child_process';

$.verbose = false;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const EMBOX = path.join(root, 'bin', 'embox.cjs');
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const scale = Number(argv.scale ?? 1);
const rssLimit = Number(argv['rss-limit'] ?? 10240) * 1024; // KiB
const rssBound = Number(argv['rss-bound'] ?? 1024) * 1024; // KiB
const scaled = (n, min = 1) => Math.max(min, Math.round(n * scale));
const mib = (kib) => (kib == null ? '?' : `${Math.round(kib / 1024)} MiB`);
const log = (s) => process.stderr.write(`stress: ${s}\n`);

function vmKiB(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch { return null; }
}

/** The node process under /usr/bin/time (its only child), once it has started. */
function childOf(pid) {
  try {
    const c = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return c.length ? Number(c[0]) : null;
  } catch { return null; }
}

/**
 * One embox run: args for bin/embox.cjs; ends by itself, or is killed with SIGKILL after
 * timeout ms, when killWhen(stdoutSoFar) is true, or above the RSS ceiling.
 * Returns { status, signal, killed, stdout, stderr, rss (KiB), ms }.
 */
function embox(args, { timeout, killWhen, keep = 4 << 20 } = {}) {
  const timeFile = path.join(os.tmpdir(), `stress-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const cmd = TIME ? [TIME, '-v', '-o', timeFile, process.execPath, EMBOX, ...args] : [process.execPath, EMBOX, ...args];
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const p = spawn(cmd[0], cmd.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    // keep the start and the end of long outputs (a fork storm prints megabytes of errors)
    const grab = () => ({ head: '', tail: '', total: 0 });
    const out = grab(), err = grab();
    const add = (o, b) => {
      const s = b.toString('latin1');
      o.total += s.length;
      if (o.head.length < keep / 2) o.head += s.slice(0, keep / 2 - o.head.length);
      o.tail = (o.tail + s).slice(-keep / 2);
    };
    const text = (o) => (o.total <= keep / 2 ? o.head : o.total <= keep ? o.head + o.tail.slice(-(o.total - o.head.length)) : `${o.head}\n[... ${o.total - keep} bytes ...]\n${o.tail}`);
    let killed = null, hwm = null;
    const target = () => (TIME ? childOf(p.pid) : p.pid);
    const kill = (why) => {
      if (killed) return;
      killed = why;
      const pid = target();
      if (pid) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    };
    p.stdout.on('data', (b) => {
      add(out, b);
      if (killWhen && !killed && killWhen(out.tail)) kill('by the trial');
    });
    p.stderr.on('data', (b) => add(err, b));
    const poll = setInterval(() => {
      const pid = target();
      if (!pid) return;
      hwm = Math.max(hwm ?? 0, vmKiB(pid, 'VmHWM') ?? 0);
      if ((vmKiB(pid, 'VmRSS') ?? 0) > rssLimit) kill(`host RSS above the ${mib(rssLimit)} safety limit`);
    }, 100);
    const timer = setTimeout(() => kill(`timeout after ${timeout / 1000} s`), timeout);
    p.on('error', reject);
    p.on('close', (code, sig) => {
      clearInterval(poll);
      clearTimeout(timer);
      let status = code, signal = sig, rss = hwm;
      if (TIME) {
        const t = fs.existsSync(timeFile) ? fs.readFileSync(timeFile, 'utf8') : '';
        fs.removeSync(timeFile);
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(t);
        if (m) rss = Number(m[1]);
        const s = /Command terminated by signal (\d+)/.exec(t);
        const e = /Exit status: (\d+)/.exec(t);
        signal = s ? Number(s[1]) : null;
        status = s ? null : e ? Number(e[1]) : code;
      }
      resolve({ status, signal, killed, stdout: text(out), stderr: text(err), rss, ms: Date.now() - start });
    });
  });
}

const ended = (r) => (r.killed ? `killed (${r.killed})` : r.signal ? `ended by signal ${r.signal}` : `exit ${r.status}`);
const lastLines = (s, n = 3) => s.trim().split('\n').slice(-n).join(' | ').slice(-300);
/** Host error lines on stderr, counted by kind. */
function hostErrors(stderr) {
  const lines = stderr.split('\n').filter((l) => /^embox:|failed:|\[object Object\]/.test(l));
  return lines.length ? `${lines.length} host error lines on stderr, first: ${lines[0].slice(0, 160)}` : '';
}

// ---- cases: each returns { passed, reason, rss, detail } ----

async function baseline() {
  const r = await embox(['-c', 'load_app hello'], { timeout: 60_000 });
  const ok = r.status === 0 && r.stdout === 'hello, world\n';
  return { passed: ok, rss: r.rss, reason: ok ? `load_app hello, ${r.ms} ms` : `${ended(r)}: ${lastLines(r.stdout + r.stderr)}` };
}

async function forkStorm() {
  const timeout = 120_000;
  // the storm's shell lets it run 5 s, then ends it with kill -9 -1 (every process but init and
  // itself) and goes on; the embox shell runs commands after it. (From the embox shell the kill
  // would not come: load_app waits for the end of the program's output, which the storm holds.)
  const line = "load_app sh -c 'echo before-storm; b(){ b|b& }; b; sleep 5; kill -9 -1; echo after-kill'; echo after-storm; load_app hello";
  const r = await embox(['-c', line], { timeout });
  const why = [];
  if (r.killed) why.push(`did not end by itself: ${r.killed}`);
  else if (r.status !== 0) {
    const own = r.stderr.split('\n').map((l) => l.replace(/(can't fork: [A-Za-z ]+|sh: )/g, '').trim()).filter(Boolean);
    why.push(`${ended(r)}${own.length ? `: ${own.slice(-2).join(' | ').slice(0, 300)}` : ''}`);
  }
  if (!r.stdout.startsWith('before-storm\n')) why.push('the output before the storm is lost');
  if (!r.stdout.includes('after-kill\n')) why.push("the storm's shell printed nothing after kill -9 -1");
  if (!/after-storm\nhello, world\n/.test(r.stdout)) why.push('the embox shell ran no command after the storm');
  const forkErrors = ((r.stdout + r.stderr).match(/can't fork/g) ?? []).length;
  const host = hostErrors(r.stderr);
  if (host) why.push(host);
  const detail = `${forkErrors} "can't fork" messages, ${r.ms} ms`;
  return { passed: why.length === 0, rss: r.rss, reason: why.length ? `${why.join('; ')} (${detail})` : detail };
}

async function threads() {
  const want = scaled(4000, 2);
  let maxRss = 0, runs = 0;
  // glibc's default thread stack (RLIMIT_STACK, 8 MiB) fits 510 threads in 4 GiB natively:
  // 64 KiB ones; threads-max is raised as root would (the kernel sizes it from memory);
  // the program reports MemAvailable before and while all its threads are alive
  const attempt = async (n) => {
    runs++;
    const r = await embox(['-c', `cat /proc/sys/kernel/threads-max; echo 100000 > /proc/sys/kernel/threads-max; load_app manythreads 0 0 ${n} 64 meminfo; echo after`], { timeout: 180_000 });
    maxRss = Math.max(maxRss, r.rss ?? 0);
    const ok = !r.killed && r.status === 0 && r.stdout.includes(`\n${n} threads at once: ${n} ran\nafter\n`) && !hostErrors(r.stderr);
    const cannot = /thread (\d+) of \d+: cannot create/.exec(r.stdout);
    const why = ok ? '' : r.killed || r.status !== 0 ? ended(r) : cannot ? cannot[0] : lastLines(r.stdout + r.stderr);
    return { ok, why, r, cannot: cannot ? Number(cannot[1]) : null, defaultMax: Number(r.stdout.split('\n')[0]) };
  };
  const first = await attempt(want);
  const defMax = `default threads-max ${first.defaultMax}`;
  if (first.ok) {
    const per = /: (\d+) bytes a thread/.exec(first.r.stdout);
    const kernel = per ? `, machine memory ${(Number(per[1]) / 1024).toFixed(1)} KiB a thread (MemAvailable)` : '';
    return { passed: true, rss: maxRss, reason: `${want} threads at once ran (${defMax}, raised)${kernel}, ${first.r.ms} ms` };
  }
  // largest count that works, by bisection in at most 8 more runs
  let lo = 0, hi = want, probes = 0;
  let guess = first.cannot != null && first.cannot > 0 ? first.cannot : null;
  while (hi - lo > 1 && probes < 8) {
    const mid = guess ?? Math.floor((lo + hi) / 2);
    guess = null;
    probes++;
    const a = await attempt(mid);
    log(`threads: ${mid} at once: ${a.ok ? 'ran' : a.why}`);
    if (a.ok) lo = mid; else hi = mid;
    // the count a run reached is the next guess (it varies by a few from run to run)
    if (a.ok && mid === first.cannot && hi - lo > 1) guess = mid + 1;
    if (!a.ok && a.cannot != null && a.cannot > lo && a.cannot < mid) guess = a.cannot;
  }
  const found = hi - lo <= 1 ? `largest that works: ${lo}` : `largest that works: between ${lo} and ${hi - 1}`;
  return { passed: false, rss: maxRss, reason: `${want} at once: ${first.why}; ${found} (${runs} runs; ${defMax}, raised)` };
}

async function memhogs() {
  const line = "load_app sh -c 'memhog & memhog & memhog & wait'; echo after; load_app hello";
  const r = await embox(['-c', line], { timeout: 300_000 });
  const got = [...r.stdout.matchAll(/memhog: (\d+) MiB/g)].map((m) => Number(m[1]));
  const why = [];
  if (r.killed) why.push(r.killed);
  else if (r.status !== 0) why.push(ended(r));
  if (r.rss != null && r.rss > rssBound) why.push(`host peak RSS ${mib(r.rss)} above the ${mib(rssBound)} bound`);
  if (!r.killed && !/after\nhello, world\n/.test(r.stdout)) why.push('the shell did not run on');
  const host = hostErrors(r.stderr);
  if (host) why.push(host);
  const detail = `the hogs got ${got.length ? got.map((g) => `${g}`).join(' + ') + ' MiB' : 'nothing printed'}`;
  return { passed: why.length === 0, rss: r.rss, reason: why.length ? `${why.join('; ')}; ${detail}` : detail };
}

async function fuzz() {
  const seeds = [1, 2, 3, 26, 34];
  const calls = scaled(20_000);
  let maxRss = 0, children = 0, signalled = 0, stopped = 0;
  const bad = [];
  for (const seed of seeds) {
    const r = await embox(['-c', `load_app fuzz ${seed} ${calls}; echo after; load_app hello`], { timeout: Math.max(120_000, calls * 30) });
    maxRss = Math.max(maxRss, r.rss ?? 0);
    const m = new RegExp(`^fuzz: seed ${seed}: ${calls} calls in (\\d+) children: (\\d+) exited, (\\d+) killed by a signal, (\\d+) stopped$`, 'm').exec(r.stdout);
    const why = [];
    if (r.killed || r.status !== 0) why.push(ended(r));
    if (!m) why.push(`no summary line: ${lastLines(r.stdout)}`);
    if (r.stderr) why.push(`stderr: ${lastLines(r.stderr, 2)}`);
    if (!r.stdout.endsWith('after\nhello, world\n')) why.push('the shell did not run on');
    if (m) { children += Number(m[1]); signalled += Number(m[3]); stopped += Number(m[4]); }
    log(`fuzz seed ${seed}: ${why.length ? why.join('; ') : `${m[1]} children`}, ${r.ms} ms`);
    if (why.length) bad.push(`seed ${seed}: ${why.join('; ')}`);
  }
  const detail = `${seeds.length} seeds x ${calls} calls: ${children} children, ${signalled} killed by a signal, ${stopped} stopped`;
  return { passed: bad.length === 0, rss: maxRss, reason: bad.length ? `${bad.join(' / ')} (${detail})` : detail };
}

/** splitmix-style sequence, so the kill times repeat from run to run. */
function seeded(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
}

async function kill9() {
  const trials = scaled(20);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stress-kill9-'));
  const img = path.join(dir, 'disk.img');
  const rand = seeded(15);
  let maxRss = 0;
  const synced = []; // per trial: files the guest saw synced
  const bad = [];
  try {
    await $`mkfs.ext4 -q -F ${img} 64M`;
    for (let t = 0; t < trials; t++) {
      // killed 0.5-3 s after the first synced file
      const after = 500 + Math.floor(rand() * 2500);
      let firstAt = 0;
      const script = `mkdir -p /mnt/vda/t${t}; i=0; while true; do echo trial${t}-$i > /mnt/vda/t${t}/f$i; sync; echo synced $i; i=$((i+1)); done`;
      const r = await embox(['--vda', img, '-c', `load_app sh -c '${script}'`], {
        timeout: 60_000,
        killWhen: (s) => {
          if (!/synced \d+\n/.test(s)) return false;
          firstAt ||= Date.now();
          return Date.now() - firstAt >= after;
        },
      });
      maxRss = Math.max(maxRss, r.rss ?? 0);
      const n = [...r.stdout.matchAll(/^synced (\d+)$/gm)].length;
      synced.push(n);
      const why = [];
      if (r.killed !== 'by the trial') why.push(`not killed during the writes: ${ended(r)}, ${lastLines(r.stdout + r.stderr)}`);
      // the journal replayed as the next mount would (by e2fsprogs, so that the check is of
      // what embox left on the disk), then a full check that changes nothing
      const replay = spawnSync('e2fsck', ['-E', 'journal_only', '-p', img], { encoding: 'utf8' });
      if (replay.status !== 0) why.push(`e2fsck -E journal_only: exit ${replay.status}: ${lastLines(replay.stdout + replay.stderr, 4)}`);
      const fsck = spawnSync('e2fsck', ['-fn', img], { encoding: 'utf8' });
      if (fsck.status !== 0) why.push(`e2fsck -fn: exit ${fsck.status}: ${lastLines(fsck.stdout + fsck.stderr, 4)}`);
      // every file synced in this and the earlier trials, read by debugfs
      const out = path.join(dir, 'dump');
      await fs.remove(out);
      await fs.mkdirp(out);
      const dump = spawnSync('debugfs', ['-R', `rdump / ${out}`, img], { encoding: 'utf8' });
      let missing = 0, first = '';
      for (let k = 0; k <= t; k++) {
        for (let i = 0; i < synced[k]; i++) {
          const f = path.join(out, `t${k}`, `f${i}`);
          const got = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : null;
          if (got !== `trial${k}-${i}\n`) { missing++; first ||= `t${k}/f${i}: ${got === null ? 'missing' : JSON.stringify(got)}`; }
        }
      }
      if (dump.status !== 0) why.push(`debugfs rdump: exit ${dump.status}`);
      if (missing) why.push(`${missing} synced files missing or wrong, first ${first}`);
      log(`kill -9 trial ${t + 1}/${trials}: ${n} files synced, ${why.length ? why.join('; ') : 'e2fsck clean, all synced files there'}`);
      if (why.length) bad.push(`trial ${t + 1}: ${why.join('; ')}`);
    }
  } finally {
    await fs.remove(dir);
  }
  const total = synced.reduce((a, b) => a + b, 0);
  const detail = `${trials} trials, ${total} synced files checked after each (${Math.min(...synced)}-${Math.max(...synced)} a trial)`;
  return { passed: bad.length === 0, rss: maxRss, reason: bad.length ? `${bad.slice(0, 3).join(' / ')}${bad.length > 3 ? ` (+${bad.length - 3} more)` : ''} (${detail})` : `${detail}, e2fsck -fn clean each time (after the journal's replay)` };
}

const cases = {
  baseline: { what: 'idle system: load_app hello', run: baseline },
  'fork-storm': { what: 'fork storm b(){ b\|b& } for 5 s, then kill -9 -1 from its shell', run: forkStorm },
  threads: { what: `${scaled(4000, 2)} threads at once in one process`, run: threads },
  memhogs: { what: 'three memory hogs at once', run: memhogs },
  fuzz: { what: `system call fuzzer, 5 seeds x ${scaled(20_000)} calls`, run: fuzz },
  kill9: { what: `${scaled(20)} kill -9 during synced writes, e2fsck -fn`, run: kill9 },
};

if (!fs.existsSync(path.join(root, 'dist/bin/main.js'))) {
  console.error('stress: not built: run `npm run build` first (npm run stress builds)');
  process.exit(1);
}
const only = argv.case ? String(argv.case).split(',') : Object.keys(cases);
for (const c of only) {
  if (!cases[c]) {
    console.error(`stress: no case ${c} (cases: ${Object.keys(cases).join(', ')})`);
    process.exit(2);
  }
}
const rows = [];
for (const name of only) {
  log(`${name}: ${cases[name].what} ...`);
  const start = Date.now();
  let res;
  try {
    res = await cases[name].run();
  } catch (e) {
    res = { passed: false, rss: null, reason: `the case itself failed: ${e?.message ?? e}` };
  }
  const secs = Math.round((Date.now() - start) / 1000);
  rows.push({ name, what: cases[name].what, ...res, secs });
  log(`${name}: ${res.passed ? 'passed' : 'failed'}, peak RSS ${mib(res.rss)}, ${secs} s: ${res.reason}`);
}

const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
console.log(`\n| case | what | result | host peak RSS | time | details |\n| --- | --- | --- | --- | --- | --- |`);
for (const r of rows) {
  console.log(`| ${r.name} | ${esc(r.what)} | ${r.passed ? 'passed' : 'failed'} | ${mib(r.rss)} | ${r.secs} s | ${esc(r.reason)} |`);
}
console.log(`\npeak RSS: ${TIME ? "/usr/bin/time -v's maximum resident set size" : '/proc VmHWM'} of the embox node process (the largest of a case's runs)`);
process.exit(rows.every((r) => r.passed) ? 0 : 1);
