// `node dist/bench/child.js JOB`: one product measurement (apps.ts ChildJob) alone in this
// process, so that the process's peak RSS is that measurement's; prints the figure, the
// output and the peak RSS as one JSON line, the last on stdout.
import { shellTimed, type ChildJob, type Timed } from './apps.js';
import { interpret } from './cpu.js';

const job = JSON.parse(process.argv[2] ?? '') as ChildJob;
let t: Timed;
if (job.kind === 'shell') {
  t = (await shellTimed([job.line], job.opts)).get(job.line.name)!;
} else {
  const r = interpret(job.args, job.bin);
  t = { s: r.seconds, out: r.stdout, icount: r.icount } as Timed;
}
// resourceUsage().maxRSS is the kernel's ru_maxrss of this process, in KiB
console.log(JSON.stringify({ ...t, rss: process.resourceUsage().maxRSS / 1024 }));
process.exit(0);
