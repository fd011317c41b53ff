// An embox process for the network tests: its output as it comes, its
// resident memory, and free loopback ports.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EMBOX = path.join(ROOT, 'bin', 'embox.cjs');

export interface Embox {
  child: ChildProcess;
  /** Output so far. */
  out(): string;
  err(): string;
  /** Resolves when stdout matches re (rejects at exit or after ms). */
  waitFor(re: RegExp, ms?: number): Promise<void>;
  /** Resolves with the exit status (the process is killed after the timeout). */
  done: Promise<number | null>;
  /** Resident set of the embox process now, bytes (Linux /proc). */
  rss(): number;
}

export function startEmbox(args: string[], o: { env?: Record<string, string>; timeout?: number } = {}): Embox {
  const child = spawn(process.execPath, [EMBOX, ...args], { env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString('latin1');
    for (const w of waiters.splice(0)) if (w.re.test(out)) w.resolve(); else waiters.push(w);
  });
  child.stderr!.on('data', (b: Buffer) => { err += b.toString('latin1'); });
  const timer = setTimeout(() => child.kill('SIGKILL'), o.timeout ?? 60_000);
  const done = new Promise<number | null>((resolve) => child.on('close', (status) => {
    clearTimeout(timer);
    resolve(status);
  }));
  return {
    child,
    out: () => out,
    err: () => err,
    done,
    waitFor: (re, ms = 30_000) => new Promise((resolve, reject) => {
      if (re.test(out)) return resolve();
      const t = setTimeout(() => reject(new Error(`no ${re} in embox's output after ${ms} ms: ${out}${err}`)), ms);
      waiters.push({ re, resolve: () => { clearTimeout(t); resolve(); } });
      void done.then(() => { clearTimeout(t); reject(new Error(`embox exited before ${re}: ${out}${err}`)); });
    }),
    rss: () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : 0;
    },
  };
}

/** A loopback port free at the time of the call. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Deterministic bytes: a test's payload. */
export function pattern(n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = 0x12345678;
  for (let i = 0; i < n; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    b[i] = x & 255;
  }
  return b;
}
