// What the tests learn from the host -- runs of i386 code on the real CPU,
// strerror() of the host's C library, the kernel's uapi headers -- is
// recorded in test/native/ (one gzip file per question, named by its hash),
// so the suite also runs where the host cannot answer (only Node installed,
// or a CPU that does not run i386 code). Where it can, the answer is taken
// live; EMBOX_RECORD_NATIVE=1 writes it down.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'native');

/**
 * The host's answer to `question` (what, and the exact input): live when
 * `live` can produce it, else the recorded one. Throws when neither exists.
 */
export function hostAnswer(what: string, question: string | Uint8Array, live: () => Uint8Array): Buffer {
  const h = createHash('sha256').update(what).update('\0').update(question).digest('hex').slice(0, 24);
  const file = path.join(DIR, `${h}.gz`);
  let liveError: unknown;
  if (process.env.EMBOX_NATIVE !== 'recorded') {
    try {
      const out = Buffer.from(live());
      if (process.env.EMBOX_RECORD_NATIVE === '1') {
        fs.mkdirSync(DIR, { recursive: true });
        fs.writeFileSync(file, gzipSync(out, { level: 9 }));
      }
      return out;
    } catch (e) {
      liveError = e;
    }
  }
  if (fs.existsSync(file)) return gunzipSync(fs.readFileSync(file));
  throw new Error(`${what}: the host cannot answer (${liveError instanceof Error ? liveError.message : String(liveError)}) ` +
    `and no answer is recorded: run EMBOX_RECORD_NATIVE=1 npm test on a machine with gcc -m32 that runs i386 code`);
}

/** A C program built with `gcc FLAGS -o OUT SRC ...` (recorded: the binary itself). */
export function gccBuild(what: string, src: string, args: (out: string) => string[]): Uint8Array {
  // the question is the source and the flags, not where the checkout happens to be
  const flags = args('OUT').map((a) => (a === src ? 'SRC' : a)).join(' ');
  return hostAnswer(`gcc ${what}`, `${fs.readFileSync(src, 'utf8')}${flags}`, () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'native-')), 'prog');
    const r = spawnSync('gcc', args(out), { encoding: 'utf8' });
    if (r.error || r.status !== 0) throw new Error(r.stderr || String(r.error));
    return fs.readFileSync(out);
  });
}

/** A binary's run on the real CPU: stdout and exit status (recorded). */
export function runNatively(what: string, bin: Uint8Array): { stdout: string; status: number | null } {
  const rec = hostAnswer(`run ${what}`, bin, () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'native-')), 'prog');
    fs.writeFileSync(f, bin, { mode: 0o755 });
    const r = spawnSync(f, [], { encoding: 'utf8' });
    if (r.error) throw r.error;
    return Buffer.from(JSON.stringify({ stdout: r.stdout, status: r.status }));
  });
  return JSON.parse(rec.toString('utf8')) as { stdout: string; status: number | null };
}
