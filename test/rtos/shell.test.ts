import test from 'ava';
import { hostAnswer } from '../native.js';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { BufferConsole } from '../../src/rtos/console.js';
import { Scheduler } from '../../src/rtos/scheduler.js';
import { MNT, MS } from '../../src/uapi/linux.js';
import { modeString } from '../../src/rtos/shell/fs.js';
import { parseMountOptions } from '../../src/rtos/shell/mount.js';
import { getopt, parseLine, registerCommand, Shell, STATUS_NOT_FOUND } from '../../src/rtos/shell/index.js';
import { MemSys } from './memsys.js';

interface Run {
  status: number;
  out: string;
  err: string;
  sys: MemSys;
  con: BufferConsole;
}

/** Run command lines in a shell task over a MemSys; `interactive` feeds them as console input instead. */
async function sh(lines: string | string[], opts: { sys?: MemSys; interactive?: boolean; kernelPid?: (t: { id: number }) => number | undefined } = {}): Promise<Run> {
  const sys = opts.sys ?? new MemSys();
  const list = typeof lines === 'string' ? [lines] : lines;
  const con = new BufferConsole(opts.interactive ? list : []);
  const sched = new Scheduler();
  let status = -1;
  const task = sched.spawn('shell', async (tk) => {
    const shell = new Shell({ sys, console: con, task: tk, scheduler: sched, kernelPid: opts.kernelPid });
    if (opts.interactive) status = await shell.interactive();
    else for (const l of list) status = await shell.runLine(l);
    return 0;
  });
  await sched.run({ until: task });
  return { status, out: con.out, err: con.err, sys, con };
}

function argvOf(line: string): string[][] {
  const r = parseLine(line);
  if (!r.ok) throw new Error(r.error);
  return r.commands.map((c) => c.argv);
}

test('parser: words, quoting and escapes', (t) => {
  t.deepEqual(argvOf(`echo  'a b'  "c \\"d\\" \\$x \\n"  e\\ f`), [['echo', 'a b', 'c "d" $x \\n', 'e f']]);
  t.deepEqual(argvOf(`echo '' "" x''y "it's" 'say "hi"'`), [['echo', '', '', 'xy', "it's", 'say "hi"']]);
  t.deepEqual(argvOf(`a'b'"c"d`), [['abcd']]);
  t.deepEqual(argvOf('echo a # comment ; still comment'), [['echo', 'a']]);
  t.deepEqual(argvOf('echo a#b'), [['echo', 'a#b']]);
  t.deepEqual(argvOf('   '), []);
});

test('parser: ; separates commands, empty commands are dropped', (t) => {
  t.deepEqual(argvOf('echo a;echo b ; ; ls -l;'), [['echo', 'a'], ['echo', 'b'], ['ls', '-l']]);
  t.deepEqual(argvOf('echo "a;b" \'c;d\' e\\;f'), [['echo', 'a;b', 'c;d', 'e;f']]);
});

test('parser: redirections', (t) => {
  const r = parseLine('echo a>f; echo b >> "g h" c; echo x 1>y; echo "a>b" 2; ls 2>e 2>>f >&2 2>&1; echo "2">x 12>y');
  t.true(r.ok);
  if (!r.ok) return;
  t.deepEqual(r.commands, [
    { argv: ['echo', 'a'], redirects: [{ fd: 1, op: '>', target: 'f' }] },
    { argv: ['echo', 'b', 'c'], redirects: [{ fd: 1, op: '>>', target: 'g h' }] },
    { argv: ['echo', 'x'], redirects: [{ fd: 1, op: '>', target: 'y' }] },
    { argv: ['echo', 'a>b', '2'], redirects: [] },
    {
      argv: ['ls'],
      redirects: [
        { fd: 2, op: '>', target: 'e' },
        { fd: 2, op: '>>', target: 'f' },
        { fd: 1, op: '>&', target: '2' },
        { fd: 2, op: '>&', target: '1' },
      ],
    },
    // A quoted "2" and a longer number are words, not fds.
    { argv: ['echo', '2', '12'], redirects: [{ fd: 1, op: '>', target: 'x' }, { fd: 1, op: '>', target: 'y' }] },
  ]);
});

test('parser: syntax errors', (t) => {
  t.deepEqual(parseLine("echo 'abc"), { ok: false, error: "syntax error: unterminated quote '" });
  t.deepEqual(parseLine('echo "abc'), { ok: false, error: 'syntax error: unterminated quote "' });
  t.deepEqual(parseLine('echo >'), { ok: false, error: 'syntax error near unexpected token `newline\'' });
  t.deepEqual(parseLine('echo > ; ls'), { ok: false, error: "syntax error near unexpected token `;'" });
  t.deepEqual(parseLine('echo a\\'), { ok: false, error: 'syntax error: backslash at end of line' });
  t.deepEqual(parseLine('ls | cat'), { ok: false, error: "syntax error: '|' (pipes) is not supported" });
  t.deepEqual(parseLine('ls >&3'), { ok: false, error: "syntax error: '>&' needs 1 or 2 (e.g. 2>&1)" });
  t.deepEqual(parseLine('ls > >x'), { ok: false, error: "syntax error near unexpected token `>'" });
});

test('getopt splits combined flags and stops at operands', (t) => {
  t.deepEqual(getopt(['-la', '-a', 'x', '-l'], 'la'), { ok: true, flags: new Set(['l', 'a']), operands: ['x', '-l'] });
  t.deepEqual(getopt(['--', '-l'], 'l'), { ok: true, flags: new Set(), operands: ['-l'] });
  t.deepEqual(getopt(['-z'], 'l'), { ok: false, bad: 'z' });
});

test('echo, redirection through sys, append, and the status of a line', async (t) => {
  const r = await sh(['echo hello   world > /f; echo -n more >> /f; echo x >> /f', 'cat /f', 'cat /f /nope; echo after', 'echo before; cat /nope']);
  t.is(r.sys.fileText('/f'), 'hello world\nmorex\n');
  t.is(r.out, 'hello world\nmorex\nhello world\nmorex\nafter\nbefore\n');
  t.is(r.err, 'cat: /nope: No such file or directory\ncat: /nope: No such file or directory\n');
  t.is(r.status, 1);
  t.is(r.sys.openFds(), 0);
});

test('> truncates, a bare redirection creates the file, failures name the target', async (t) => {
  const sys = new MemSys();
  sys.addFile('/old', 'long old content\n');
  const r = await sh(['echo new > /old', '> /empty', 'echo x > /nodir/f', 'echo y > /'], { sys });
  t.is(sys.fileText('/old'), 'new\n');
  t.is(sys.fileText('/empty'), '');
  t.is(r.err, 'embox: /nodir/f: No such file or directory\nembox: /: Is a directory\n');
  t.is(r.status, 1);
  t.is(sys.openFds(), 0);
});

test('stderr redirection and duplication', async (t) => {
  const r = await sh(['cat /nope 2>/err; nosuch 2>>/err', 'echo to-err >&2', 'cat /nope2 >/both 2>&1', 'cat /nope3 2>&1 >/out'], {});
  t.is(r.sys.fileText('/err'), 'cat: /nope: No such file or directory\nembox: nosuch: command not found\n');
  t.is(r.sys.fileText('/both'), 'cat: /nope2: No such file or directory\n');
  t.is(r.sys.fileText('/out'), '');
  // 2>&1 before >/out: stderr stays on the console's stdout.
  t.is(r.out, 'cat: /nope3: No such file or directory\n');
  t.is(r.err, 'to-err\n');
  t.is(r.sys.openFds(), 0);
});

test('write errors on a redirected command are reported', async (t) => {
  const sys = new MemSys();
  sys.failWrites = 28; // ENOSPC
  const r = await sh('echo data > /f', { sys });
  t.is(r.err, 'echo: write error: No space left on device\n');
  t.is(r.status, 1);
});

test('unknown commands and syntax errors', async (t) => {
  const r1 = await sh('frobnicate 1 2');
  t.is(r1.err, 'embox: frobnicate: command not found\n');
  t.is(r1.status, STATUS_NOT_FOUND);
  const r2 = await sh('echo "oops');
  t.is(r2.err, 'embox: syntax error: unterminated quote "\n');
  t.is(r2.status, 2);
  t.is(r2.out, '');
});

test('commands registered later appear in help and man; a throwing command does not kill the shell', async (t) => {
  registerCommand({
    name: 'load_app',
    help: 'load an application',
    man: 'load_app FILE - test manual text\n',
    run: async (ctx) => {
      await ctx.stdout.write(`loading ${ctx.args.join(',')}\n`);
      return 0;
    },
  });
  registerCommand({ name: 'explode', help: 'always fails', man: 'x', run: () => { throw new Error('kaboom'); } });
  const r = await sh(['help', 'man load_app', 'load_app /bin/busybox sh', 'explode; echo still alive', 'man nothere']);
  const helpLines = r.out.split('\n');
  t.is(helpLines[0], 'Available commands:');
  const names = helpLines.filter((l) => l.startsWith('  ')).map((l) => l.trim().split(/\s+/)[0]);
  for (const n of ['cat', 'dmesg', 'echo', 'exit', 'help', 'load_app', 'ls', 'man', 'mkdir', 'mount', 'poweroff', 'ps', 'rm', 'sync', 'umount', 'uname']) {
    t.true(names.includes(n), n);
  }
  t.deepEqual(names, [...names].sort());
  t.true(r.out.includes('  load_app  load an application\n'));
  t.true(r.out.includes('load_app FILE - test manual text\nloading /bin/busybox,sh\nstill alive\n'));
  t.is(r.err, 'explode: internal error: kaboom\nman: no manual entry for nothere\n');
});

test('man shows the manual of a builtin', async (t) => {
  const r = await sh('man mkdir');
  t.regex(r.out, /^NAME\n {4}mkdir - create directories\n\nSYNOPSIS\n {4}mkdir \[-p\] DIR\.\.\.\n/);
  t.is(r.status, 0);
});

test('mkdir -p, ls, ls -a, and errors', async (t) => {
  const sys = new MemSys();
  sys.addFile('/etc/passwd', 'root:x:0:0\n');
  const r = await sh(['mkdir /a/b', 'mkdir -p /a/b/c /a/b/d', 'mkdir -p /a/b', 'mkdir /a', 'echo > /a/.hidden', 'ls /a/b', 'ls -a /a', 'ls /etc/passwd /nope /a'], { sys });
  t.is(r.err, [
    "mkdir: cannot create directory '/a/b': No such file or directory",
    "mkdir: cannot create directory '/a': File exists",
    "ls: cannot access '/nope': No such file or directory",
    '',
  ].join('\n'));
  t.is(r.out, 'c\nd\n.\n..\n.hidden\nb\n/etc/passwd\n\n/a:\nb\n');
  t.is(r.status, 1);
});

test('mkdir -p over a file reports ENOTDIR', async (t) => {
  const sys = new MemSys();
  sys.addFile('/f', '');
  const r = await sh('mkdir -p /f/sub', { sys });
  t.is(r.err, "mkdir: cannot create directory '/f': Not a directory\n");
  t.is(r.status, 1);
});

test('ls -l prints mode, links, owner, size, time and link targets', async (t) => {
  const sys = new MemSys();
  sys.addFile('/d/file', 'hello');
  sys.addSymlink('/d/link', 'file');
  const r = await sh('ls -l /d', { sys });
  t.is(r.out, [
    '-rw-r--r--    1 0        0                5 1970-01-01 00:00 file',
    'lrwxrwxrwx    1 0        0                4 1970-01-01 00:00 link -> file',
    '',
  ].join('\n'));
});

test('mode strings match the system ls for real files', (t) => {
  // pairs of (st_mode, what ls -ld prints), from the host (recorded in test/native)
  const paths = ['/tmp', '/dev/null', '/bin/sh', '/etc/passwd'];
  const pairs = JSON.parse(hostAnswer('ls -ld modes', paths.join(' '), () => Buffer.from(JSON.stringify(
    paths.filter((x) => fs.existsSync(x)).map((p) => [fs.lstatSync(p).mode, execFileSync('ls', ['-ld', p], { encoding: 'utf8' }).slice(0, 10)]),
  ))).toString('utf8')) as [number, string][];
  t.true(pairs.length >= 3);
  for (const [mode, real] of pairs) t.is(modeString(mode), real, real);
  t.is(modeString(0o104755), '-rwsr-xr-x');
  t.is(modeString(0o102644), '-rw-r-Sr--');
  t.is(modeString(0o041777), 'drwxrwxrwt');
});

test('rm, rm -r, rm -f', async (t) => {
  const sys = new MemSys();
  sys.addFile('/t/a/b/c.txt', 'c');
  sys.addFile('/t/f', 'f');
  const r = await sh(['rm /t', 'rm /t/f', 'rm /t/f', 'rm -f /t/f', 'rm -r /t', 'ls /', 'rm -r .'], { sys });
  t.is(r.err, [
    "rm: cannot remove '/t': Is a directory",
    "rm: cannot remove '/t/f': No such file or directory",
    "rm: refusing to remove '.' or '..' directory: skipping '.'",
    '',
  ].join('\n'));
  t.is(r.out, '');
  t.is(r.status, 1);
});

test('cd and pwd', async (t) => {
  const sys = new MemSys();
  sys.addFile('/home/u/x', '1');
  const r = await sh(['pwd; cd /home; pwd; cd u; cat x; echo; cd ..; pwd; cd /nope'], { sys });
  t.is(r.out, '/\n/home\n1\n/home\n');
  t.is(r.err, 'cd: /nope: No such file or directory\n');
});

test('mount lists /proc/mounts and mounts with flags and data', async (t) => {
  const sys = new MemSys();
  sys.addFile('/proc/mounts', 'rootfs / rootfs rw 0 0\n');
  sys.addFile('/mnt/vda/.keep', '');
  const r = await sh(['mount', 'mount -t ext4 -o ro,noatime,errors=remount-ro /dev/vda /mnt/vda', 'mount -t xfs /dev/vda /mnt/vda', 'mount /dev/vda /mnt', 'umount -l /mnt/vda', 'umount /mnt/vda', 'sync'], { sys });
  t.is(r.out, 'rootfs / rootfs rw 0 0\n');
  t.deepEqual(sys.mounts, []);
  t.deepEqual(sys.umounts, [{ target: '/mnt/vda', flags: MNT.DETACH }]);
  t.is(sys.syncs, 1);
  t.is(r.err, [
    'mount: mounting /dev/vda on /mnt/vda failed: No such device',
    'mount: filesystem type required: mount -t TYPE SOURCE DIR',
    'umount: /mnt/vda: Invalid argument',
    '',
  ].join('\n'));
  t.deepEqual(parseMountOptions('ro,noatime,errors=remount-ro,rw,data=ordered'), { flags: MS.NOATIME, data: 'errors=remount-ro,data=ordered' });
});

test('mount passes source, target, type, flags and data to sys', async (t) => {
  const sys = new MemSys();
  sys.addFile('/mnt/vda/.keep', '');
  const r = await sh('mount -r -t ext4 -o errors=continue /dev/vda /mnt/vda', { sys });
  t.is(r.status, 0);
  t.deepEqual(sys.mounts, [{ source: '/dev/vda', target: '/mnt/vda', fstype: 'ext4', flags: MS.RDONLY, data: 'errors=continue' }]);
});

test('uname, dmesg, kill', async (t) => {
  const r = await sh(['uname', 'uname -a', 'uname -rm', 'dmesg', 'dmesg -r', 'kill -9 1', 'kill -TERM 1', 'kill 2', 'kill -FOO 1']);
  t.is(r.out, [
    'Linux',
    'Linux embox 6.1.0 #1 SMP i686',
    '6.1.0 i686',
    'Linux version 6.1.0',
    'warning line',
    '<6>Linux version 6.1.0',
    '<4>warning line',
    '',
  ].join('\n'));
  t.deepEqual(r.sys.kills, [{ pid: 1, sig: 9 }, { pid: 1, sig: 15 }]);
  t.is(r.err, "kill: (2): No such process\nkill: invalid signal 'FOO'\n");
});

test('ps lists RTOS tasks with the kernel pid from the host callback', async (t) => {
  const r = await sh('ps', { kernelPid: (task) => (task.id === 1 ? 42 : undefined) });
  t.is(r.out, '  ID   PID STATE    NAME\n   1    42 running  shell\n');
});

test('exit and poweroff stop the line; exit sets the status', async (t) => {
  const r1 = await sh('echo a; exit 3; echo never');
  t.is(r1.out, 'a\n');
  t.is(r1.status, 3);
  const r2 = await sh('cat /nope; poweroff; echo never');
  t.is(r2.status, 0);
  t.is(r2.out, '');
  const r3 = await sh('cat /nope; exit');
  t.is(r3.status, 1);
  const r4 = await sh('exit abc');
  t.is(r4.err, 'exit: abc: numeric argument required\n');
  t.is(r4.status, 1);
});

test('interactive: prompt, lines until end of input or exit', async (t) => {
  const r1 = await sh(['echo one', '', 'cat /nope'], { interactive: true });
  t.deepEqual(r1.con.prompts, ['embox> ', 'embox> ', 'embox> ', 'embox> ']);
  t.is(r1.out, 'one\n');
  t.is(r1.status, 1);
  const r2 = await sh(['echo one', 'exit 5', 'echo never'], { interactive: true });
  t.is(r2.out, 'one\n');
  t.is(r2.status, 5);
  t.deepEqual(r2.con.prompts.length, 2);
});

test('BufferConsole: prompts, scripted lines, program input with newlines', async (t) => {
  const con = new BufferConsole(['a', 'b']);
  t.is(await con.readLine('p> '), 'a');
  t.is(await con.readInput(), 'b\n');
  t.is(await con.readInput(), null);
  t.is(await con.readLine('p> '), null);
  t.deepEqual(con.prompts, ['p> ', 'p> ']);
  con.write(new TextEncoder().encode('bytes'));
  con.error('e');
  con.log('l');
  t.deepEqual([con.out, con.err, con.logged], ['bytes', 'e', 'l']);
});
