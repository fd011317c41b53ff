// embox --root IMAGE: a Debian bookworm i386 root (test/images/debian-root,
// built by scripts/build-root-image.mjs from pinned Debian packages: bash,
// dash, coreutils, python3.11-minimal and their libraries) as `/`. Its
// programs run from PATH with the output they give natively (the same image's
// files, chrooted into on this machine's CPU; recorded in test/native for
// hosts that cannot); bash has job control on a terminal; what is written
// under / is there at the next boot; an image that is not an i386 root is
// refused with a clear message and left as it was.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hostHas, image } from '../images.js';
import { hostAnswer } from '../native.js';
import { emboxRun, holdingRoot } from './run-embox.js';
import { bootOnTerminal } from './tty-harness.js';

const TIMEOUT = 120_000;
const root = (img: string, line: string, input?: string) => emboxRun(['--root', img, '-c', line], { timeout: TIMEOUT, input });
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** root's login environment on this root when embox's output is not a terminal (no TERM then). */
const LOGIN_ENV = ['HOME=/root', 'SHELL=/bin/bash', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'USER=root', 'LOGNAME=root'];

test.serial('the issue\'s example: load_app python3 -c "print(6*7)" prints 42, python3 found through PATH', async (t) => {
  const r = await root(image(t, 'debian-root'), 'load_app python3 -c "print(6*7)"');
  t.is(r.stdout, '42\n', r.stderr);
  t.is(r.stderr, '');
  t.is(r.status, 0);
});

// bash, python3 and coreutils on input piped in: their output as natively
const SCRIPT = [
  'echo "bash $BASH_VERSION in $PWD"',
  'python3 -c \'import sys; w = sys.stdin.read().split(); print(len(w), sorted(set(w))[:4]); print(sys.version.split()[0], sys.getfilesystemencoding(), sys.path[1:]); print(sum(i * i for i in range(5000)))\'',
  'seq 1 2000 | sort -rn | head -3',
  'factor 1234567890 4294967297',
  'printf "%s\\n" one two three | tac | tr a-z A-Z',
  'expr 7 \\* 6 + 3',
  'echo $((2 ** 40)) $(numfmt --to=iec 123456789) $(date -u -d @1700000000 +%FT%T)',
  'sha256sum /etc/os-release /usr/bin/dash',
  'stat -c "%n %s %a %U %G" /usr/bin/python3.11 /etc/passwd /bin/sh',
  'readlink -f /bin/sh /usr/bin/python3',
  'cat /etc/debian_version; wc -l /usr/lib/python3.11/os.py',
  'env -u _ | sort',
  // the shell's own: arrays, expansions, a signal to itself, a read loop, descriptors, a subshell's status
  'a=(one two three); declare -A m=([x]=1 [y]=2); echo "${#a[@]} ${a[1]} ${m[y]} $(( -7 / 2 )) $(( -7 % 2 )) $(( 0x7fffffff + 1 ))"',
  's="Hello World"; echo "${s,,} ${s^^} ${s:6} ${s/World/There}"; shopt -s extglob; v=aaab; echo "${v##+(a)}"',
  'trap "echo trapped USR1" USR1; kill -USR1 $$; trap - USR1',
  'while IFS=: read -r u x id rest; do [ "$id" = 0 ] && echo "uid 0: $u"; done < /etc/passwd',
  'exec 3>/tmp/fd3; echo via3 >&3; exec 3>&-; cat /tmp/fd3; rm /tmp/fd3',
  'printf "tab\\tand %s\\n" $((1+1)) | od -An -c',
  '(exit 7); echo "subshell status $?"; f() { local r=$1; echo $((r * 2)); }; echo "f: $(f 21)"',
].join('\n');
const INPUT = 'the quick brown fox jumps over the lazy dog\nthe end\n';

/** SCRIPT run natively by bash in a chroot into a copy of the image's files, as root's login environment has it. */
function nativeRun(img: string): { stdout: string; status: number | null } {
  const question = `${sha256(img)}\n${SCRIPT}\n${INPUT}`; // the image itself, as it is before any boot
  const rec = hostAnswer('debian-root: chroot, bash -c SCRIPT', question, () => {
    if (process.getuid?.() !== 0) throw new Error('chroot needs root');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debian-root-'));
    try {
      const d = spawnSync('debugfs', ['-R', `rdump / ${dir}`, img], { encoding: 'utf8' });
      if (d.error || d.status !== 0) throw new Error(`debugfs rdump: ${d.stderr || String(d.error)}`);
      const r = spawnSync('chroot', [dir, '/bin/sh', '-c', 'cd /root && exec /usr/bin/env -i "$@"', 'sh', ...LOGIN_ENV, '/bin/bash', '-c', SCRIPT],
        { input: INPUT, encoding: 'utf8', timeout: 60_000 });
      if (r.error) throw r.error;
      return Buffer.from(JSON.stringify({ stdout: r.stdout, status: r.status }));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  return JSON.parse(rec.toString('utf8')) as { stdout: string; status: number | null };
}

test.serial('bash, python3 and coreutils from the root give the output they give natively (chroot on the real CPU)', async (t) => {
  const want = nativeRun(image(t, 'debian-root'));
  t.regex(want.stdout, /^bash 5\.2\.15\(1\)-release in \/root\n/); // the native run is what it should be
  const r = await root(image(t, 'debian-root'), `load_app bash -c ${quote(SCRIPT)}`, INPUT);
  t.is(r.stdout, want.stdout, r.stderr);
  t.is(r.status, want.status);
  t.is(r.stderr, '');
});

test.serial('the kernel\'s view: / is the image with the filesystems an init mounts, the shell starts in root\'s home, programs get a login\'s environment', async (t) => {
  const r = await root(image(t, 'debian-root'), 'pwd; ls /; load_app env; load_app cat /proc/mounts; load_app ls /usr/lib/busybox');
  t.is(r.status, 2, r.stderr); // the last: no busybox anywhere, the bundled rootfs is not there
  t.regex(r.stderr, /^ls: cannot access '\/usr\/lib\/busybox': No such file or directory\n$/);
  const lines = r.stdout.split('\n');
  t.is(lines.shift(), '/root');
  const top = ['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lost+found', 'proc', 'root', 'run', 'sbin', 'sys', 'tmp', 'usr', 'var'];
  t.deepEqual(lines.splice(0, top.length), top); // the embox shell's ls
  t.deepEqual(lines.splice(0, LOGIN_ENV.length), LOGIN_ENV);
  const mounts = lines.filter(Boolean).map((l) => l.split(' ').slice(0, 3).join(' '));
  for (const m of ['/dev/vda / ext4', 'proc /proc proc', 'sysfs /sys sysfs', 'devtmpfs /dev devtmpfs', 'devpts /dev/pts devpts', 'tmpfs /dev/shm tmpfs', 'tmpfs /tmp tmpfs', 'tmpfs /run tmpfs']) {
    t.true(mounts.includes(m), `${m} in ${JSON.stringify(mounts)}`);
  }
  t.regex(r.stdout, /^\/dev\/vda \/ ext4 rw,/m);
});

test.serial('bash on a terminal has job control: Ctrl-Z stops a job, jobs lists it, fg brings it back, Ctrl-C ends it', async (t) => {
  const img = image(t, 'debian-root');
  const { screen, type, done } = bootOnTerminal(t, { boot: { vda: img, vdaIsRoot: true }, sameTerminal: true });
  await type('', /embox> $/);
  await type('load_app bash\r', /root@embox:~# $/);
  await type('echo $TERM $((6*7)) $$\r', /^\r?\S+ 42 \d+\r?\n/m);
  await type('sleep 40\r', /sleep 40\s+$/);
  // Ctrl-Z: the tty's SIGTSTP; typed again while nothing stopped (one typed before bash started sleep reaches bash, which ignores it)
  await type('\x1a', /\[1\]\+ +Stopped +sleep 40/, 2000);
  await type('jobs\r', /jobs\s+\[1\]\+ +Stopped +sleep 40\s+root@embox:~# $/);
  await type('fg\r', /fg\s+sleep 40\s+$/);
  // Ctrl-C: SIGINT to the foreground job, bash back at its prompt. Typed again while no prompt
  // came: bash prints the job's name before it gives it the terminal, and a Ctrl-C typed in between
  // reaches bash, which ignores it (it did once in CI: sleep went on for its 40 s)
  await type('\x03', /root@embox:~# $/, 2000);
  await type('echo status $?; jobs; echo none\r', /^\r?status 130\r?\nnone\r?\n/m);
  await type('exit\r', /embox> $/);
  await type('poweroff\r', /$/);
  const r = await done;
  t.is(r.reason, 'until');
  const out = screen();
  t.notRegex(out, /no job control|cannot set terminal process group/);
  t.regex(out, new RegExp(`^\\r?${(process.env.TERM || 'vt100').replace(/[^\w]/g, '\\$&')} 42 \\d+`, 'm')); // TERM: the host terminal's
});

test.serial('what is written under / is there at the next boot; IMAGE:ro boots read-only and leaves the image as it was', async (t) => {
  const img = image(t, 'debian-root');
  const w = await root(img, "load_app bash -c 'echo persisted $((6*7)) > /root/note; mkdir -p /srv/d && cp /etc/os-release /srv/d/ && sync'");
  t.is(w.status, 0, w.stderr);
  const r = await root(img, 'cat /root/note; load_app cmp /etc/os-release /srv/d/os-release; load_app cat /root/note');
  t.is(r.stdout, 'persisted 42\npersisted 42\n', r.stderr);
  t.is(r.status, 0);
  if (hostHas('e2fsck')) {
    const fsck = spawnSync('e2fsck', ['-fn', img], { encoding: 'utf8' });
    t.is(fsck.status, 0, fsck.stdout); // remounted read-only at power off: clean, nothing to replay
  }
  if (hostHas('debugfs')) t.is(spawnSync('debugfs', ['-R', 'cat /root/note', img], { encoding: 'utf8' }).stdout, 'persisted 42\n');

  const before = sha256(img);
  const ro = await root(`${img}:ro`, "load_app cat /root/note; load_app bash -c 'echo x > /root/other'; load_app touch /tmp/in-tmpfs");
  t.is(ro.stdout, 'persisted 42\n');
  t.is(ro.stderr, 'bash: line 1: /root/other: Read-only file system\n');
  t.is(ro.status, 0); // touch on /tmp: a tmpfs, writable
  t.is(sha256(img), before);
});

test.serial('an image that is no i386 root, or none at all, is refused with a clear message, status 1, and left as it was', async (t) => {
  const cases: Array<[string, (img: string) => RegExp]> = [
    ['ext4-32m', (img) => new RegExp(`^embox: ${img}: no /bin/sh: not the root filesystem of a distribution \\(--vda IMAGE attaches a disk at /mnt/vda\\)\\n$`)],
    ['ext4-x86_64-root', (img) => new RegExp(`^embox: ${img}: /bin/sh: x86-64 ELF, not i386: an i386 distribution is needed`)],
  ];
  for (const [name, message] of cases) {
    for (const ro of ['', ':ro']) {
      const img = image(t, name);
      const before = sha256(img);
      const r = await root(`${img}${ro}`, 'echo booted');
      t.regex(r.stderr, message(img), `${name}${ro}`);
      t.is(r.stdout, '');
      t.is(r.status, 1);
      t.is(sha256(img), before, `${name}${ro} unchanged`);
    }
  }
  const text = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'root-')), 'notes.img');
  fs.writeFileSync(text, 'not a filesystem\n'.repeat(1000));
  const r = await root(text, 'echo booted');
  t.is(r.stderr, `embox: ${text}: not an ext2/ext3/ext4 filesystem (no superblock magic 0xEF53 at offset 1080)\n`);
  t.is(r.status, 1);
  fs.rmSync(path.dirname(text), { recursive: true });
  const both = await emboxRun(['--root', 'a.img', '--vda', 'b.img', '-c', 'echo'], { timeout: TIMEOUT });
  t.regex(both.stderr, /^embox: --root and --vda cannot be used together/);
  t.is(both.status, 2);
});

test.serial('one writer at a time: a second embox cannot take a root another has read-write', async (t) => {
  const img = image(t, 'debian-root');
  // the first holds the image's lock from before its boot until it ends: once its program has said so, it is running
  const first = await holdingRoot(img, {}, TIMEOUT);
  const second = await root(img, 'echo booted');
  t.regex(second.stderr, new RegExp(`^embox: ${img}: image is in use by another embox \\(pid ${first.pid}\\), attached read-write`));
  t.is(second.status, 1);
  const ro = await root(`${img}:ro`, 'echo booted');
  t.is(ro.status, 1, 'nor read-only');
  t.is(await first.release(), 0);
});
