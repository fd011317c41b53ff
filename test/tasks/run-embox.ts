// One `embox -c LINE` run for the tests, asynchronously: a blocked worker could not report
// finished tests, and ava gives up after two minutes without a result.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import type { ExecutionContext } from 'ava';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EMBOX = path.join(ROOT, 'bin', 'embox.cjs');

export interface Run { status: number | null; stdout: string; stderr: string; /** with `peak`: the process's peak RSS in MiB (VmHWM) */ peakMiB?: number }

/** Run `embox -c line` with env added; killed after timeout ms. */
export function embox(line: string, env: Record<string, string>, timeout: number): Promise<Run> {
  return emboxRun(['-c', line], { env, timeout });
}

/**
 * Run embox with args (env added, `input` piped in when given, or the file `inputFile` as its
 * stdin, else /dev/null; with `peak`, its peak RSS read until it ends); killed after timeout ms.
 */
export function emboxRun(args: string[], o: { env?: Record<string, string>; timeout: number; input?: string; inputFile?: string; peak?: boolean }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const fd = o.inputFile === undefined ? undefined : fs.openSync(o.inputFile, 'r');
    const child = spawn(process.execPath, [EMBOX, ...args], { env: { ...process.env, ...o.env }, stdio: [fd ?? (o.input === undefined ? 'ignore' : 'pipe'), 'pipe', 'pipe'] });
    if (fd !== undefined) fs.closeSync(fd);
    const out: Buffer[] = [], err: Buffer[] = [];
    let peakMiB = 0;
    const poll = o.peak ? setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakMiB = Math.max(peakMiB, Number(m[1]) / 1024);
      } catch {
        // ended
      }
    }, 20) : undefined;
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeout);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ status, stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1'), ...(o.peak ? { peakMiB } : {}) });
    });
    if (o.input !== undefined) {
      child.stdin!.on('error', () => undefined); // embox may end before reading all
      child.stdin!.end(o.input, 'latin1');
    }
  });
}

/** A fixture's native run (test/cpu/programs-golden/ID.txt): its stdout, exit status, and the load_app line that repeats it. */
export function golden(id: string): { want: string; exit: number; line: string } {
  const text = fs.readFileSync(path.join(ROOT, `test/cpu/programs-golden/${id}.txt`), 'latin1');
  const argv = JSON.parse(/^argv: (.*)$/m.exec(text)![1]!) as string[];
  return {
    exit: Number(/^exit: (\d+)$/m.exec(text)![1]),
    want: text.slice(text.indexOf('--- stdout\n') + 11),
    line: ['load_app', id, ...argv.slice(1)].join(' '),
  };
}

/** Run fixture id under load_app with env and check stdout and exit status against its native run, naming the first differing line. */
export async function matchesNative(t: ExecutionContext, id: string, env: Record<string, string>, timeout = 120_000): Promise<void> {
  const { want, exit, line } = golden(id);
  const r = await embox(line, env, timeout);
  const got = r.stdout.split('\n'), exp = want.split('\n');
  const i = exp.findIndex((l, k) => got[k] !== l);
  const why = `exit ${r.status}; ${i < 0 ? 'stdout equal' : `line ${i + 1}: got ${JSON.stringify(got[i])}, want ${JSON.stringify(exp[i])}`}; stderr: ${r.stderr.slice(-400)}`;
  t.is(r.stdout, want, why);
  t.is(r.status, exit, why);
}

/**
 * An embox on `--root img` running `bash -c 'echo started; read x'`, resolved once it said
 * "started" (it holds the image's lock from before its boot until it ends): release() lets it
 * end and gives its status.
 */
export async function holdingRoot(img: string, env: Record<string, string>, timeout: number): Promise<{ pid: number; release(): Promise<number | null> }> {
  const first = spawn(process.execPath, [path.join(ROOT, 'bin/embox.cjs'), '--root', img, '-c', "load_app bash -c 'echo started; read x'"],
    { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const ended = new Promise<number | null>((r) => first.on('close', r));
  const timer = setTimeout(() => first.kill('SIGKILL'), timeout);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    first.stdout.on('data', (b: Buffer) => { out += b.toString(); if (out.includes('started\n')) resolve(); });
    first.on('close', () => reject(new Error(`the first embox ended: ${out}`)));
  });
  return {
    pid: first.pid!,
    release: async () => {
      first.stdin.end('\n');
      const status = await ended;
      clearTimeout(timer);
      return status;
    },
  };
}
