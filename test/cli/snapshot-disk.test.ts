// Boots with a disk start from the snapshot of the started system too: the
// kernel takes its disk after the first part (drivers/blk.c's
// __NR_wasm_blk_attach), so `--vda IMAGE` restores the plain boot's snapshot
// and attaches the image at /mnt/vda, and `--root IMAGE` restores one of its
// own (the first part without the bundled rootfs) and makes the image `/`.
// What the disk holds is the same as after a boot from scratch: data written
// is read back by the next boot, the image is clean for e2fsck, its lock
// holds, a bad image is refused and left as it was, and a damaged snapshot of
// a disk boot is made again, never used. Each test has a cache directory of
// its own (XDG_CACHE_HOME).
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hostHas, image } from '../images.js';
import { cacheDir, events, pidRanks, snapshotEnv, snapshots } from './snapshot-cache.js';
import { emboxRun, holdingRoot, ROOT, type Run } from '../tasks/run-embox.js';

// (a ceiling: with EMBOX_JIT=1, each block its own module, python3's start under --root alone takes
// 30 s, and beside the CPU golden tests of a full run it went past 120)
const TIMEOUT = 240_000;
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** embox with these arguments, this cache directory and the snapshot's debug lines on stderr. */
function run(cache: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return emboxRun(args, { env: snapshotEnv(cache, env), timeout: TIMEOUT });
}

/** stderr without the snapshot's debug lines. */
const plainStderr = (r: Run): string => r.stderr.split('\n').filter((l) => !/boot:snapshot/.test(l)).join('\n');

function fsckClean(t: ExecutionContext, img: string): void {
  if (!hostHas('e2fsck')) return;
  const c = spawnSync('e2fsck', ['-fn', img], { encoding: 'utf8' });
  t.is(c.status, 0, c.stdout + c.stderr);
}

// What a guest sees of a disk at /mnt/vda: the kernel's disk, its mount, the files
const VDA_LOOK = "load_app sh -c 'cat /sys/block/vda/size /proc/partitions; stat -c \"%n %F %t:%T %a\" /dev/vda; grep vd /proc/mounts /proc/devices; ls /mnt/vda; df /mnt/vda | tail -1'";

test('--vda restores the plain boot\'s snapshot and attaches the image; what is written is read back by the next boot, and the image is clean', async (t) => {
  const cache = cacheDir(t);
  const img = image(t, 'ext4-32m');
  // the first boot with a disk makes the snapshot the plain boot uses
  const first = await run(cache, ['--vda', img, '-c', VDA_LOOK]);
  t.is(first.status, 0, first.stderr);
  t.deepEqual(events(first), ['made']);
  t.is(snapshots(cache).length, 1);
  const plain = await run(cache, ['-c', 'load_app linux_echo hi']);
  t.is(plain.stdout, 'hi\n', plain.stderr);
  t.deepEqual(events(plain), ['restored']);

  // restored, the disk is the one a boot from scratch gives
  const again = await run(cache, ['--vda', img, '-c', VDA_LOOK]);
  t.deepEqual(events(again), ['restored']);
  t.is(again.stdout, first.stdout);
  const scratch = await run(cache, ['--vda', img, '-c', VDA_LOOK], { EMBOX_SNAPSHOT: '0' });
  t.deepEqual(events(scratch), []);
  t.is(scratch.stdout, first.stdout);
  t.regex(first.stdout, /^65536\nmajor minor {2}#blocks {2}name\n\n 254 +0 +32768 vda\n\/dev\/vda block special file fe:0 600\n\/proc\/mounts:\/dev\/vda \/mnt\/vda ext4 rw,relatime 0 0\n\/proc\/devices:254 vd\nlost\+found\n/);

  const w = await run(cache, ['--vda', img, '-c', "load_app sh -c 'seq 1 20000 > /mnt/vda/numbers; mkdir /mnt/vda/d; echo kept > /mnt/vda/d/note'"]);
  t.is(w.status, 0, w.stderr);
  t.deepEqual(events(w), ['restored']);
  const r = await run(cache, ['--vda', img, '-c', 'load_app sh -c \'cat /mnt/vda/d/note; md5sum < /mnt/vda/numbers\'']);
  t.deepEqual(events(r), ['restored']);
  const md5 = createHash('md5').update(Array.from({ length: 20000 }, (_, i) => `${i + 1}\n`).join('')).digest('hex');
  t.is(r.stdout, `kept\n${md5}  -\n`, r.stderr);
  fsckClean(t, img);
  if (hostHas('debugfs')) t.is(spawnSync('debugfs', ['-R', 'cat /d/note', img], { encoding: 'utf8' }).stdout, 'kept\n');

  // read-only: restored, mounted read-only, the file unchanged
  const before = sha256(img);
  const ro = await run(cache, ['--vda', `${img}:ro`, '-c', "load_app sh -c 'cat /mnt/vda/d/note; echo x > /mnt/vda/x'"]);
  t.deepEqual(events(ro), ['restored']);
  t.is(ro.stdout, 'kept\n');
  t.regex(plainStderr(ro), /Read-only file system/);
  t.is(sha256(img), before);
});

test.serial('--root restores a snapshot of its own and makes the image /; written data is there at the next boot, the image is clean', async (t) => {
  const cache = cacheDir(t);
  const img = image(t, 'debian-root');
  const LOOK = "pwd; load_app env; load_app sh -c 'echo pid $$; cat /proc/mounts; ls /; ls /dev | head -50; cat /etc/resolv.conf; ps -o pid,comm | grep -v kworker; ls /usr/lib/busybox'";
  const first = await run(cache, ['--root', img, '-c', LOOK]);
  t.deepEqual(events(first), ['made']);
  t.regex(first.stdout, /^\/root\n/);
  t.regex(first.stdout, /^\/dev\/vda \/ ext4 rw,/m);
  t.regex(plainStderr(first), /ls: cannot access '\/usr\/lib\/busybox': No such file or directory/);
  // a plain boot's snapshot is another one: the bundled rootfs is in it, never under a root from the disk
  const plain = await run(cache, ['-c', 'load_app linux_echo hi']);
  t.deepEqual(events(plain), ['made']);
  t.is(snapshots(cache).length, 2);

  // the first boot wrote /etc/resolv.conf into the image (it had none); from now on it is bound over
  t.notRegex(first.stdout, /resolv\.conf/);
  const again = await run(cache, ['--root', img, '-c', LOOK]);
  t.deepEqual(events(again), ['restored']);
  t.regex(again.stdout, /^rootfs \/etc\/resolv\.conf /m);
  t.is(again.status, first.status);
  const scratch = await run(cache, ['--root', img, '-c', LOOK], { EMBOX_SNAPSHOT: '0' });
  t.deepEqual(events(scratch), []);
  t.is(pidRanks(scratch.stdout), pidRanks(again.stdout));
  t.is(scratch.status, again.status);
  t.is(pidRanks(again.stdout.replace(/^rootfs \/etc\/resolv\.conf .*\n/m, '')), pidRanks(first.stdout));

  const w = await run(cache, ['--root', img, '-c', "load_app bash -c 'echo persisted $((6*7)) > /root/note; python3 -c \"print(6*7)\"'"]);
  t.is(w.stdout, '42\n', w.stderr);
  t.deepEqual(events(w), ['restored']);
  const r = await run(cache, ['--root', img, '-c', 'load_app cat /root/note']);
  t.deepEqual(events(r), ['restored']);
  t.is(r.stdout, 'persisted 42\n', r.stderr);
  fsckClean(t, img);
  if (hostHas('debugfs')) t.is(spawnSync('debugfs', ['-R', 'cat /root/note', img], { encoding: 'utf8' }).stdout, 'persisted 42\n');
});

test.serial('from a restored snapshot, the image lock holds and a bad root image is refused and left as it was', async (t) => {
  const cache = cacheDir(t);
  const img = image(t, 'debian-root');
  t.deepEqual(events(await run(cache, ['--root', img, '-c', 'echo made'])), ['made']);
  // the first holds the lock while its program runs (restored, as the second would be)
  const first = await holdingRoot(img, { XDG_CACHE_HOME: cache }, TIMEOUT);
  const second = await run(cache, ['--root', img, '-c', 'echo booted']);
  t.regex(second.stderr, new RegExp(`^embox: ${img}: image is in use by another embox \\(pid ${first.pid}\\), attached read-write`));
  t.is(second.status, 1);
  t.is(await first.release(), 0);

  for (const [name, message] of [
    ['ext4-32m', 'no /bin/sh: not the root filesystem of a distribution'],
    ['ext4-x86_64-root', '/bin/sh: x86-64 ELF, not i386: an i386 distribution is needed'],
  ]) {
    const bad = image(t, name!);
    const before = sha256(bad);
    const r = await run(cache, ['--root', bad, '-c', 'echo booted']);
    t.deepEqual(events(r), ['restored'], name);
    t.true(plainStderr(r).startsWith(`embox: ${bad}: ${message}`), r.stderr);
    t.is(r.stdout, '');
    t.is(r.status, 1);
    t.is(sha256(bad), before, `${name} unchanged`);
  }
});

test.serial('a stale or damaged snapshot of a disk boot is made again and never used', async (t) => {
  const boots: Array<[string[], string, RegExp]> = [
    [['--root', image(t, 'debian-root')], 'load_app cat /etc/debian_version', /^12\.\d+\n$/],
    [['--vda', image(t, 'ext4-32m')], 'load_app ls /mnt/vda', /^lost\+found\n$/],
  ];
  for (const [disk, line, want] of boots) {
    const what = disk[0]!;
    const cache = cacheDir(t);
    const r1 = await run(cache, [...disk, '-c', line]);
    t.regex(r1.stdout, want, r1.stderr);
    t.deepEqual(events(r1), ['made'], what);
    const [file] = snapshots(cache);
    const good = fs.readFileSync(file!);
    const damages: Array<[string, (b: Buffer) => Buffer]> = [
      ['a byte of the data', (b) => { const c = Buffer.from(b); c[c.length - 4000] = c[c.length - 4000]! ^ 0x20; return c; }],
      ['a byte of the header', (b) => { const c = Buffer.from(b); c[40] = c[40]! ^ 1; return c; }],
      ['cut short', (b) => b.subarray(0, b.length - 4096)],
    ];
    for (const [how, damage] of damages) {
      fs.writeFileSync(file!, damage(good));
      const r = await run(cache, [...disk, '-c', line]);
      t.is(r.status, 0, `${what}, ${how}: ${r.stderr}`);
      t.regex(r.stdout, want, `${what}, ${how}`);
      t.deepEqual(events(r), ['damaged', 'made'], `${what}, ${how}`);
      const next = await run(cache, [...disk, '-c', line]);
      t.deepEqual(events(next), ['restored'], `${what}, ${how}`);
      t.regex(next.stdout, want, `${what}, ${how}`);
    }
    // another kernel file: stale, made again
    const dir = cacheDir(t);
    const kernel = path.join(dir, 'lkl.wasm');
    fs.copyFileSync(path.join(ROOT, 'lkl', 'lkl.wasm'), kernel);
    const r = await run(cache, [...disk, '-c', line], { EMBOX_KERNEL: kernel });
    t.regex(r.stdout, want, r.stderr);
    t.deepEqual(events(r), ['stale', 'made'], what);
    t.deepEqual(events(await run(cache, [...disk, '-c', line], { EMBOX_KERNEL: kernel })), ['restored'], what);
  }
});
