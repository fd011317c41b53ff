import test from 'ava';
import { BlockDevError, type BlockDevice } from '../../src/blockdev/blockdev.js';
import { MemoryBlockDevice } from '../../src/blockdev/memory.js';
import { WriteBackCache } from '../../src/blockdev/writeback.js';

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

test('writes read back, across chunk boundaries; unwritten ranges read as zeros', (t) => {
  const dev = new MemoryBlockDevice(1 << 20);
  const data = pattern(200_000, 7);
  dev.write(60_000, data); // spans several 64 KiB chunks, unaligned
  const back = new Uint8Array(data.length);
  dev.read(60_000, back);
  t.deepEqual(back, data);
  const around = new Uint8Array(10);
  dev.read(59_995, around);
  t.deepEqual([...around], [0, 0, 0, 0, 0, ...data.subarray(0, 5)]);
  const tail = new Uint8Array(512);
  dev.read((1 << 20) - 512, tail);
  t.true(tail.every((x) => x === 0));
});

test('sparse: a large empty device allocates only what is written', (t) => {
  const dev = new MemoryBlockDevice(4 * 2 ** 30);
  t.is(dev.capacity(), 4 * 2 ** 30);
  t.is(dev.allocatedBytes(), 0);
  dev.write(3 * 2 ** 30, pattern(4096, 1));
  t.is(dev.allocatedBytes(), 64 * 1024);
  const b = new Uint8Array(4096);
  dev.read(3 * 2 ** 30, b);
  t.deepEqual(b, pattern(4096, 1));
});

test('out-of-range requests fail with a clear error; grow extends on write; resize shrinks', (t) => {
  const dev = new MemoryBlockDevice(4096);
  const e = t.throws(() => dev.read(4000, new Uint8Array(200)), { instanceOf: BlockDevError });
  t.is(e?.message, 'read of 200 bytes at offset 4000 is outside the device (4096 bytes)');
  t.throws(() => dev.write(-1, new Uint8Array(1)), { instanceOf: BlockDevError });

  const g = new MemoryBlockDevice(0, { grow: true });
  g.write(10_000, pattern(100, 3));
  t.is(g.capacity(), 10_100);
  const b = new Uint8Array(100);
  g.read(10_000, b);
  t.deepEqual(b, pattern(100, 3));
  g.resize(10_050);
  t.throws(() => g.read(10_000, new Uint8Array(100)));
  g.resize(10_100);
  g.read(10_000, b);
  t.deepEqual([...b.subarray(0, 50)], [...pattern(100, 3).subarray(0, 50)]);
  t.true(b.subarray(50).every((x) => x === 0)); // shrinking dropped the tail
});

test('read-only and closed devices refuse writes', (t) => {
  const ro = MemoryBlockDevice.from(pattern(1024, 9), { readOnly: true });
  t.true(ro.readOnly);
  t.throws(() => ro.write(0, new Uint8Array(1)), { message: 'write to a read-only device' });
  const b = new Uint8Array(1024);
  ro.read(0, b);
  t.deepEqual(b, pattern(1024, 9));
  ro.close();
  t.throws(() => ro.read(0, b), { message: 'device is closed' });
});

/** Records the calls that reach a device. */
function spy(inner: BlockDevice): { dev: BlockDevice; calls: string[] } {
  const calls: string[] = [];
  const dev: BlockDevice = {
    readOnly: inner.readOnly,
    capacity: () => inner.capacity(),
    read: (o, b) => { calls.push(`read ${o} ${b.length}`); return inner.read(o, b); },
    write: (o, b) => { calls.push(`write ${o} ${b.length}`); return inner.write(o, b); },
    flush: () => { calls.push('flush'); return inner.flush(); },
    close: () => inner.close(),
  };
  return { dev, calls };
}

test('a write then a flush (the kernel\'s FUA) reaches the device in order; errors are BlockDevErrors', (t) => {
  // Through the write cache the kernel's disks sit behind: back-to-back writes
  // go out as one, before the flush that makes them durable.
  const inner = new MemoryBlockDevice(8192);
  const { dev, calls } = spy(inner);
  const c = new WriteBackCache(dev, 4096);
  const a = pattern(512, 1);
  const b = pattern(1024, 2);
  c.write(1024, a);
  c.write(1536, b);
  c.flush();
  t.deepEqual(calls, ['write 1024 1536', 'flush']);
  const back = new Uint8Array(1536);
  inner.read(1024, back);
  t.deepEqual([...back], [...a, ...b]);
  c.flush();
  t.deepEqual(calls, ['write 1024 1536', 'flush', 'flush']);

  const past = t.throws(() => c.read(8192, new Uint8Array(512)), { instanceOf: BlockDevError });
  t.is(past?.message, 'read of 512 bytes at offset 8192 is outside the device (8192 bytes)');
  t.is(past?.code, 'ERANGE');

  // A held-back write to a read-only device fails when the flush sends it.
  const ro = new WriteBackCache(MemoryBlockDevice.from(new Uint8Array(1024), { readOnly: true }));
  ro.write(0, new Uint8Array(512));
  const e = t.throws(() => ro.flush(), { instanceOf: BlockDevError });
  t.is(e?.message, 'write to a read-only device');
  t.is(e?.code, 'EROFS');
});
