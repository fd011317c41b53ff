// readFile (src/rtos/sys.ts), the one whole-file read through the kernel:
// flags, short reads, the max-bytes limit, errors and the fd always closed.

import test from 'ava';
import { ErrnoError, readFile, type FileReader } from '../../src/rtos/sys.js';
import { E } from '../../src/uapi/errno.js';
import { O } from '../../src/uapi/linux.js';
import { MemSys } from './memsys.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A MemSys whose reads return at most `chunk` bytes, recording the open flags and the fds left open. */
function tracing(sys: MemSys, chunk = Infinity) {
  const flags: number[] = [];
  const open = new Set<number>();
  const reader: FileReader = {
    openat(dirfd, path, f, mode) {
      flags.push(f);
      const fd = sys.openat(dirfd, path, f, mode);
      if (fd >= 0) open.add(fd);
      return fd;
    },
    read: (fd, buf) => Promise.resolve(sys.read(fd, buf.subarray(0, Math.min(buf.length, chunk)))),
    close(fd) {
      open.delete(fd);
      return sys.close(fd);
    },
  };
  return { reader, flags, open };
}

test('the whole file, through short reads, opened close-on-exec and large-file and closed', async (t) => {
  const sys = new MemSys();
  sys.addFile('/etc/motd', 'hello, world\n');
  const { reader, flags, open } = tracing(sys, 3);
  t.is(text(await readFile(reader, '/etc/motd')), 'hello, world\n');
  t.deepEqual(flags, [O.RDONLY | O.CLOEXEC | O.LARGEFILE]);
  t.is(open.size, 0);
  t.is((await readFile(reader, '/etc/motd')).length, 13);
});

test('max: at most that many bytes, the whole file when it is shorter', async (t) => {
  const sys = new MemSys();
  sys.addFile('/s', '#!/bin/sh -e\necho hi\n');
  const { reader } = tracing(sys, 5);
  t.is(text(await readFile(reader, '/s', 12)), '#!/bin/sh -e');
  t.is(text(await readFile(reader, '/s', 1000)), '#!/bin/sh -e\necho hi\n');
  t.is((await readFile(reader, '/s', 0)).length, 0);
});

test("errors: an ErrnoError with the open's or the read's errno, the fd closed", async (t) => {
  const sys = new MemSys();
  sys.addFile('/d/f', 'x');
  const { reader, open } = tracing(sys);
  const missing = await t.throwsAsync(readFile(reader, '/nope'), { instanceOf: ErrnoError });
  t.is(missing.errno, E.ENOENT);
  t.is(missing.message, '/nope: No such file or directory');
  const dir = await t.throwsAsync(readFile(reader, '/d'), { instanceOf: ErrnoError });
  t.is(dir.errno, E.EISDIR);
  t.is(dir.message, '/d: Is a directory');
  t.is(open.size, 0);
});
