// One memory for the machine (--mem, as qemu's -m): the programs' page frames are charged to
// their processes in the kernel (lkl's kernel/mm.c), so a program that touches memory until
// it gets none is ended by the kernel's OOM killer with SIGKILL, as on Linux (where malloc
// rarely fails: the touch does), the kernel's log says so, the system goes on, and the host
// process stays within the budget. Charges go back when a process ends, so programs that
// fit run one after another.
import test from 'ava';
import { emboxRun } from './run-embox.js';

/** embox with args, and its peak RSS in MiB; killed after timeout ms. */
async function run(args: string[], timeout: number): Promise<{ status: number | null; stdout: string; stderr: string; peakMiB: number }> {
  const r = await emboxRun(args, { timeout, peak: true });
  return { ...r, peakMiB: r.peakMiB ?? 0 };
}

const MEM = 128;

test.serial(`--mem ${MEM}M: a memory hog is ended by the OOM killer, the kernel logs it, the system goes on, the host stays within the budget`, async (t) => {
  // the same programs with a small hog: the host's memory without it (each program's code,
  // translated at its first run under EMBOX_JIT=1, counts in both)
  const line = (hog: string): string =>
    `load_app sh -c '${hog}; echo "memhog: exit $?"; dmesg | grep -o "Out of memory: Killed process [0-9]* (memhog)" | sed "s/[0-9][0-9]*/N/"'; load_app hello`;
  const base = await run(['--mem', `${MEM}M`, '-c', line('memhog 4')], 120_000);
  t.is(base.stdout, 'memhog: 4 MiB\nmemhog: exit 0\nhello, world\n');
  const r = await run(['--mem', `${MEM}M`, '-c', line('memhog')], 120_000);
  t.is(r.stdout, 'memhog: exit 137\nOut of memory: Killed process N (memhog)\nhello, world\n', r.stderr);
  t.is(r.status, 0);
  t.false(/embox:/.test(r.stderr), r.stderr);
  // the hog's frames (what the kernel lets it have of MEM) and the host's bookkeeping and garbage
  // for them (64 MiB allowed); without the budget the hog took about 2.9 GiB of host memory
  t.true(r.peakMiB < base.peakMiB + MEM + 64, `host peak ${r.peakMiB.toFixed(0)} MiB, ${base.peakMiB.toFixed(0)} MiB without the hog`);
});

test.serial(`--mem ${MEM}M: programs that fit run one after another (a process's charge goes back when it ends)`, async (t) => {
  const r = await run(['--mem', `${MEM}M`, '-c', "load_app sh -c 'memhog 48; memhog 48; memhog 48; memhog 48'"], 120_000);
  t.is(r.stdout, 'memhog: 48 MiB\n'.repeat(4), r.stderr);
  t.is(r.status, 0);
});

test.serial(`--mem ${MEM}M: shared anonymous memory counts too: its hog is ended by the OOM killer, the system goes on`, async (t) => {
  const line = (hog: string): string => `load_app sh -c '${hog}; echo "memhog: exit $?"'; load_app hello`;
  const base = await run(['--mem', `${MEM}M`, '-c', line('memhog -s 4')], 120_000);
  t.is(base.stdout, 'memhog: 4 MiB\nmemhog: exit 0\nhello, world\n');
  const r = await run(['--mem', `${MEM}M`, '-c', line('memhog -s')], 120_000);
  t.is(r.stdout, 'memhog: exit 137\nhello, world\n', r.stderr);
  t.true(r.peakMiB < base.peakMiB + MEM + 64, `host peak ${r.peakMiB.toFixed(0)} MiB, ${base.peakMiB.toFixed(0)} MiB without the hog`);
});

test.serial(`--mem ${MEM}M: a fork storm ends in "can't fork", kill -9 -1 ends it, output before and after it is kept, the host stays within the budget`, async (t) => {
  const base = await run(['--mem', `${MEM}M`, '-c', "load_app sh -c 'echo before'"], 120_000);
  const r = await run(['--mem', `${MEM}M`, '-c',
    "load_app sh -c 'echo before-storm; b(){ b|b& }; b; sleep 2; kill -9 -1; echo after-kill'; load_app hello"], 120_000);
  t.is(r.stdout, 'before-storm\nafter-kill\nhello, world\n', r.stderr.slice(-500));
  t.is(r.status, 0);
  // busybox's message for fork's ENOMEM or EAGAIN, and nothing from the host
  t.regex(r.stderr, /can't fork/);
  t.false(/embox:/.test(r.stderr), r.stderr.slice(-500));
  // the processes' frames are within MEM; their host-side state (CPU, page tables, tasks) is what the 192 MiB allow
  t.true(r.peakMiB < base.peakMiB + MEM + 192, `host peak ${r.peakMiB.toFixed(0)} MiB, ${base.peakMiB.toFixed(0)} MiB without the storm`);
});

test('free inside sees the machine given by --mem', async (t) => {
  const r = await run(['--mem', '200M', '-c', "load_app sh -c \"awk '/^MemTotal:/ { print int(\\$2 / 1024 / 10) * 10 }' /proc/meminfo\""], 120_000);
  // MemTotal is the memory less what the kernel's image and early allocations took
  t.is(r.stdout, '190\n', r.stderr);
});

test('--mem: a size it cannot take is a usage error', async (t) => {
  for (const bad of ['abc', '8M', '3G', '1.5M']) {
    const r = await run(['--mem', bad, '-c', 'load_app hello'], 30_000);
    t.is(r.status, 2, bad);
    t.regex(r.stderr, /^embox: option --mem needs a size from 16M to 2G in whole MiB/, bad);
  }
});
