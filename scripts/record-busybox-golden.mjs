#!/usr/bin/env zx
// Runs rootfs/scripts/*.sh with Debian's busybox natively on this machine
// (the real CPU and kernel) and records test/tasks/busybox-golden/NAME.txt:
// exit status and the merged stdout+stderr, as a terminal shows them. The
// applets are found through a PATH of links to the same busybox binary the
// system runs.
import { fs, path, os } from 'zx';
import { spawnSync } from 'node:child_process';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bb = path.join(root, 'rootfs/bin/busybox');
const applets = (await fs.readFile(path.join(root, 'rootfs/bin/busybox.applets'), 'utf8')).split('\n').filter(Boolean);
const bin = await fs.mkdtemp(path.join(os.tmpdir(), 'bbpath-'));
for (const a of applets) await fs.symlink(bb, path.join(bin, path.basename(a))).catch(() => undefined);
const out = path.join(root, 'test/tasks/busybox-golden');
await fs.mkdirp(out);
for (const f of (await fs.readdir(path.join(root, 'rootfs/scripts'))).filter((n) => n.endsWith('.sh')).sort()) {
  // One pipe for both streams, so their interleaving is what a terminal would show.
  const r = spawnSync(bb, ['sh', '-c', `exec 2>&1; . ${path.join(root, 'rootfs/scripts', f)}`], {
    env: { PATH: bin, HOME: '/root', TERM: 'vt100' }, encoding: 'latin1',
  });
  await fs.writeFile(path.join(out, f.replace(/\.sh$/, '.txt')), `exit: ${r.status}\n--- output\n${r.stdout}`);
  console.error(`${f}: exit ${r.status}, ${r.stdout.length} bytes`);
}
await fs.remove(bin);
