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
import { Scheduler } from '../../src/rtos/scheduler.js';
import { commands, Shell } from '../../src/rtos/shell/index.js';
import { bootSystem } from '../../src/boot/system.js';

/** The keyboard: raw mode is the only thing asked of it besides its bytes. */
class TtyIn extends PassThrough {
  readonly isTTY = true;
  isRaw = false;
  setRawMode(raw: boolean): this {
    this.isRaw = raw;
    return this;
  }
}

/** An output stream of the terminal; stdout and stderr show on the same screen. */
class TtyOut extends Writable {
  readonly isTTY = true;
  readonly columns = 80;
  readonly rows = 24;
  text = '';
  constructor(private readonly screen: { text: string }) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    this.screen.text += chunk.toString();
    done();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** What the screen shows, escape sequences (readline's cursor moves) left out. */
const shown = (s: { text: string }) => s.text.replace(/\x1b\[[0-9;]*[a-zA-Z]/g, '');

test('an interactive program reads the terminal through the kernel tty; Ctrl-C and Ctrl-Z reach the foreground job', async (t) => {
  const display = { text: '' };
  const stdin = new TtyIn(), stdout = new TtyOut(display), stderr = new TtyOut(display);
  const screen = () => shown(display);
  const con = new TerminalConsole(false, () => commands.list().map((c) => c.name), { stdin, stdout, stderr });
  const sched = new Scheduler({ onTaskError: (task, e) => t.fail(`task ${task.name}: ${String(e)}`) });
  const init = sched.spawn('shell', async (task) => {
    const system = await bootSystem({ verbose: false, console: con, scheduler: sched });
    const shell = new Shell({ sys: system.sys(task), console: con, task, scheduler: sched });
    const status = await shell.interactive();
    con.close();
    await system.poweroff();
    return status;
  });
  const done = sched.run({ until: init });
  /**
   * Type `keys`, then wait until the screen matches `re` (after what it showed
   * before); with `again`, type them again every that many ms meanwhile.
   */
  const type = async (keys: string, re: RegExp, again = 0) => {
    const from = screen().length;
    stdin.write(keys);
    for (let waited = 0; !re.test(screen().slice(from)); waited += 50) {
      if (waited > 30_000) throw new Error(`no ${re} after typing ${JSON.stringify(keys)}; screen:\n${screen()}`);
      if (again && waited > 0 && waited % again === 0) stdin.write(keys);
      await sleep(50);
    }
  };
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
