// The snapshot of the started system (src/boot/snapshot.ts): made by the
// first start in the cache directory, restored by the next, made again when
// what it was made from changed or when the file is damaged (and then never
// used), not read or made with EMBOX_SNAPSHOT=0; a restored system behaves
// as one booted from scratch. Each test has a cache directory of its own
// (XDG_CACHE_HOME).
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, events, pidRanks, snapshotEnv, snapshots } from './snapshot-cache.js';
import { emboxRun, ROOT, type Run } from '../tasks/run-embox.js';

const TIMEOUT = 90_000;

/** `embox -c line` with this cache directory and the snapshot's debug lines on stderr. */
function run(cache: string, line: string, env: Record<string, string> = {}): Promise<Run> {
  return emboxRun(['-c', line], { env: snapshotEnv(cache, env), timeout: TIMEOUT });
}

// What a guest sees of the system's start: the files of the root filesystem and
// their contents, the mounts, the processes and their pids, the kernel's log, the
// network; never the times (the first part's clock runs while it boots).
const LOOK = "load_app sh -c 'echo pid $$; find / -xdev | sort | head -400 | md5sum; cat /etc/resolv.conf /proc/mounts; "
  + "stat -c \"%n %s %a %h\" /bin/busybox /etc/passwd /dev/console /tmp; ps -o pid,comm | grep -v kworker; ifconfig lo | head -2; "
  + "ifconfig eth0 | head -2; dmesg | head -3'";

test('the first start makes the snapshot, the next restore it; a restored system is the booted one, and EMBOX_SNAPSHOT=0 reads and makes none', async (t) => {
  const cache = cacheDir(t);
  const first = await run(cache, LOOK);
  t.is(first.status, 0, first.stderr);
  t.deepEqual(events(first), ['made']);
  t.is(snapshots(cache).length, 1);
  const again = await run(cache, LOOK);
  t.deepEqual(events(again), ['restored']);
  t.is(pidRanks(again.stdout), pidRanks(first.stdout));

  const off = cacheDir(t);
  const scratch = await run(off, LOOK, { EMBOX_SNAPSHOT: '0' });
  t.deepEqual(events(scratch), []);
  t.deepEqual(snapshots(off), [], 'nothing made');
  t.is(pidRanks(scratch.stdout), pidRanks(first.stdout));
  // nor read: a snapshot in place stays as it is
  const file = snapshots(cache)[0]!;
  const before = fs.statSync(file, { bigint: true });
  const scratch2 = await run(cache, LOOK, { EMBOX_SNAPSHOT: '0' });
  t.deepEqual(events(scratch2), []);
  t.is(pidRanks(scratch2.stdout), pidRanks(first.stdout));
  t.is(fs.statSync(file, { bigint: true }).mtimeNs, before.mtimeNs);
  t.regex(first.stdout, /^pid \d+\n/);
  t.regex(pidRanks(first.stdout), /^pid p\d+\n(.|\n)* +p0 init\n/, 'the pids are ranked');

  // what is random is not the snapshot's: each restored start has its own
  const RANDOM = "load_app sh -c 'head -c 16 /dev/urandom | od -x | head -1; cat /proc/sys/kernel/random/boot_id; mktemp'";
  const [a, b] = [await run(cache, RANDOM), await run(cache, RANDOM)];
  t.deepEqual([...events(a), ...events(b)], ['restored', 'restored']);
  const [la, lb] = [a.stdout.split('\n'), b.stdout.split('\n')];
  t.is(la.length, 4, a.stdout);
  for (let i = 0; i < 3; i++) t.not(la[i], lb[i], `line ${i + 1} differs: ${la[i]}`);
});

test('a stale snapshot is made again: another kernel file, a changed one, another memory size', async (t) => {
  const cache = cacheDir(t);
  const dir = cacheDir(t);
  const kernel = path.join(dir, 'lkl.wasm');
  fs.copyFileSync(path.join(ROOT, 'lkl', 'lkl.wasm'), kernel);
  const env = { EMBOX_KERNEL: kernel };
  const r1 = await run(cache, 'load_app linux_echo one', env);
  t.is(r1.stdout, 'one\n', r1.stderr);
  t.deepEqual(events(r1), ['made']);
  const [file] = snapshots(cache);
  const made = fs.readFileSync(file!);
  t.deepEqual(events(await run(cache, 'load_app linux_echo two', env)), ['restored']);

  // the same bytes, but a file changed since (its time): stale
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(kernel, later, later);
  const r3 = await run(cache, 'load_app linux_echo three', env);
  t.is(r3.stdout, 'three\n', r3.stderr);
  t.deepEqual(events(r3), ['stale', 'made']);
  t.deepEqual(snapshots(cache), [file], 'made again in place');
  t.notDeepEqual(fs.readFileSync(file!).subarray(0, 4096), made.subarray(0, 4096), 'its key changed');
  t.deepEqual(events(await run(cache, 'load_app linux_echo four', env)), ['restored']);

  // another kernel file in its place (the same code, one more custom section): stale
  const section = Buffer.concat([Buffer.from([0, 7, 5]), Buffer.from('other'), Buffer.from([1])]);
  fs.writeFileSync(kernel, Buffer.concat([fs.readFileSync(kernel), section]));
  const r5 = await run(cache, 'load_app linux_echo five', env);
  t.is(r5.stdout, 'five\n', r5.stderr);
  t.deepEqual(events(r5), ['stale', 'made']);

  // another configuration has a snapshot of its own; the first one stays
  const r6 = await emboxRun(['--mem', '128M', '-c', "load_app sh -c 'grep MemTotal /proc/meminfo'"], { env: snapshotEnv(cache, env), timeout: TIMEOUT });
  t.regex(r6.stdout, /^MemTotal: +12\d{4} kB\n$/, r6.stderr);
  t.deepEqual(events(r6), ['made']);
  t.is(snapshots(cache).length, 2);
  t.deepEqual(events(await run(cache, 'load_app linux_echo six', env)), ['restored']);
});

test('a damaged snapshot is detected, never used, and made again', async (t) => {
  const cache = cacheDir(t);
  const passwd = fs.readFileSync(path.join(ROOT, 'rootfs', 'etc', 'passwd'));
  const r1 = await run(cache, 'cat /etc/passwd');
  t.is(r1.stdout, passwd.toString('latin1'), r1.stderr);
  t.deepEqual(events(r1), ['made']);
  const [file] = snapshots(cache);
  const good = fs.readFileSync(file!);
  // /etc/passwd's contents are in the kernel's memory, so in the snapshot: changed there, they
  // would show if the damaged snapshot were used
  const at = good.indexOf(passwd);
  t.true(at > 0, "the file's contents are in the snapshot");
  t.is(good.indexOf(passwd, at + 1), -1);
  // a byte of another 16 (another lane of the sum) that differs from the first
  const far = [...passwd.keys()].find((k) => k >= 16 && passwd[k] !== passwd[0])!;
  t.true(far !== undefined);

  const damages: Array<[string, (b: Buffer) => Buffer]> = [
    ['a byte of the data', (b) => { const c = Buffer.from(b); c[at] = c[at]! ^ 0x20; return c; }],
    // (the same bytes, another order: the page sum counts where each lies)
    ['two bytes of the data swapped', (b) => { const c = Buffer.from(b); [c[at], c[at + far]] = [c[at + far]!, c[at]!]; return c; }],
    ['a byte of the header', (b) => { const c = Buffer.from(b); c[40] = c[40]! ^ 1; return c; }],
    ['the magic', (b) => { const c = Buffer.from(b); c[0] = 0; return c; }],
    ['cut short', (b) => b.subarray(0, b.length - 4096)],
    ['empty', () => Buffer.alloc(0)],
  ];
  for (const [what, damage] of damages) {
    fs.writeFileSync(file!, damage(good));
    const r = await run(cache, 'cat /etc/passwd');
    t.is(r.status, 0, `${what}: ${r.stderr}`);
    t.is(r.stdout, passwd.toString('latin1'), what);
    t.deepEqual(events(r), ['damaged', 'made'], what);
    // made again, and used by the next start
    t.true(fs.readFileSync(file!).indexOf(passwd) > 0, what);
    const next = await run(cache, 'cat /etc/passwd');
    t.deepEqual(events(next), ['restored'], what);
    t.is(next.stdout, passwd.toString('latin1'), what);
  }
});

test('a cache directory that cannot be written: the system boots all the same', async (t) => {
  const cache = cacheDir(t);
  fs.writeFileSync(path.join(cache, 'embox-i386'), 'not a directory');
  const r = await run(cache, 'load_app linux_echo hi');
  t.is(r.stdout, 'hi\n');
  t.is(r.status, 0);
  t.deepEqual(events(r), ['not kept']);
  t.regex(r.stderr, /boot:snapshot save .*: .*(ENOTDIR|EEXIST)/);
  t.deepEqual(events(await run(cache, 'load_app linux_echo hi')), ['not kept']);
});
