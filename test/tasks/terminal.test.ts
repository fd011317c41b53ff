// embox on a real terminal (a pty from Python's pty module): the shell's
// line editor, then an interactive program that reads the keyboard through
// the kernel's tty (echo and line editing by Linux), Ctrl-C to the
// foreground program, and back to the shell.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EMBOX = path.join(ROOT, 'bin', 'embox.js');

const DRIVER = String.raw`
import os, pty, sys, time, select
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], sys.argv[2]])
out = b''
def pump(t):
    global out
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                out += os.read(fd, 65536)
            except OSError:
                return
def send(s, t):
    os.write(fd, s.encode())
    pump(t)
pump(3)
send('load_app sh\r', 2)
send('echo hi from sh $((6*7))\r', 1)
send('cat\r', 1)
send('typed into cat\r', 1)
send('\x03', 1)
send('echo after\r', 1)
send('sleep 30\r', 1)
send('\x03', 1)
send('echo status $?\r', 1)
send('sleep 40\r', 1)
send('\x1a', 1)
send('jobs\r', 1)
send('kill -9 %1\r', 1)
send('exit 5\r', 1.5)
send('echo back in embox\r', 1)
send('poweroff\r', 2)
sys.stdout.write(out.decode('utf8', 'replace'))
`;

test('an interactive program reads the terminal through the kernel tty; Ctrl-C and Ctrl-Z reach the foreground job', (t) => {
  const r = spawnSync('python3', ['-c', DRIVER, process.execPath, EMBOX], { encoding: 'utf8', timeout: 60_000 });
  t.is(r.status, 0, r.stderr);
  const out = r.stdout.replace(/\x1b\[[0-9;]*[a-zA-Z]/g, '');
  t.regex(out, /^hi from sh 42\r$/m);
  t.regex(out, /^typed into cat\r\ntyped into cat\r$/m); // the tty's echo, then cat's copy
  t.regex(out, /^after\r$/m); // the shell survived Ctrl-C, cat did not
  // job control: the console is the session's controlling tty, the kernel signals the foreground job
  t.notRegex(out, /job control turned off/);
  t.regex(out, /^status 130\r$/m); // sleep ended by the kernel's SIGINT
  t.regex(out, /\[1\]\+ +Stopped +sleep 40/); // Ctrl-Z: SIGTSTP from the tty, the shell saw it stop
  t.regex(out, /^back in embox\r$/m);
  t.notRegex(out, /(hi from sh 42|typed into cat|after)\r\r/); // the program's lines get one \r: the host terminal's
});
