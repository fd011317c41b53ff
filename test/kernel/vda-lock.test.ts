// One embox per disk image: a second embox on an image in use fails with a
// message naming the image (exit status 1) and the first one's data stays;
// a lock left by a process killed with SIGKILL does not block the next one;
// `--vda IMAGE:ro` attaches an image read-only, shared with other readers
// (writes are EROFS, the file is not changed).
import test from 'ava';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { image, hostHas } from '../images.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EMBOX = path.join(ROOT, 'bin', 'embox.cjs');

function embox(args: string[]) {
  const r = spawnSync(process.execPath, [EMBOX, ...args], { encoding: 'utf8', input: '', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** An embox in the background (its stdin a pipe), resolved once its stdout has printed `ready`. */
async function background(args: string[]): Promise<{ child: ChildProcess; done: Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> }> {
  const child = spawn(process.execPath, [EMBOX, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  const done = new Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  void done.then(() => clearTimeout(timer));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d;
      if (stdout.includes('ready\n')) resolve();
    });
    void done.then((r) => reject(new Error(`embox ended before it was ready: ${JSON.stringify(r)}`)));
  });
  return { child, done };
}

const inUse = (img: string, pid: number, by: string) =>
  `embox: ${img}: image is in use by another embox (pid ${pid}), attached ${by}; an image is attached read-write by one embox at a time, or read-only (IMAGE:ro) by several\n`;

const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

function fsckClean(t: { is(a: unknown, b: unknown, m?: string): void }, img: string): void {
  if (!hostHas('e2fsck')) return;
  const c = spawnSync('e2fsck', ['-fn', img], { encoding: 'utf8' });
  t.is(c.status, 0, c.stdout + c.stderr);
}

test.serial('a second embox on an image in use fails naming it; the first one\'s data is intact', async (t) => {
  const img = image(t, 'ext4-32m');
  const first = await background(['--vda', img, '-c',
    "load_app sh -c 'for i in 1 2 3 4 5; do echo first$i > /mnt/vda/f$i; sync; done; echo ready; read x; echo after > /mnt/vda/after; sync'"]);
  const second = embox(['--vda', img, '-c', 'echo second > /mnt/vda/f1; sync']);
  t.is(second.stderr, inUse(img, first.child.pid!, 'read-write'));
  t.is(second.stdout, '');
  t.is(second.status, 1);
  // read-only is refused too while a writer has it
  const reader = embox(['--vda', `${img}:ro`, '-c', 'cat /mnt/vda/f1']);
  t.is(reader.stderr, inUse(img, first.child.pid!, 'read-write'));
  t.is(reader.status, 1);
  first.child.stdin!.end('go\n');
  const r = await first.done;
  t.is(r.stderr, '');
  t.is(r.status, 0);
  const check = embox(['--vda', img, '-c', 'cat /mnt/vda/f1 /mnt/vda/f2 /mnt/vda/f3 /mnt/vda/f4 /mnt/vda/f5 /mnt/vda/after']);
  t.is(check.stdout, 'first1\nfirst2\nfirst3\nfirst4\nfirst5\nafter\n');
  t.is(check.status, 0);
  fsckClean(t, img);
});

test.serial('the lock of an embox killed with SIGKILL is gone at once: the next one attaches', async (t) => {
  const img = image(t, 'ext4-32m');
  const first = await background(['--vda', img, '-c', "echo kept > /mnt/vda/kept; sync; load_app sh -c 'echo ready; sleep 60'"]);
  first.child.kill('SIGKILL');
  const r = await first.done;
  t.is(r.signal, 'SIGKILL');
  const started = Date.now();
  const next = embox(['--vda', img, '-c', 'cat /mnt/vda/kept; echo new > /mnt/vda/new; sync']);
  t.is(next.stderr, '');
  t.is(next.stdout, 'kept\n');
  t.is(next.status, 0);
  t.true(Date.now() - started < 60_000);
  fsckClean(t, img);
});

test.serial('IMAGE:ro: several readers at once, mounted read-only (writes are EROFS), the file untouched; a writer is refused meanwhile', async (t) => {
  const img = image(t, 'ext4-32m');
  const w = embox(['--vda', img, '-c', 'echo data > /mnt/vda/d; sync']);
  t.is(w.status, 0);
  const before = sha(img);
  const first = await background(['--vda', `${img}:ro`, '-c', "load_app sh -c 'echo ready; read x; cat /mnt/vda/d'"]);
  const second = embox(['--vda', `${img}:ro`, '-c',
    'load_app sh -c "cat /mnt/vda/d; grep \' /mnt/vda \' /proc/mounts | cut -d\' \' -f4 | cut -d, -f1; touch /mnt/vda/new; echo x >> /mnt/vda/d; rm -f /mnt/vda/d; mkdir /mnt/vda/dir; cat /mnt/vda/d"']);
  t.is(second.stdout, 'data\nro\ndata\n');
  // as Debian's busybox prints them natively on a read-only mount
  t.is(second.stderr,
    'touch: /mnt/vda/new: Read-only file system\n' +
    'sh: can\'t create /mnt/vda/d: Read-only file system\n' +
    'rm: can\'t remove \'/mnt/vda/d\': Read-only file system\n' +
    'mkdir: can\'t create directory \'/mnt/vda/dir\': Read-only file system\n');
  const writer = embox(['--vda', img, '-c', 'true']);
  t.is(writer.stderr, inUse(img, first.child.pid!, 'read-only'));
  t.is(writer.status, 1);
  first.child.stdin!.end('go\n');
  const r = await first.done;
  t.is(r.stdout, 'ready\ndata\n');
  t.is(r.status, 0);
  t.is(sha(img), before);
});
