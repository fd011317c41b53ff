// A connection to a published port that arrives while the kernel is being
// restored from its snapshot (the NAT listens before the kernel is made):
// its SYN waits in the NAT's queue before the kernel has attached to the
// link, and a restored eth0 is up already (no open to look at the link), so
// the kernel must see those frames when it attaches; otherwise no later frame
// ever reached the guest (the link tells only when its queue stops being
// empty). In-process, the restore held back until the NAT has queued that
// SYN: the order the CLI meets now and then under load, made certain.
import test from 'ava';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { bootKernel, type KernelSystem } from '../../src/boot/boot.js';
import { fileSnapshotStore, nodeOrigin } from '../../src/boot/snapshot-store.js';
import { nodeBootHost } from '../../src/boot/system.js';
import type { NetHost } from '../../src/net/host.js';
import { NR } from '../../src/rtos/kernel/unistd.js';
import type { Task } from '../../src/rtos/scheduler.js';
import type { KernelSys } from '../../src/tasks/kernel-sys.js';
import { freePort } from './helpers.js';
import { withKernel } from '../kernel/helpers.js';

const GUEST_PORT = 8080;
const AF_INET = 2, SOCK_STREAM = 1, POLLIN = 1;

/** Data a host connection to port got before it closed ('' for a reset or a close with nothing). */
function exchange(port: number, send: string): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    const s = net.connect(port, '127.0.0.1', () => s.end(send));
    s.on('data', (d) => { data += d.toString(); });
    s.on('error', () => undefined);
    s.on('close', () => resolve(data));
  });
}

/** Boot with this host in a task of a fresh scheduler, run body in that task, power off. */
function withSystem(host: ReturnType<typeof nodeBootHost>, body: (s: KernelSystem, task: Task) => Promise<void>): Promise<void> {
  return withKernel(({ system, task }) => body(system, task), { boot: (o) => bootKernel({ ...o, host }) });
}

test('a connection to a published port during the snapshot\'s restore: the guest answers it, and the next one reaches its listener', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embox-publish-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const hostPort = await freePort();
  const publish = [{ proto: 'tcp' as const, hostIp: '127.0.0.1', hostPort, guestPort: GUEST_PORT }];
  const snapshots: string[] = [];
  const hostFor = (netHost?: NetHost, origin?: () => Promise<{ id: string; timeMs: number }>): ReturnType<typeof nodeBootHost> => {
    const h = nodeBootHost(undefined, false, { publish }, false);
    return {
      ...h,
      origin: origin ?? h.origin,
      net: { host: netHost ?? h.net!.host, publish },
      snapshots: fileSnapshotStore(dir),
      onSnapshot: (event) => snapshots.push(event),
    };
  };

  // the first start makes the snapshot
  await withSystem(hostFor(), async () => undefined);
  t.is(snapshots.length, 1);
  t.regex(snapshots[0]!, /^snapshot made/);

  // the next restores it, once the NAT has queued a host connection's SYN (the kernel is made
  // after the snapshot is found, which takes the origin of what the system is made of)
  const inner = nodeBootHost(undefined, false, { publish }, false).net!.host;
  let queued!: () => void;
  const synQueued = new Promise<void>((r) => { queued = r; });
  let early: Promise<string> | undefined;
  const netHost: NetHost = {
    connectTcp: (ip, port, events) => inner.connectTcp(ip, port, events),
    bindUdp: (ip, port, receive) => inner.bindUdp(ip, port, receive),
    openUdp: (receive) => inner.openUdp(receive),
    resolve4: (name) => inner.resolve4(name),
    listenTcp: async (ip, port, accept) => {
      const l = await inner.listenTcp(ip, port, (s, peerIp, peerPort) => {
        accept(s, peerIp, peerPort); // the NAT queues its SYN for the guest here
        queued();
      });
      early ??= exchange(hostPort, 'early\n');
      return l;
    },
  };
  await withSystem(hostFor(netHost, () => synQueued.then(nodeOrigin)), async (system, task) => {
    t.is(snapshots[1], 'snapshot restored');
    const sys = system.sys(task) as KernelSys;
    // nobody listened when that SYN came: the guest's kernel resets it
    t.is(await task.waitFor(early!), '');
    const fd = await sys.syscall(NR.socket, AF_INET, SOCK_STREAM, 0);
    t.true(fd >= 0, `socket: ${fd}`);
    const sa = new Uint8Array(16);
    sa[0] = AF_INET;
    sa[2] = GUEST_PORT >> 8;
    sa[3] = GUEST_PORT & 255;
    t.is(await sys.call(NR.bind, fd, sa, 16), 0);
    t.is(await sys.syscall(NR.listen, fd, 1), 0);
    const reply = exchange(hostPort, 'hello-from-host\n');
    // (bounded by the kernel's clock: a connection that never reaches the guest fails here)
    const pfd = new Uint8Array(8);
    new DataView(pfd.buffer).setInt32(0, fd, true);
    pfd[4] = POLLIN;
    const ts = new Uint8Array(16);
    new DataView(ts.buffer).setBigInt64(0, 30n, true);
    const ready = await sys.call(NR.ppoll_time64, pfd, 1, ts, 0, 0);
    t.is(ready, 1, `the connection never reached the guest's listener; frames waiting for the guest: ${system.nat?.pending}`);
    if (ready !== 1) return;
    const c = await sys.syscall(NR.accept, fd, 0, 0);
    t.true(c >= 0, `accept: ${c}`);
    const out = new TextEncoder().encode('hello-from-guest\n');
    t.is(await sys.call(NR.write, c, out, out.length), out.length);
    const buf = new Uint8Array(64);
    let got = '';
    while (!got.endsWith('\n')) {
      const n = await sys.call(NR.read, c, buf, buf.length);
      if (n <= 0) break;
      got += new TextDecoder().decode(buf.subarray(0, n));
    }
    t.is(got, 'hello-from-host\n');
    t.is(await sys.syscall(NR.close, c), 0);
    t.is(await task.waitFor(reply), 'hello-from-guest\n');
    t.is(await sys.syscall(NR.close, fd), 0);
  });
});
