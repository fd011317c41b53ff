// The interactive console on a terminal: the RTOS shell's line editor, then a
// program that reads the keyboard through the kernel's tty (Linux's echo and
// line editing), Ctrl-C and Ctrl-Z turned into SIGINT/SIGTSTP for the
// foreground job by the kernel's line discipline (busybox sh gets job
// control), and the shell's prompt back when the program ends. The system
// runs in this process on a terminal made of streams (raw mode, a size), the
// same TerminalConsole `embox` puts on its own terminal; what the terminal
// shows is what the kernel's tty sends (echo included), without the \r a
// real terminal's own output processing would add.
import test from 'ava';
import { PassThrough, Writable } from 'node:stream';
import { TerminalConsole } from '../../src/boot/terminal.js';
import { bootOnTerminal, shown, TtyIn, TtyOut } from './tty-harness.js';

test('an interactive program reads the terminal through the kernel tty; Ctrl-C and Ctrl-Z reach the foreground job', async (t) => {
  const { stderr, screen, type, done } = bootOnTerminal(t);
  await type('', /embox> $/);
  await type('load_app sh\r', /\/ # $/);
  await type('echo hi from sh $((6*7))\r', /^hi from sh 42$/m);
  await type('cat\r', /cat\n$/);
  await type('typed into cat\r', /typed into cat\ntyped into cat\n$/); // the tty's echo, then cat's copy
  await type('\x03', /\/ # $/); // Ctrl-C ends cat, not the shell
  await type('echo after\r', /^after$/m);
  await type('sleep 30\r', /sleep 30\n$/);
  await type('\x03', /\/ # $/);
  await type('echo status $?\r', /^status 130$/m); // sleep ended by the kernel's SIGINT
  await type('sleep 40\r', /sleep 40\n$/);
  // Ctrl-Z: SIGTSTP from the tty, the shell saw it stop. Typed again while nothing stopped: one
  // typed before the shell has started sleep reaches the shell, which ignores it (as on Linux)
  await type('\x1a', /\[1\]\+ +Stopped +sleep 40/, 2000);
  await type('kill -9 %1\r', /\/ # $/);
  await type('exit 5\r', /embox> $/);
  await type('echo back in embox\r', /^back in embox\r?$/m);
  await type('poweroff\r', /$/);
  const r = await done;
  t.is(r.reason, 'until');
  const out = screen();
  t.notRegex(out, /job control turned off/); // the console is the session's controlling tty
  // the kernel never post-processes output (a real terminal turns \n into \r\n itself): \n arrives as it is
  t.regex(out, /^hi from sh 42\n/m);
  t.regex(shown(stderr), /Stopped +sleep 40/); // the shell's job messages: its stderr, the console's second line
});

test('a one-line progress indication: on a terminal\'s stderr, then erased; none when stderr is not a terminal', (t) => {
  const screen = { text: '' };
  const err = new TtyOut(screen);
  const con = new TerminalConsole(false, () => [], { stdin: new TtyIn(), stdout: new TtyOut({ text: '' }), stderr: err });
  con.progress('embox: working...');
  con.progress('embox: still working...');
  con.progress(undefined);
  con.progress(undefined); // nothing more to erase
  t.is(err.text, '\rembox: working...\x1b[K\rembox: still working...\x1b[K\r\x1b[K');
  con.close();

  let piped = '';
  const pipe = new Writable({ write(chunk, _enc, done) { piped += String(chunk); done(); } });
  const quiet = new TerminalConsole(false, () => [], { stdin: new PassThrough(), stdout: new TtyOut({ text: '' }), stderr: pipe });
  quiet.progress('embox: working...');
  quiet.progress(undefined);
  t.is(piped, '');
  quiet.close();
});
