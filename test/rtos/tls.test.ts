import test from 'ava';
import { Scheduler } from '../../src/rtos/scheduler.js';
import { createTlsKey } from '../../src/rtos/tls.js';

test('values are per task and destructors run with them when each task ends', async (t) => {
  const sched = new Scheduler();
  const freed: string[] = [];
  const key = createTlsKey<string>('kernel-task', (v, task) => { freed.push(`${task.id}:${v}`); });
  const seen: Array<string | undefined> = [];
  sched.spawn('a', async (task) => {
    key.set(task, 'ka');
    await task.yield();
    seen.push(key.get(task));
  });
  sched.spawn('b', async (task) => {
    seen.push(key.get(task)); // not set in this task yet
    key.set(task, 'kb');
    await task.yield();
    seen.push(key.get(task));
  });
  sched.spawn('c', () => 0); // never sets a value: no destructor call
  await sched.run();
  t.deepEqual(seen, [undefined, 'ka', 'kb']);
  t.deepEqual(freed, ['1:ka', '2:kb']);
  key.delete();
});

test('destructors run in key creation order, repeat when they set values, and errors do not stop others', async (t) => {
  const order: string[] = [];
  const errors: unknown[] = [];
  const sched = new Scheduler({ onTaskError: (_task, e) => errors.push(e) });
  const k1 = createTlsKey<number>('k1', (v) => { order.push(`k1=${v}`); });
  const k2 = createTlsKey<number>('k2', (v, task) => {
    order.push(`k2=${v}`);
    if (v < 2) k1.set(task, 10 + v); // a destructor that creates new data: another round
    throw new Error(`k2 failed ${v}`);
  });
  const k3 = createTlsKey<number>('k3', (v) => { order.push(`k3=${v}`); });
  sched.spawn('t', (task) => {
    k3.set(task, 3);
    k2.set(task, 1);
    k1.set(task, 1);
    return 0;
  });
  await sched.run();
  t.deepEqual(order, ['k1=1', 'k2=1', 'k3=3', 'k1=11']);
  t.deepEqual(errors.map((e) => (e as Error).message), ['k2 failed 1']);
  for (const k of [k1, k2, k3]) k.delete();
});

test('a deleted key runs no destructor; clearing a value skips it', async (t) => {
  const freed: string[] = [];
  const sched = new Scheduler();
  const gone = createTlsKey<string>('gone', (v) => { freed.push(`gone:${v}`); });
  const cleared = createTlsKey<string>('cleared', (v) => { freed.push(`cleared:${v}`); });
  const kept = createTlsKey<string>('kept', (v) => { freed.push(`kept:${v}`); });
  sched.spawn('t', (task) => {
    gone.set(task, 'x');
    cleared.set(task, 'y');
    cleared.set(task, undefined);
    kept.set(task, 'z');
    gone.delete();
    return 0;
  });
  await sched.run();
  t.deepEqual(freed, ['kept:z']);
  t.throws(() => gone.set({ id: 0, tls: new Map() }, 'again'), { message: /was deleted/ });
  cleared.delete();
  kept.delete();
});

test('async destructors finish before joiners resume, also for killed tasks', async (t) => {
  const sched = new Scheduler();
  const trace: string[] = [];
  const key = createTlsKey<string>('res', async (v) => {
    await Promise.resolve();
    trace.push(`freed ${v}`);
  });
  const worker = sched.spawn('worker', async (task) => {
    key.set(task, 'w');
    await task.yield();
    return 2;
  });
  const victim = sched.spawn('victim', async (task) => {
    key.set(task, 'v');
    await task.block();
  });
  sched.spawn('main', async (task) => {
    trace.push(`joined ${await worker.join(task)}`);
    await sched.kill(victim, 9);
    trace.push('killed');
  });
  await sched.run();
  t.deepEqual(trace, ['freed w', 'joined 2', 'freed v', 'killed']);
  t.false(key.has(worker));
  key.delete();
});
