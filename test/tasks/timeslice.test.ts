// A guest that never makes a system call gets time slices, not the machine:
// other RTOS tasks (and the kernel) keep running beside it.
import test from 'ava';
import { BufferConsole } from '../../src/rtos/console.js';
import { Scheduler } from '../../src/rtos/scheduler.js';
import { Shell } from '../../src/rtos/shell/index.js';
import { bootSystem } from '../../src/boot/system.js';

test('an endless guest loop shares the CPU with another task and can be killed', async (t) => {
  const sched = new Scheduler();
  const con = new BufferConsole();
  let ticks = 0;
  let status = -1;
  const main = sched.spawn('main', async (task) => {
    const system = await bootSystem({ verbose: false, console: con, scheduler: sched });
    const shell = new Shell({ sys: system.sys(task), console: con, task, scheduler: sched });
    const other = sched.spawn('other', async (o) => {
      const s = system.sys(o);
      for (let i = 0; i < 20; i++) {
        await o.sleep(10);
        if ((await s.getpid()) > 0) ticks++;
      }
      // Now end the loop: SIGKILL to every guest (the shell's children).
      const { interruptForeground } = await import('../../src/tasks/load-app.js');
      interruptForeground(9);
      return 0;
    });
    status = await shell.runLine('load_app sh -c "while :; do :; done"');
    await other.join(task);
    await system.poweroff();
    return 0;
  });
  await sched.run({ until: main });
  t.is(ticks, 20);
  t.is(status, 128 + 9);
});
