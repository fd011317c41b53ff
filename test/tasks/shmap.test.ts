// MAP_SHARED file mappings hold their file the way Linux's vm_file does: no
// descriptor in the process's table (so nothing in /proc/self/fd, fcntl(768)
// is EBADF, close_range(3, ~0) leaves the mapping working), the pages reach
// the file at msync, munmap and exit (read back with read() by another process
// and after the next boot of the disk), and fork's child shares them.
// rootfs/bin/shmapfd under load_app, compared with its native run
// (test/cpu/programs-golden/shmapfd.txt, `zx scripts/build-fixtures.mjs
// --golden --only=shmapfd`).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { hostHas, image } from '../images.js';
import { emboxRun, golden, matchesNative } from './run-embox.js';

const { want } = golden('shmapfd');
const diff = (got: string, exp: string) => {
  const g = got.split('\n'), e = exp.split('\n');
  const i = e.findIndex((l, k) => g[k] !== l);
  return i < 0 ? 'stdout equal' : `line ${i + 1}: got ${JSON.stringify(g[i])}, want ${JSON.stringify(e[i])}`;
};

test('shmapfd: no descriptor for the mappings, close_range, fork, write-back at msync/munmap/exit, as natively', async (t) => {
  t.timeout(70_000);
  await matchesNative(t, 'shmapfd', {}, 60_000);
});

test('shmapfd on /dev/vda: what the mappings wrote back is on the disk at the next boot, and e2fsck finds it clean', async (t) => {
  t.timeout(100_000);
  const img = image(t, 'ext4-32m');
  const first = await emboxRun(['--vda', img, '-c', 'load_app shmapfd /mnt/vda/shm'], { timeout: 60_000 });
  t.is(first.stdout, want, `${diff(first.stdout, want)}; stderr: ${first.stderr.slice(-400)}`);
  const last = /^after the mapper's exit: (.*)$/m.exec(want)![1];
  const again = await emboxRun(['--vda', img, '-c', 'load_app shmapfd /mnt/vda/shm check'], { timeout: 30_000 });
  t.is(again.stdout, `check: ${last}\n`, again.stderr);
  if (hostHas('e2fsck')) {
    const f = spawnSync('e2fsck', ['-fn', img], { encoding: 'utf8' });
    t.is(f.status, 0, f.stdout + f.stderr);
  }
});
