// What the CLI does before the rest of it loads (cli.ts): main.ts imports this module
// first, so that while the rest is parsed and initialised (some 40 ms),
// V8 compiles lkl.wasm in its background threads, and Node's thread pool
// reads the snapshot of the started system into a kernel memory and looks
// at the files the snapshot was made from.
import * as v8 from 'node:v8';
import { kernelModule } from '../src/boot/package-files.js';
import { v8Flags } from '../src/cpu/v8-flags.js';
import { snapshotConfig } from '../src/boot/snapshot.js';
import { readAhead, snapshotDir, SNAPSHOTS, startOrigin } from '../src/boot/snapshot-store.js';
import { mark } from '../src/boot/start-marks.js';

// The V8 flags the system's WebAssembly runs under (src/cpu/v8-flags.ts says
// why), before lkl.wasm is compiled; bin/run-bundle.cjs has set the same ones
// before V8 took its code cache.
v8.setFlagsFromString(v8Flags(process.versions.v8));

/**
 * The snapshot's configuration these arguments will boot, when that is
 * plain (the usage is cli.ts's: anything this does not know means no
 * guess), and whether the system will have a disk (--vda or --root). A
 * wrong guess costs the reading ahead or the compile of the disk's kernel
 * functions, nothing else: the boot checks what it restores.
 */
function guess(args: string[]): { config: { memoryMiB: number; net: boolean; diskRoot: boolean } | undefined; disk: boolean } {
  let memoryMiB = 256, net = true, diskRoot = false, disk = false, plain = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq < 0 ? a : a.slice(0, eq);
    const value = (): string | undefined => (eq < 0 ? args[++i] : a.slice(eq + 1));
    if (name === '-c' || name === '--command' || name === '-p' || name === '--publish') value();
    else if (name === '--vda' || name === '--root') {
      value();
      disk = true;
      diskRoot ||= name === '--root';
    } else if (name === '--net') net = value() !== 'none';
    else if (name === '--mem') {
      const m = /^(\d+)([MG]?)$/i.exec(value() ?? '');
      if (m) memoryMiB = Number(m[1]) * (m[2]?.toUpperCase() === 'G' ? 1024 : 1);
      else plain = false;
    } else if (name !== '-v' && name !== '--verbose' && name !== '--profile') plain = false;
  }
  return { config: plain ? { memoryMiB, net, diskRoot } : undefined, disk };
}

mark('cli');
/** When the kernel's compile was started (undefined: it was not, for --help or --version) */
let compileAt: number | undefined;

const args = process.argv.slice(2);
if (!args.some((a) => a === '-h' || a === '--help' || a === '--version')) {
  const { config, disk } = guess(args);
  // (with a disk, what a start with one runs is compiled with the module too)
  kernelModule(disk).catch(() => undefined); // a missing kernel is reported by the boot that awaits it
  compileAt = performance.now();
  if (config && SNAPSHOTS) {
    startOrigin();
    readAhead(snapshotDir(), snapshotConfig({ ...config, cmdline: process.env.EMBOX_CMDLINE ?? '' }));
  }
}

/**
 * Turns of the event loop (SETTLE_TURNS at least, for SETTLE_MS at least from the compile's
 * start) before the CLI loads on: V8 decodes lkl.wasm in a background thread, and only a turn
 * after that lets it go on to compile the functions (main.ts). With 4 ms and 3 turns the
 * compile was done within a 45 ms load in 8 runs of 8; with 1 to 5 ms of turns but a single
 * one, after it in 6 of 12 (some 20 ms later).
 */
const SETTLE_MS = 4, SETTLE_TURNS = 3;
export async function settle(): Promise<void> {
  if (compileAt === undefined) return;
  for (let n = 0; n < SETTLE_TURNS || performance.now() - compileAt < SETTLE_MS; n++) await new Promise<void>((r) => { setImmediate(r); });
}
