// A new size of the terminal reaches the guest, as on Linux: the terminal
// console's 'resize' (SIGWINCH on the host) sets the console ttys' size with
// TIOCSWINSZ, so `stty size` sees it and the kernel's tty sends SIGWINCH to
// the foreground job. The system runs in this process on a terminal made of
// streams, as in terminal.test.ts.
import test from 'ava';
import { PassThrough, Writable } from 'node:stream';
import { TerminalConsole } from '../../src/boot/terminal.js';
import { Scheduler } from '../../src/rtos/scheduler.js';
import { commands, Shell } from '../../src/rtos/shell/index.js';
import { bootSystem } from '../../src/boot/system.js';

class TtyIn extends PassThrough {
  readonly isTTY = true;
  setRawMode(): this {
    return this;
  }
}

/** An output stream of the terminal, whose size the test changes. */
class TtyOut extends Writable {
  readonly isTTY = true;
  columns = 80;
  rows = 24;
  constructor(private readonly screen: { text: string }) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.screen.text += chunk.toString();
    done();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** What the screen shows, escape sequences (readline's cursor moves) left out. */
const shown = (s: { text: string }) => s.text.replace(/\x1b\[[0-9;]*[a-zA-Z]/g, '');

test('a new size of the terminal reaches the guest: TIOCGWINSZ and SIGWINCH to the foreground job', async (t) => {
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
  const waitFor = async (re: RegExp, from: number, what: string) => {
    for (let waited = 0; !re.test(screen().slice(from)); waited += 50) {
      if (waited > 30_000) throw new Error(`no ${re} after ${what}; screen:\n${screen()}`);
      await sleep(50);
    }
  };
  const type = async (keys: string, re: RegExp) => {
    const from = screen().length;
    stdin.write(keys);
    await waitFor(re, from, `typing ${JSON.stringify(keys)}`);
  };
  await type('', /embox> $/);
  await type('load_app sh\r', /\/ # $/);
  await type('stty size\r', /^24 80$/m);
  let from = screen().length;
  stdout.rows = 30;
  stdout.columns = 100;
  stdout.emit('resize');
  await waitFor(/\/ # $/, from, 'the resize'); // busybox's line editor redraws its prompt on SIGWINCH
  await type('stty size\r', /^30 100$/m);
  await type('exit\r', /embox> $/);
  await type(`load_app sh -c "trap 'echo winched; stty size; exit 3' WINCH; echo started; while :; do sleep 0.1; done"\r`, /^started$/m);
  from = screen().length;
  stdout.rows = 40;
  stdout.columns = 120;
  stdout.emit('resize');
  // the program ends (exit 3 in the trap) and the shell's prompt is back before the next line is typed
  await waitFor(/^winched\n40 120\n[^]*embox> $/m, from, 'the second resize');
  await type('poweroff\r', /$/);
  t.is((await done).reason, 'until');
});
