// The shell through the `embox` command, every builtin acting on the real kernel.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EMBOX = path.join(ROOT, 'bin', 'embox.cjs');

function embox(args: string[], input = '') {
  const r = spawnSync(process.execPath, [EMBOX, ...args], { encoding: 'utf8', input, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the issue\'s first command: cat /proc/version', (t) => {
  const r = embox(['-c', 'cat /proc/version']);
  t.regex(r.stdout, /^Linux version 6\.1\.\d+-wasm /);
  t.is(r.stderr, '');
  t.is(r.status, 0);
});

test('errors name the command, the object and the reason; the status is the last command\'s', (t) => {
  const r = embox(['-c', 'cat /nope']);
  t.is(r.stdout, '');
  t.is(r.stderr, 'cat: /nope: No such file or directory\n');
  t.is(r.status, 1);
  const r2 = embox(['-c', 'cat /nope; echo ok']);
  t.is(r2.stdout, 'ok\n');
  t.is(r2.status, 0);
  const r3 = embox(['-c', 'mkdir /proc/x']);
  t.regex(r3.stderr, /^mkdir: cannot create directory '\/proc\/x': (No such file or directory|Operation not permitted)\n$/);
  t.is(r3.status, 1);
  t.is(embox(['-c', 'exit 3']).status, 3);
  t.is(embox(['-c', 'nosuchcommand']).status, 127);
});

test('files and directories: echo, redirection, cat, ls, mkdir -p, rm -r', (t) => {
  const r = embox(['-c', [
    'echo one > /tmp/f', 'echo two >> /tmp/f', 'cat /tmp/f',
    'mkdir -p /tmp/a/b/c', 'echo x > /tmp/a/b/c/file', 'ls /tmp/a/b/c', 'ls /tmp',
    'rm -r /tmp/a', 'ls /tmp', 'rm /tmp/f', 'cat /tmp/f',
  ].join('; ')]);
  t.is(r.stdout, 'one\ntwo\nfile\na\nf\nf\n');
  t.is(r.stderr, 'cat: /tmp/f: No such file or directory\n');
});

test('system commands: uname, ps with kernel pids, dmesg, mount, help', (t) => {
  const r = embox(['-c', 'uname -a; ps; mount; help']);
  t.regex(r.stdout, /^Linux embox 6\.1\.\d+-wasm #1 Thu Jan  1 00:00:00 UTC 1970 wasm\n/);
  t.regex(r.stdout, /^ +\d+ +\d+ running +shell$/m); // the shell's kernel pid
  t.regex(r.stdout, /^ +\d+ +- +blocked +kernel$/m);
  t.regex(r.stdout, /^proc \/proc proc rw,nosuid,nodev,noexec/m);
  t.regex(r.stdout, /^devtmpfs \/dev devtmpfs /m);
  for (const cmd of ['ls', 'cat', 'echo', 'mkdir', 'rm', 'mount', 'umount', 'sync', 'ps', 'uname', 'dmesg', 'poweroff', 'exit']) {
    t.regex(r.stdout, new RegExp(`^  ${cmd} `, 'm'), cmd);
  }
  const d = embox(['-c', 'dmesg']);
  t.regex(d.stdout, /Linux version 6\.1/);
  t.regex(d.stdout, /Run \/init as init process/);
});

test('mount and umount a tmpfs', (t) => {
  const r = embox(['-c', 'mkdir /mnt; mkdir /mnt/t; mount -t tmpfs none /mnt/t; echo in > /mnt/t/f; cat /mnt/t/f; umount /mnt/t; ls /mnt/t; echo done']);
  t.is(r.stdout, 'in\ndone\n');
  t.is(r.stderr, '');
});

test('kernel messages stay off stdout; --verbose shows them on stderr', (t) => {
  const q = embox(['-c', 'echo quiet']);
  t.is(q.stdout, 'quiet\n');
  t.is(q.stderr, '');
  const v = embox(['--verbose', '-c', 'echo loud']);
  t.is(v.stdout, 'loud\n');
  t.regex(v.stderr, /Linux version 6\.1/);
});

test('without -c, lines come from standard input; poweroff ends the session', (t) => {
  const r = embox([], 'echo first\ncat /proc/sys/kernel/hostname\npoweroff\necho never\n');
  t.is(r.stdout, 'first\nembox\n');
  t.is(r.status, 0);
});
