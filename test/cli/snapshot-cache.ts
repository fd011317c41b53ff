// What the snapshot tests (snapshot.test.ts, snapshot-disk.test.ts) share: a cache directory of
// a test's own, what the snapshot code said, the snapshot files, pids by rank.
import type { ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Run } from '../tasks/run-embox.js';

/** A cache directory (XDG_CACHE_HOME) of the test's own, removed after it. */
export function cacheDir(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embox-snap-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The environment of a run with this cache directory and the snapshot's debug lines on stderr. */
export const snapshotEnv = (cache: string, env: Record<string, string> = {}): Record<string, string> =>
  ({ XDG_CACHE_HOME: cache, DEBUG: 'boot:snapshot', DEBUG_COLORS: '0', ...env });

/** What the snapshot code said, in order: made, restored, stale, damaged, not kept. */
export function events(r: Run): string[] {
  return [...r.stderr.matchAll(/boot:snapshot snapshot (made|restored|stale|damaged|not kept)/g)].map((m) => m[1]!);
}

/** The snapshot files in the cache directory, by name. */
export function snapshots(cache: string): string[] {
  const dir = path.join(cache, 'embox-i386', 'snapshots');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((f) => path.join(dir, f)) : [];
}

/**
 * Output with its pids (`pid N` lines and ps lines) replaced by their rank among them: which
 * processes there are and in what order is the system's; the numbers themselves shift when the
 * kernel starts one more worker thread (a kworker, hidden from the listing) on a loaded machine,
 * as Linux does.
 */
export function pidRanks(out: string): string {
  const pid = /^pid (\d+)$|^ *(\d+) \S+$/gm;
  const all = [...new Set([...out.matchAll(pid)].map((m) => Number(m[1] ?? m[2])))].sort((a, b) => a - b);
  return out.replace(pid, (line, a?: string, b?: string) => line.replace(a ?? b!, `p${all.indexOf(Number(a ?? b))}`));
}
