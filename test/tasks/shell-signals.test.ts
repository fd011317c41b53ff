// The embox shell survives every signal a guest (or the shell's own kill)
// can send its kernel task: caught ones do nothing, SIGSTOP is undone,
// SIGKILL gets it a new kernel task in the same directory. What the signals
// do to guest programs stays Linux's: `kill -9 0` in a program ends its
// process group (compared with busybox sh run natively in a session of its
// own), `kill -9 -1` ends every process but init and the sender.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { hostAnswer } from '../native.js';
import { embox, ROOT } from './run-embox.js';

const LIST = ['bin', 'dev', 'etc', 'lib', 'proc', 'root', 'sbin', 'scripts', 'sys', 'tmp', 'usr'];

for (const k of ['kill -9 0', 'kill -9 -1', 'kill -STOP 0', 'kill -STOP -1', 'kill -TERM 0', 'kill -HUP -1', 'kill -INT 0']) {
  test(`the shell's \`${k}\`: later commands work, in the same directory`, async (t) => {
    const r = await embox(`cd /etc; ${k}; pwd; ls /; load_app true; echo ok`, {}, 60_000);
    t.is(r.stderr, '');
    t.is(r.status, 0);
    const out = r.stdout.split('\n');
    t.is(out[0], '/etc');
    for (const d of LIST) t.true(out.includes(d), `ls / lists ${d}`);
    t.is(out.at(-2), 'ok');
  });
}

test('a program that kills the shell\'s kernel task (SIGKILL): its status still reaches load_app, the shell goes on', async (t) => {
  const r = await embox("cd /tmp; load_app sh -c 'kill -9 $PPID; echo killed it; exit 3'", {}, 60_000);
  t.is(r.stdout, 'killed it\n');
  t.is(r.stderr, '');
  t.is(r.status, 3);
  const again = await embox("cd /tmp; load_app sh -c 'kill -9 $PPID'; pwd; load_app sh -c 'echo $$ > /dev/null; exit 5'", {}, 60_000);
  t.is(again.stdout, '/tmp\n');
  t.is(again.status, 5);
});

test('a program that stops the shell\'s kernel task (SIGSTOP), or sends it the catchable signals: the shell goes on', async (t) => {
  const r = await embox("load_app sh -c 'kill -STOP $PPID; echo stopped it'; echo next;" +
    " load_app sh -c 'for s in HUP INT QUIT TERM USR1 USR2 ALRM TSTP TTIN TTOU; do kill -$s $PPID; done; echo signalled'; echo ok", {}, 60_000);
  t.is(r.stdout, 'stopped it\nnext\nsignalled\nok\n');
  t.is(r.stderr, '');
  t.is(r.status, 0);
});

test('kill -9 -1 from a program: every other process ends (a program left in the background too), the shell goes on', async (t) => {
  const r = await embox("load_app sh -c 'sleep 40 > /dev/null 2>&1 &'; load_app sh -c 'kill -9 -1; exit 7'; echo next;" +
    " load_app sh -c 'ps -o comm | grep -c sleep; true'; echo ok", {}, 60_000);
  t.is(r.stderr, '');
  // no sleep left
  t.is(r.stdout, 'next\n0\nok\n');
  t.is(r.status, 0);
  // the sender is spared: it goes on to its exit
  t.is((await embox("load_app sh -c 'kill -9 -1; exit 7'", {}, 60_000)).status, 7);
});

test('kill -9 -1 from a program spares the sender, as Linux: what it writes afterwards still arrives', async (t) => {
  // the host's output and input pumps are threads of init, which kill(-1) passes over
  const r = await embox("load_app sh -c 'echo before; kill -9 -1; echo after; echo to-stderr >&2; exit 4'; echo next", {}, 60_000);
  t.is(r.stdout, 'before\nafter\nnext\n', r.stderr);
  t.is(r.stderr, 'to-stderr\n');
  t.is(r.status, 0);
});

test('kill -9 0 in a program ends its process group as on Linux (busybox sh in a session of its own)', async (t) => {
  const script = 'sleep 30 & kill -9 0; echo not reached';
  const native = JSON.parse(hostAnswer('busybox sh in its own session', script, () => {
    const r = spawnSync('setsid', ['-w', path.join('rootfs', 'bin', 'busybox'), 'sh', '-c', script], { cwd: ROOT, encoding: 'latin1', timeout: 20_000 });
    if (r.error) throw r.error;
    return Buffer.from(JSON.stringify({ stdout: r.stdout, signal: r.signal, status: r.status }));
  }).toString()) as { stdout: string; signal: string | null; status: number | null };
  t.is(native.signal, 'SIGKILL');
  const t0 = Date.now();
  const r = await embox(`load_app sh -c '${script}'; echo after`, {}, 60_000);
  // load_app waits for its output pipes: the background sleep died with the group, or this took 30 s
  t.true(Date.now() - t0 < 25_000);
  t.is(r.stdout, `${native.stdout}after\n`);
  const killed = await embox(`load_app sh -c '${script}'`, {}, 60_000);
  t.is(killed.status, 128 + 9);
});
