import test from 'ava';
import { BlkReqType, BlkStatus, BlockDevError, submit, type BlockDevice } from '../../src/blockdev/blockdev.js';
import { MemoryBlockDevice } from '../../src/blockdev/memory.js';

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

test('submit: scatter/gather by sector, FUA flushes, flush requests, errors as statuses', async (t) => {
  const { dev, calls } = spy(new MemoryBlockDevice(8192));
  const a = pattern(512, 1);
  const b = pattern(1024, 2);
  t.is(await submit(dev, { type: BlkReqType.WRITE, sector: 2, bufs: [a, b], fua: true }), BlkStatus.OK);
  const ra = new Uint8Array(1024);
  const rb = new Uint8Array(512);
  t.is(await submit(dev, { type: BlkReqType.READ, sector: 2n, bufs: [ra, rb] }), BlkStatus.OK);
  t.deepEqual([...ra], [...a, ...b.subarray(0, 512)]);
  t.deepEqual(rb, b.subarray(512));
  t.is(await submit(dev, { type: BlkReqType.FLUSH, sector: 0, bufs: [] }), BlkStatus.OK);
  t.deepEqual(calls, ['write 1024 512', 'write 1536 1024', 'flush', 'read 1024 1024', 'read 2048 512', 'flush']);

  const errors: string[] = [];
  t.is(await submit(dev, { type: BlkReqType.READ, sector: 16, bufs: [new Uint8Array(512)] }, (e) => errors.push((e as Error).message)), BlkStatus.IOERR);
  t.deepEqual(errors, ['read of 512 bytes at offset 8192 is outside the device (8192 bytes)']);
  t.is(await submit(dev, { type: 99 as BlkReqType, sector: 0, bufs: [] }), BlkStatus.UNSUP);
  const ro = MemoryBlockDevice.from(new Uint8Array(1024), { readOnly: true });
  t.is(await submit(ro, { type: BlkReqType.WRITE, sector: 0, bufs: [new Uint8Array(512)] }), BlkStatus.IOERR);
});
