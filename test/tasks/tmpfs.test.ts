// The boot's tmpfs mounts (/tmp, /dev/shm) have Linux's default size, half of
// the memory the kernel has (MemTotal): df reports it, a file written past it
// ends with ENOSPC (not the OOM killer), its st_blocks count its pages, and
// after rm the space is back and the system goes on. A fresh tmpfs's limits
// and remounts are compared with Linux in rootfs/scripts/tmpfs.sh
// (load-app.test.ts).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './run-embox.js';

const SCRIPT = `
mem=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
half=$(( mem / 4 / 2 * 4 ))
df -k /tmp /dev/shm | awk -v h=$half 'NR > 1 { print $6, "size is half of MemTotal:", $2 == h ? "yes" : "no, " $2 " KiB, not " h }'
dd if=/dev/zero of=/tmp/fill bs=1M 2>&1 | head -1
df -k /tmp | awk 'NR == 2 { print "available:", $4, $5 }'
ls -s /tmp/fill | awk -v h=$half '{ print "blocks of the file are the size:", $1 == h ? "yes" : "no, " $1 }'
rm /tmp/fill
df -k /tmp | awk 'NR == 2 { print "after rm:", $3, $5 }'
echo still fine > /tmp/x; cat /tmp/x
`;

test('/tmp and /dev/shm: half of MemTotal; filling /tmp is ENOSPC and the system goes on', (t) => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'embox.cjs'), '-c', "load_app sh; load_app sh -c 'echo next program'"], {
    input: SCRIPT, encoding: 'utf8', timeout: 120_000,
  });
  t.is(r.stderr, '');
  t.is(r.stdout, [
    '/tmp size is half of MemTotal: yes',
    '/dev/shm size is half of MemTotal: yes',
    "dd: error writing '/tmp/fill': No space left on device",
    'available: 0 100%',
    'blocks of the file are the size: yes',
    'after rm: 0 0%',
    'still fine',
    'next program',
    '',
  ].join('\n'));
  t.is(r.status, 0);
});
