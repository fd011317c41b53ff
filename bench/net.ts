// TCP through user networking: 64 MiB from a host server to a guest's
// busybox wget (through 10.0.2.2), and 64 MiB from the guest to a host sink
// twice: busybox's dd | nc (nc moves 1 KiB a system call) and netprobe send
// (64 KiB writes). Beside them the same i386 programs do the same natively
// and under qemu-i386 against the same servers on 127.0.0.1: two host
// processes.
// MiB/s are the servers' (request to the client's close; connection to the
// sender's end), so embox's boot is not counted; peak RSS is GNU time's of
// each whole client process (the embox row: both transfers and the boot).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUSYBOX = path.join(ROOT, 'rootfs/bin/busybox');
const NETPROBE = path.join(ROOT, 'rootfs/bin/netprobe');
const EMBOX = path.join(ROOT, 'bin/embox.cjs');
const TIME = '/usr/bin/time';
const MiB = 1 << 20;
const BYTES = Number(process.env.BENCH_NET_MIB ?? 64) * MiB;

interface Servers {
  http: number;
  sink: number;
  /** Seconds of the last transfer each way. */
  down: number[];
  up: number[];
  close(): void;
}

async function servers(): Promise<Servers> {
  const blob = Buffer.alloc(BYTES, 0x5a);
  const s: Servers = { http: 0, sink: 0, down: [], up: [], close: () => undefined };
  const web = http.createServer((req, res) => {
    const t0 = performance.now();
    req.socket.once('close', () => s.down.push((performance.now() - t0) / 1000));
    res.setHeader('content-length', BYTES);
    res.end(blob);
  });
  const sink = net.createServer((sock) => {
    const t0 = performance.now();
    let n = 0;
    sock.on('data', (d) => { n += d.length; });
    sock.on('end', () => {
      if (n === BYTES) s.up.push((performance.now() - t0) / 1000);
      sock.end();
    });
  });
  const listen = (srv: net.Server): Promise<number> =>
    new Promise((r) => srv.listen(0, '127.0.0.1', () => r((srv.address() as net.AddressInfo).port)));
  s.http = await listen(web);
  s.sink = await listen(sink);
  s.close = () => { web.close(); sink.close(); };
  return s;
}

/** Run a command (without blocking the servers); resolves with its status and GNU time's peak RSS in MiB. */
function run(cmd: string, args: string[]): Promise<{ ok: boolean; rss: number | null }> {
  const wrap = fs.existsSync(TIME);
  const rssFile = path.join(os.tmpdir(), `embox-bench-net-${process.pid}`);
  const [c, a] = wrap ? [TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve) => {
    const child = spawn(c, a, { stdio: 'ignore' });
    child.on('error', () => resolve({ ok: false, rss: null }));
    child.on('close', (status) => {
      let rss: number | null = null;
      try {
        const kib = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').at(-1));
        rss = kib > 0 ? kib / 1024 : null;
      } catch {
        // no figure
      }
      fs.rmSync(rssFile, { force: true });
      resolve({ ok: status === 0, rss });
    });
  });
}

interface Figures { down: number | null; up: number | null; bulk: number | null; rss: number | null }

/** Best MiB/s each way of `runs` runs of a client, and its peak RSS. */
async function measure(s: Servers, runs: number, client: (ip: string) => [string, string[]], ip: string): Promise<Figures> {
  const f: Figures = { down: null, up: null, bulk: null, rss: null };
  const best = (a: number | null, secs: number): number => Math.max(a ?? 0, BYTES / MiB / secs);
  for (let i = 0; i < runs; i++) {
    s.down = [];
    s.up = [];
    const [cmd, args] = client(ip);
    const r = await run(cmd, args);
    if (!r.ok || s.down.length !== 1 || s.up.length !== 2) return { down: null, up: null, bulk: null, rss: null };
    f.down = best(f.down, s.down[0]!);
    f.up = best(f.up, s.up[0]!);
    f.bulk = best(f.bulk, s.up[1]!);
    f.rss = Math.max(f.rss ?? 0, r.rss ?? 0) || null;
  }
  return f;
}

export async function bench(): Promise<BenchRow[]> {
  const s = await servers();
  const script = (ip: string, bb: string, np: string): string =>
    `${bb} wget -q -O /dev/null http://${ip}:${s.http}/ && ${bb} dd if=/dev/zero bs=64k count=${BYTES / 65536} 2>/dev/null | ${bb} nc ${ip} ${s.sink}`
    + ` && ${np} send ${ip} ${s.sink} ${BYTES / MiB}`;
  try {
    const product = await measure(s, 2, (ip) => [process.execPath, [EMBOX, '-c', `load_app sh -c '${script(ip, 'busybox', 'netprobe')}'`]], '10.0.2.2');
    const native = await measure(s, 3, (ip) => ['/bin/sh', ['-c', script(ip, BUSYBOX, NETPROBE)]], '127.0.0.1');
    const qemu = await measure(s, 3, (ip) => ['/bin/sh', ['-c', script(ip, `qemu-i386 ${BUSYBOX}`, `qemu-i386 ${NETPROBE}`)]], '127.0.0.1');
    const mib = BYTES / MiB;
    return [
      { name: `TCP host -> guest wget (${mib} MiB)`, unit: 'MiB/s', product: product.down, native: native.down, qemu: qemu.down,
        rss: { product: product.rss, native: native.rss, qemu: qemu.rss } },
      { name: `TCP guest dd | nc -> host (${mib} MiB)`, unit: 'MiB/s', product: product.up, native: native.up, qemu: qemu.up,
        note: 'busybox nc writes 1 KiB per system call; RSS on the first row: the three transfers in one run' },
      { name: `TCP guest netprobe send -> host (${mib} MiB)`, unit: 'MiB/s', product: product.bulk, native: native.bulk, qemu: qemu.bulk,
        note: 'native and qemu: the same i386 programs to 127.0.0.1, two host processes' },
    ];
  } finally {
    s.close();
  }
}
