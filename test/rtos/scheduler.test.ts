import test from 'ava';
import { BLOCK, CRASH_STATUS, Scheduler, YIELD, type Task } from '../../src/rtos/scheduler.js';

/** Three async tasks that each log and yield `rounds` times. */
function roundRobinTrace(): Promise<string[]> {
  const sched = new Scheduler();
  const trace: string[] = [];
  for (const name of ['a', 'b', 'c']) {
    sched.spawn(name, async (task) => {
      for (let i = 0; i < 3; i++) {
        trace.push(`${name}${i}`);
        await task.yield();
      }
    });
  }
  return sched.run().then(() => trace);
}

test('async tasks run round robin in spawn order', async (t) => {
  t.deepEqual(await roundRobinTrace(), ['a0', 'b0', 'c0', 'a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
});

test('same inputs give the same order of execution', async (t) => {
  const mixed = async () => {
    const sched = new Scheduler();
    const trace: string[] = [];
    let n = 0;
    sched.spawn('step', () => {
      trace.push(`s${n}`);
      return ++n === 4 ? 0 : YIELD;
    });
    const sleeper = sched.spawn('blocker', async (task) => {
      trace.push('b-block');
      await task.block();
      trace.push('b-woken');
    });
    sched.spawn('waker', async (task) => {
      await task.yield();
      trace.push('w-wake');
      sched.wake(sleeper);
      await task.yield();
      trace.push('w-end');
    });
    await sched.run();
    return trace;
  };
  const first = await mixed();
  t.deepEqual(first, ['s0', 'b-block', 's1', 'w-wake', 's2', 'b-woken', 'w-end', 's3']);
  for (let i = 0; i < 5; i++) t.deepEqual(await mixed(), first);
});

test('exit status: returned by async and step bodies, 255 and the error when a body throws', async (t) => {
  const errors: unknown[] = [];
  const sched = new Scheduler({ onTaskError: (_task, e) => errors.push(e) });
  const a = sched.spawn('async', async () => 7);
  const s = sched.spawn('step', () => 3);
  const v = sched.spawn('void', async () => {});
  const boom = new Error('boom');
  const c = sched.spawn('crash', async (task) => {
    await task.yield();
    throw boom;
  });
  const cs = sched.spawn('crash-step', () => {
    throw boom;
  });
  const r = await sched.run();
  t.deepEqual(r, { reason: 'done' });
  t.is(a.exitStatus, 7);
  t.is(s.exitStatus, 3);
  t.is(v.exitStatus, 0);
  t.is(c.exitStatus, CRASH_STATUS);
  t.is(c.error, boom);
  t.is(cs.exitStatus, CRASH_STATUS);
  t.deepEqual(errors, [boom, boom]);
  for (const x of [a, s, v, c, cs]) t.is(x.state, 'done');
});

test('a wake that arrives while the task runs is not lost', async (t) => {
  const sched = new Scheduler();
  const trace: string[] = [];
  sched.spawn('self', async (task) => {
    sched.wake(task); // e.g. an event delivered before the task gets to block
    await task.block();
    trace.push('passed block');
  });
  const r = await sched.run();
  t.deepEqual(r, { reason: 'done' });
  t.deepEqual(trace, ['passed block']);
});

test('a step task blocks with BLOCK and runs again after wake', async (t) => {
  const sched = new Scheduler();
  let calls = 0;
  const stepper = sched.spawn('step', () => {
    calls++;
    return calls === 1 ? BLOCK : 5;
  });
  sched.spawn('waker', async (task) => {
    await task.yield();
    await task.yield();
    t.is(stepper.state, 'blocked');
    t.is(calls, 1);
    sched.wake(stepper);
  });
  await sched.run();
  t.is(calls, 2);
  t.is(stepper.exitStatus, 5);
});

test('a busy task that yields every slice keeps a waiting task responsive', async (t) => {
  const sched = new Scheduler({ pollMs: 5 });
  let slices = 0;
  let stop = false;
  // Guest CPU: never blocks, only yields between slices.
  const cpu = sched.spawn('cpu', () => {
    slices++;
    // Burn a little time per slice, as an interpreter slice would.
    const until = performance.now() + 0.2;
    while (performance.now() < until) { /* slice */ }
    return stop ? 0 : YIELD;
  });
  // Shell: waits for host input (a timer here), then answers.
  const answers: number[] = [];
  const shell = sched.spawn('shell', async (task) => {
    for (let i = 0; i < 3; i++) {
      await task.waitFor(new Promise<void>((r) => setTimeout(r, 20)));
      answers.push(slices);
    }
    stop = true;
    return 0;
  });
  const r = await sched.run({ until: shell });
  t.deepEqual(r, { reason: 'until', status: 0 });
  t.is(answers.length, 3);
  // The CPU task kept running while the shell waited, and got time between every answer.
  t.true(answers[0]! > 0);
  t.true(answers[1]! > answers[0]!);
  t.true(answers[2]! > answers[1]!);
  t.not(cpu.state, 'done');
});

test('host events wake a blocked task while a busy task runs', async (t) => {
  const sched = new Scheduler({ pollMs: 2 });
  let stop = false;
  sched.spawn('busy', () => (stop ? 0 : YIELD));
  const waiter = sched.spawn('waiter', async (task) => {
    sched.ref();
    setTimeout(() => { sched.unref(); sched.wake(task); }, 10);
    await task.block();
    stop = true;
    return 9;
  });
  const r = await sched.run();
  t.deepEqual(r, { reason: 'done' });
  t.is(waiter.exitStatus, 9);
});

test('idle handlers run when nothing is ready and can wake tasks', async (t) => {
  const sched = new Scheduler();
  let wokenFromIdle = 0;
  let blocked: Task | undefined;
  sched.addIdleHandler((s) => {
    if (blocked && blocked.state === 'blocked') {
      wokenFromIdle++;
      s.wake(blocked);
    }
  });
  const trace: string[] = [];
  blocked = sched.spawn('t', async (task) => {
    trace.push('before');
    await task.block();
    trace.push('after');
  });
  await sched.run({ until: blocked });
  t.deepEqual(trace, ['before', 'after']);
  t.is(wokenFromIdle, 1);
});

test('an idle scheduler waits for host events without polling', async (t) => {
  const sched = new Scheduler();
  let idleCalls = 0;
  sched.addIdleHandler(() => { idleCalls++; });
  const task = sched.spawn('sleeper', async (tk) => {
    await tk.sleep(60);
    return 1;
  });
  const r = await sched.run({ until: task });
  t.deepEqual(r, { reason: 'until', status: 1 });
  // Once when the task went to sleep, once when the timer fired: a busy wait would call it thousands of times.
  t.true(idleCalls <= 3, `idle handlers ran ${idleCalls} times`);
});

test('run reports a deadlock when tasks are blocked and nothing can wake them', async (t) => {
  const sched = new Scheduler();
  const a = sched.spawn('stuck', async (task) => {
    await task.block();
  });
  const r = await sched.run();
  t.is(r.reason, 'deadlock');
  t.deepEqual(r.reason === 'deadlock' ? r.blocked.map((x) => x.name) : [], ['stuck']);
  t.is(a.state, 'blocked');
});

test('ps lists live tasks with their states', async (t) => {
  const sched = new Scheduler();
  let seen: ReturnType<Scheduler['ps']> = [];
  const blocker = sched.spawn('blocker', async (task) => {
    await task.block();
    return 0;
  });
  sched.spawn('short', () => 0);
  sched.spawn('observer', async (task) => {
    await task.yield();
    seen = sched.ps();
    sched.wake(blocker);
  });
  await sched.run();
  t.deepEqual(seen, [
    { id: 1, name: 'blocker', state: 'blocked', exitStatus: undefined },
    { id: 3, name: 'observer', state: 'running', exitStatus: undefined },
  ]);
  t.deepEqual(sched.ps(), []);
});

test('join blocks the caller until the task ends; kill ends a blocked task', async (t) => {
  const sched = new Scheduler();
  const trace: string[] = [];
  const victim = sched.spawn('victim', async (task) => {
    await task.block();
    trace.push('victim resumed'); // must never happen
  });
  const worker = sched.spawn('worker', async (task) => {
    await task.yield();
    await task.yield();
    trace.push('worker done');
    return 4;
  });
  sched.spawn('boss', async (task) => {
    const st = await worker.join(task);
    trace.push(`joined ${st}`);
    await sched.kill(victim, 137);
    trace.push(`killed ${victim.exitStatus}`);
  });
  const r = await sched.run();
  t.deepEqual(r, { reason: 'done' });
  t.deepEqual(trace, ['worker done', 'joined 4', 'killed 137']);
  t.is(victim.state, 'done');
});

test('switching from outside the running task is refused', async (t) => {
  const sched = new Scheduler();
  let other: Task | undefined;
  const first = sched.spawn('a', async (task) => {
    await task.yield();
  });
  sched.spawn('b', async () => {
    other = first;
    t.throws(() => other!.yield(), { message: /can only switch from its own running async body/ });
  });
  await sched.run();
  t.is(first.state, 'done');
});

test('scheduler-level yield and block act on the running task', async (t) => {
  const sched = new Scheduler();
  const trace: string[] = [];
  const a = sched.spawn('a', async () => {
    trace.push(`a sees ${sched.self().name}`);
    await sched.block();
    trace.push('a woken');
  });
  sched.spawn('b', async () => {
    trace.push(`b sees ${sched.current?.name}`);
    sched.wake(a);
    await sched.yield();
    trace.push('b again');
  });
  await sched.run();
  t.deepEqual(trace, ['a sees a', 'b sees b', 'a woken', 'b again']);
  t.throws(() => sched.self(), { message: 'not called from a running task' });
});

test('a step task waits for a host promise with wakeWhen + BLOCK while others run', async (t) => {
  const sched = new Scheduler();
  const trace: string[] = [];
  let pending: Promise<number> | undefined;
  let result = 0;
  sched.spawn('guest', () => {
    if (!pending) {
      pending = new Promise<number>((r) => setTimeout(() => r(42), 15));
      pending.then((v) => { result = v; });
      sched.self().wakeWhen(pending);
      trace.push('guest waits');
      return BLOCK;
    }
    trace.push(`guest got ${result}`);
    return 0;
  });
  sched.spawn('other', () => {
    trace.push('other runs');
    return 0;
  });
  const r = await sched.run();
  t.deepEqual(r, { reason: 'done' });
  t.deepEqual(trace, ['guest waits', 'other runs', 'guest got 42']);
});
