// The `embox` command's entry: early.ts starts the kernel's compile and the snapshot's reading
// ahead, then the event loop gets a few turns before the rest of the CLI loads (cli.ts, some
// 40 ms of this thread's time). V8 compiles a module asynchronously in its background threads,
// but the step between decoding it and compiling its functions runs on this thread, at a turn
// of the event loop: without one, the kernel's compile waited for the whole load, and the start
// then waited some 20 ms for it at the end (`embox --profile` shows when each was done).
import { settle } from './early.js';

settle().then(() => import('./cli.js')).catch((e: unknown) => {
  process.stderr.write(`embox: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(70);
});
