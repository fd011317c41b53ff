// What the CLI does before the rest of it loads: main.ts imports this module
// first, so that while the rest is parsed and initialised (some 40 ms),
// V8 compiles lkl.wasm in its background threads, and Node's thread pool
// reads the snapshot of the started system into a kernel memory and looks
// at the files the snapshot was made from.
import * as v8 from 'node:v8';
import { kernelModule } from '../src/boot/package-files.js';
import { v8Flags } from '../src/cpu/v8-flags.js';
import { snapshotConfig } from '../src/boot/snapshot.js';
import { readAhead, snapshotDir, SNAPSHOTS, startOrigin } from '../src/boot/snapshot-store.js';

// The V8 flags the system's WebAssembly runs under (src/cpu/v8-flags.ts says
// why), before lkl.wasm is compiled; bin/run-bundle.cjs has set the same ones
// before V8 took its code cache.
v8.setFlagsFromString(v8Flags(process.versions.v8));

/**
 * The snapshot's configuration these arguments will boot, when that is
 * plain (the usage is main.ts's: anything this does not know means no
 * guess). A wrong guess costs the reading ahead, nothing else: the boot
 * checks what it restores.
 */
function guess(args: string[]): { memoryMiB: number; net: boolean; diskRoot: boolean } | undefined {
  let memoryMiB = 256, net = true, diskRoot = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq < 0 ? a : a.slice(0, eq);
    const value = (): string | undefined => (eq < 0 ? args[++i] : a.slice(eq + 1));
    if (name === '-c' || name === '--command' || name === '-p' || name === '--publish') value();
    else if (name === '--vda') value();
    else if (name === '--root') {
      value();
      diskRoot = true;
    } else if (name === '--net') net = value() !== 'none';
    else if (name === '--mem') {
      const m = /^(\d+)([MG]?)$/i.exec(value() ?? '');
      if (!m) return undefined;
      memoryMiB = Number(m[1]) * (m[2]?.toUpperCase() === 'G' ? 1024 : 1);
    } else if (name !== '-v' && name !== '--verbose' && name !== '--profile') return undefined;
  }
  return { memoryMiB, net, diskRoot };
}

const args = process.argv.slice(2);
if (!args.some((a) => a === '-h' || a === '--help' || a === '--version')) {
  kernelModule().catch(() => undefined); // a missing kernel is reported by the boot that awaits it
  const config = guess(args);
  if (config && SNAPSHOTS) {
    startOrigin();
    readAhead(snapshotDir(), snapshotConfig({ ...config, cmdline: process.env.EMBOX_CMDLINE ?? '' }));
  }
}
