// What a host error in a guest's system call does: a guest memory fault that
// escapes a handler is the guest's EFAULT; anything else thrown ends that
// guest's process (killed, as Linux kills a task that oopses: its parent sees
// SIGKILL, not a clean exit), is reported readably, and the system runs on.
import test from 'ava';
import { errorText } from '../../src/boot/errors.js';
import { bootSystem } from '../../src/boot/system.js';
import { GuestFault } from '../../src/cpu/memory.js';
import { TABLE, type Handler } from '../../src/int80/abi.js';
import { BufferConsole } from '../../src/rtos/console.js';
import { Scheduler } from '../../src/rtos/scheduler.js';
import { Shell } from '../../src/rtos/shell/index.js';

test('errorText: one readable line for whatever was thrown', (t) => {
  t.is(errorText(new GuestFault(0x1000, true, false, false)), 'guest memory fault: write at 0x1000 (not mapped)');
  t.is(errorText(new GuestFault(0xbfff0000, false, true, true)), 'guest memory fault: execute at 0xbfff0000 (protection)');
  t.is(errorText(new TypeError('x is not a function')), 'TypeError: x is not a function');
  t.is(errorText(new Error('plain')), 'plain');
  t.is(errorText('a string'), 'a string');
  t.is(errorText({ code: 7 }), '{ code: 7 }');
  t.is(errorText(undefined), 'undefined');
});

/** Boot in-process, run lines in the shell with getppid's handler replaced; task errors collected. */
async function withHandler(run: Handler, lines: string[]): Promise<{ statuses: number[]; out: string; errors: Array<[string, unknown]> }> {
  const entry = TABLE.find((e) => e?.name === 'getppid')!;
  const saved = entry.run;
  const errors: Array<[string, unknown]> = [];
  const sched = new Scheduler({ onTaskError: (task, e) => errors.push([task.name, e]) });
  const con = new BufferConsole();
  const statuses: number[] = [];
  const main = sched.spawn('test', async (task) => {
    const system = await bootSystem({ verbose: false, console: con, scheduler: sched });
    const shell = new Shell({ sys: system.sys(task), console: con, task, scheduler: sched });
    try {
      for (const [i, line] of lines.entries()) {
        // the last line runs with the real handler again
        entry.run = i < lines.length - 1 ? run : saved;
        statuses.push(await shell.runLine(line));
      }
    } finally {
      entry.run = saved;
      await system.poweroff();
    }
    return 0;
  });
  await sched.run({ until: main });
  return { statuses, out: con.out, errors };
}

// busybox sh asks getppid() for $PPID as it starts
const PPID = "load_app sh -c 'echo ppid $PPID'";

test.serial('a guest memory fault that escapes a handler is EFAULT for the guest', async (t) => {
  const r = await withHandler(() => { throw new GuestFault(0x1000, true, false, false); }, [PPID, PPID]);
  t.deepEqual(r.errors, []);
  t.deepEqual(r.statuses, [0, 0]);
  const [faulted, real] = r.out.split('\n');
  t.is(faulted, `ppid ${2 ** 32 - 14}`); // -EFAULT as busybox prints a pid (unsigned)
  t.regex(real!, /^ppid [1-9]\d*$/);
});

test.serial('a host error in a handler ends that process with SIGKILL, reported; the next program runs', async (t) => {
  const r = await withHandler(async () => { throw new TypeError('handler bug'); }, [PPID, PPID]);
  t.is(r.errors.length, 1);
  t.is(r.errors[0]![0], 'sh');
  t.is(errorText(r.errors[0]![1]), 'TypeError: handler bug');
  t.deepEqual(r.statuses, [128 + 9, 0]);
  t.regex(r.out, /^ppid [1-9]\d*\n$/);
});
