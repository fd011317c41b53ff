// The system in a dedicated worker: the same core the CLI boots (src/boot/
// boot.ts), with lkl.wasm and the root filesystem fetched from the site, the
// disk in the browser's storage (opfs-disk.ts) and the page's terminal as the
// console. A worker, so that guest code never stalls the page, and because
// only a worker may open the disk's synchronous access handle.

import { bootKernel, BootError, type BootHost, type KernelSystem, type RootEntry } from '../src/boot/boot.js';
import { errorText } from '../src/boot/errors.js';
import { BlockDevError } from '../src/blockdev/blockdev.js';
import type { Console } from '../src/rtos/console.js';
import { Scheduler } from '../src/rtos/scheduler.js';
import { commands, Shell } from '../src/rtos/shell/index.js';
import { interruptForeground } from '../src/tasks/load-app.js';
import { MEMORY_SHARED } from '../src/cpu/frames.js';
import { LineEditor } from './line-editor.js';
import { openDisk, type OpfsBlockDevice } from './opfs-disk.js';
import type { DiskSource, FromWorker, ToWorker } from './protocol.js';
import { readPack } from './rootfs-pack.js';

const scope = globalThis as unknown as {
  postMessage(m: FromWorker, transfer?: ArrayBuffer[]): void;
  onmessage: ((e: { data: ToWorker }) => void) | null;
};
const post = (m: FromWorker, transfer?: ArrayBuffer[]) => scope.postMessage(m, transfer);
const t0 = performance.now();

/** The page's terminal as the RTOS console; keystrokes go to the line editor or the program in the foreground. */
class PageConsole implements Console {
  readonly terminal: { input: boolean; output: boolean; error: boolean; rows: number; cols: number };
  private readonly editor = new LineEditor({
    write: (text) => this.write(text),
    complete: (word) => commands.list().map((c) => c.name).filter((n) => n.startsWith(word)),
  });
  private program: ((data: Uint8Array) => void) | undefined;
  private resized: ((rows: number, cols: number) => void) | undefined;
  private readonly utf8 = new TextDecoder();
  onPrompt: (() => void) | undefined;

  constructor(private readonly verbose: boolean, rows: number, cols: number) {
    this.terminal = { input: true, output: true, error: true, rows, cols };
  }

  write(data: string | Uint8Array): void {
    post({ t: 'out', data: typeof data === 'string' ? data : data.slice() });
  }

  error(data: string | Uint8Array): void {
    this.write(data);
  }

  log(data: string | Uint8Array): void {
    if (this.verbose) this.write(data);
  }

  readLine(prompt: string): Promise<string | null> {
    const line = this.editor.read(prompt);
    this.onPrompt?.();
    return line;
  }

  async readInput(): Promise<string | null> {
    const line = await this.editor.read('');
    return line === null ? null : `${line}\n`;
  }

  attachProgramInput(feed: (data: Uint8Array) => void): () => void {
    this.program = feed;
    return () => {
      if (this.program === feed) this.program = undefined;
    };
  }

  onResize(listener: (rows: number, cols: number) => void): void {
    this.resized = listener;
  }

  /** Keystrokes from the page. */
  input(data: Uint8Array): void {
    if (this.program) return this.program(data);
    // Ctrl-C while the shell runs a command that has not taken the keyboard
    if (!this.editor.reading && data.includes(3) && interruptForeground()) return;
    this.editor.feed(this.utf8.decode(data));
  }

  resize(rows: number, cols: number): void {
    this.terminal.rows = rows;
    this.terminal.cols = cols;
    this.resized?.(rows, cols);
  }
}

/** A site file's bytes, with progress. */
async function fetchAsset(url: string, what: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new BootError(`${url}: ${errorText(e)}`);
  }
  if (!res.ok || !res.body) throw new BootError(`${url}: HTTP ${res.status}`);
  const total = Number(res.headers.get('content-length') ?? 0);
  const parts: Uint8Array[] = [];
  let loaded = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    loaded += value.length;
    post({ t: 'progress', what, loaded, total });
  }
  const all = new Uint8Array(loaded);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/** The site's lkl.wasm and rootfs.pack, fetched side by side. */
function webHost(disk: BootHost['openDisk']): BootHost {
  const kernel = fetchAsset('lkl.wasm', 'kernel (lkl.wasm)').then((b) => WebAssembly.compile(b));
  const pack = fetchAsset('rootfs.pack', 'root filesystem').then(readPack);
  return {
    kernel: () => kernel,
    async *rootfs(): AsyncGenerator<RootEntry> {
      const { index, data } = await pack;
      post({ t: 'progress', what: 'booting', loaded: 0, total: 0 });
      for (const e of index.entries) {
        if (e.kind === 'dir') yield { path: e.path, kind: 'dir' };
        else if (e.kind === 'symlink') yield { path: e.path, kind: 'symlink', target: e.target! };
        else {
          const bytes = data.subarray(e.off!, e.off! + e.len!);
          yield { path: e.path, kind: 'file', mode: e.mode ?? 0o644, data: () => Promise.resolve(bytes) };
        }
      }
    },
    rootfsName: 'rootfs.pack',
    applets: async () => (await pack).index.applets,
    openDisk: disk,
  };
}

async function boot(msg: Extract<ToWorker, { t: 'boot' }>, con: PageConsole): Promise<void> {
  const sched = new Scheduler({
    onTaskError: (t, e) => con.error(`embox: task ${t.id} (${t.name}) failed: ${errorText(e)}\r\n`),
  });
  let disk: OpfsBlockDevice | undefined;
  let diskInfo: Extract<FromWorker, { t: 'ready' }>['disk'];
  /** The disk, or none with the reason on the terminal: a bad image does not keep the page from booting. */
  const attach = async (source: DiskSource) => {
    try {
      const d = await openDisk(source, (what, loaded, total) => post({ t: 'progress', what, loaded, total }));
      if (!d) return undefined;
      disk = d.image.dev;
      diskInfo = d.info;
      return d.image;
    } catch (e) {
      const text = e instanceof BlockDevError ? e.message : errorText(e);
      con.error(`embox: ${text}; booting without /dev/vda\r\n`);
      post({ t: 'error', message: text });
      return undefined;
    }
  };
  const opened = msg.disk.kind === 'none' ? undefined : await attach(msg.disk);
  let system: KernelSystem | undefined;
  const init = sched.spawn('shell', async (task) => {
    try {
      system = await bootKernel({
        host: webHost(opened ? () => Promise.resolve(opened) : undefined),
        verbose: msg.verbose,
        console: con,
        scheduler: sched,
      });
    } catch (e) {
      post({ t: 'fatal', message: e instanceof BootError || e instanceof BlockDevError ? e.message : errorText(e) });
      return 1;
    }
    const shell = new Shell({ sys: system.sys(task), console: con, task, scheduler: sched, kernelPid: system.kernelPid?.bind(system) });
    con.onPrompt = () => {
      con.onPrompt = undefined;
      post({ t: 'ready', bootMs: performance.now() - t0, sharedMemory: MEMORY_SHARED, disk: diskInfo });
    };
    // ?c=: one command line first, as `embox -c` runs it; the shell stays for more
    if (msg.command !== undefined) {
      con.write(`embox> ${msg.command}\r\n`);
      await shell.runLine(msg.command);
    }
    const status = await shell.interactive();
    await system.poweroff();
    return status;
  });
  downloadDisk = () => {
    const sys = system, dev = disk;
    if (!dev || !sys) return post({ t: 'error', message: 'no disk attached' });
    sched.spawn('download', async (task) => {
      // the kernel's dirty pages, then the disk's write cache (the flush sync sends)
      await sys.sys(task).sync();
      const bytes = dev.bytes();
      const name = diskInfo?.origin.split('/').pop() || 'vda.img';
      post({ t: 'image', name, bytes: bytes.buffer as ArrayBuffer }, [bytes.buffer as ArrayBuffer]);
      return 0;
    });
  };
  const result = await sched.run({ until: init });
  if (result.reason === 'deadlock') con.error(`embox: every task is blocked (${result.blocked.map((t) => t.name).join(', ')}); stopping\r\n`);
  post({ t: 'down', status: init.exitStatus ?? 1 });
}

let con: PageConsole | undefined;
let downloadDisk: (() => void) | undefined;

scope.onmessage = (e) => {
  const m = e.data;
  if (m.t === 'boot') {
    con = new PageConsole(m.verbose, m.rows, m.cols);
    boot(m, con).catch((err: unknown) => post({ t: 'fatal', message: errorText(err) }));
  } else if (m.t === 'in') con?.input(m.data);
  else if (m.t === 'resize') con?.resize(m.rows, m.cols);
  else if (m.t === 'download') downloadDisk?.();
};
