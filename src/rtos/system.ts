// Boot entry point the CLI calls: starts the kernel host, attaches the disk
// image, mounts it and returns what the shell needs. This placeholder only
// defines the contract; the kernel host provides the implementation.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Console } from './console.js';
import type { Scheduler, Task } from './scheduler.js';
import type { Sys } from './sys.js';

export interface BootOptions {
  /** Disk image for /dev/vda (mounted at /mnt/vda); none if undefined. */
  vda?: string;
  /** Kernel and boot messages to console.log (else they are kept out of stdout/stderr). */
  verbose: boolean;
  console: Console;
  /** The scheduler the shell runs on; the kernel host adds its idle handlers and tasks to it. */
  scheduler: Scheduler;
}

export interface System {
  /** System calls on behalf of an RTOS task (bound to its own kernel task). */
  sys(task: Task): Sys;
  /** Kernel pid bound to an RTOS task, if any (for `ps`). */
  kernelPid?(task: { id: number }): number | undefined;
  /** Sync, unmount and halt the kernel. Called from a task. */
  poweroff(): Promise<void>;
}

/** Error the CLI shows as a one-line message (no stack). */
export class BootError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BootError';
  }
}

/** Directory holding package.json, found from this module (works from src/ and dist/). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return dir;
}

export const KERNEL_PATH = path.join(packageRoot(), 'lkl', 'build', 'lkl.wasm');

export async function bootSystem(_opts: BootOptions): Promise<System> {
  if (!fs.existsSync(KERNEL_PATH)) {
    throw new BootError(`kernel not built: ${KERNEL_PATH} is missing (run npm run build:lkl)`);
  }
  throw new BootError('kernel host not available in this build');
}
