// A new size of the terminal reaches the guest, as on Linux: the terminal
// console's 'resize' (SIGWINCH on the host) sets the console ttys' size with
// TIOCSWINSZ, so `stty size` sees it and the kernel's tty sends SIGWINCH to
// the foreground job. The system runs in this process on a terminal made of
// streams, as in terminal.test.ts.
import test from 'ava';
import { bootOnTerminal } from './tty-harness.js';

test('a new size of the terminal reaches the guest: TIOCGWINSZ and SIGWINCH to the foreground job', async (t) => {
  const { stdout, screen, waitFor, type, done } = bootOnTerminal(t);
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
