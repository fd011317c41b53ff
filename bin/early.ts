// What the CLI does before the rest of it loads: main.ts imports this module
// first, so that lkl.wasm is read and V8 compiles it in the background while
// the rest of the CLI is parsed and initialised (about as long).
import * as v8 from 'node:v8';
import { kernelModule } from '../src/boot/kernel-file.js';

// V8 recompiles a WebAssembly function with its optimizing compiler once it
// has run a budget of code. At the default (1.8 MB of code executed) a start
// of the system sends a few large kernel functions to it in the background:
// work a short run never gains from, waited for at exit, and whose memory
// stays in the process (a start took 290 ms and 139 MiB, 245 ms and 105 MiB
// at ten times the budget). What runs long is optimized all the same.
v8.setFlagsFromString('--wasm-tiering-budget=18000000');

const args = process.argv.slice(2);
if (!args.some((a) => a === '-h' || a === '--help' || a === '--version')) {
  kernelModule().catch(() => undefined); // a missing kernel is reported by the boot that awaits it
}
