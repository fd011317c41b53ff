import test from 'ava';
import { MemoryBlockDevice } from '../../src/blockdev/memory.js';
import { WriteBackCache } from '../../src/blockdev/writeback.js';

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 29 + seed) & 0xff;
  return b;
}

/** A memory device that counts the writes reaching it. */
class Counting extends MemoryBlockDevice {
  writes = 0;
  flushes = 0;
  override write(offset: number, buf: Uint8Array): void {
    this.writes++;
    super.write(offset, buf);
  }
  override flush(): void {
    this.flushes++;
  }
}

test('sequential writes reach the backend as one write at flush', (t) => {
  const dev = new Counting(1 << 22);
  const c = new WriteBackCache(dev, 1 << 16);
  const data = pattern(16 * 4096, 3);
  for (let i = 0; i < 16; i++) c.write(8192 + i * 4096, data.subarray(i * 4096, (i + 1) * 4096));
  t.is(dev.writes, 0);
  t.is(c.pending, data.length);
  c.flush();
  t.is(dev.writes, 1);
  t.is(dev.flushes, 1);
  const back = new Uint8Array(data.length);
  dev.read(8192, back);
  t.deepEqual(back, data);
});

test('a read overlapping held-back data sees it; a broken run is written out first', (t) => {
  const dev = new Counting(1 << 22);
  const c = new WriteBackCache(dev, 1 << 16);
  c.write(0, pattern(4096, 1));
  const r = new Uint8Array(100);
  c.read(4000, r);
  t.deepEqual(r.subarray(0, 96), pattern(4096, 1).subarray(4000));
  t.is(c.pending, 0);
  c.write(65536, pattern(512, 2));
  c.write(0, pattern(512, 3)); // not adjacent: the first run goes out
  t.is(dev.writes, 2);
  const b = new Uint8Array(512);
  c.flush();
  dev.read(0, b);
  t.deepEqual(b, pattern(512, 3));
  c.close();
  t.is(dev.writes, 3);
});

test('writes larger than the cache go straight through', (t) => {
  const dev = new Counting(1 << 22);
  const c = new WriteBackCache(dev, 4096);
  c.write(0, pattern(8192, 5));
  t.is(dev.writes, 1);
  t.is(c.pending, 0);
});
