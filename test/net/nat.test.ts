// The NAT on its own, against a fake host: what a hostile or broken guest
// can send (malformed frames, a flood of connections) and the TCP endpoint's
// sequence numbers, windows and closes, frame by frame.
import test from 'ava';
import { Nat } from '../../src/net/nat.js';
import { GATEWAY, GUEST, NET } from '../../src/net/config.js';
import type { NetHost, TcpEvents, TcpStream, UdpReceive, UdpSocket } from '../../src/net/host.js';
import {
  ACK, ETH_HLEN, FIN, IP_HLEN, PROTO_ICMP, RST, SYN, csumAdd, ip4Frame, parseIp4, parseTcp, tcpFrame, udpFrame, type TcpSeg,
} from '../../src/net/packet.js';

interface FakeStream extends TcpStream {
  written: Uint8Array[];
  ended: boolean;
  destroyed: boolean;
  paused: boolean;
}

class FakeHost implements NetHost {
  streams: Array<{ ip: string; port: number; s: FakeStream }> = [];
  buffered = 0;
  connectTcp(ip: string, port: number, events: TcpEvents): TcpStream {
    const host = this;
    const s: FakeStream = {
      events, written: [], ended: false, destroyed: false, paused: false,
      write(d) { this.written.push(d); host.buffered += d.length; return true; },
      get buffered() { return host.buffered; },
      end() { this.ended = true; },
      destroy() { this.destroyed = true; },
      pause() { this.paused = true; },
      resume() { this.paused = false; },
    };
    this.streams.push({ ip, port, s });
    return s;
  }
  listenTcp(): Promise<never> { return Promise.reject(new Error('no')); }
  bindUdp(): Promise<never> { return Promise.reject(new Error('no')); }
  sent: Array<[string, number, Uint8Array]> = [];
  udpOpen = 0;
  receivers: UdpReceive[] = [];
  openUdp(receive: UdpReceive): UdpSocket {
    this.udpOpen++;
    this.receivers.push(receive);
    let open = true;
    return { send: (d, ip, port) => this.sent.push([ip, port, d]), close: () => { if (open) this.udpOpen--; open = false; } };
  }
  resolving = 0;
  resolve4(): Promise<string[]> {
    this.resolving++;
    return new Promise(() => undefined); // a resolver that never answers
  }
}

const gw = NET.gatewayMac, me = NET.guestMac;

/** A guest TCP segment to 10.0.2.2. */
const seg = (sport: number, dport: number, seq: number, ack: number, flags: number, data?: Uint8Array, window = 65535): Uint8Array =>
  tcpFrame(gw, me, GUEST, GATEWAY, { sport, dport, seq, ack, flags, window, mss: 1460, wscale: 0 }, data);

/** Every frame the NAT has for the guest, as TCP segments (others skipped). */
function drain(nat: Nat): TcpSeg[] {
  const out: TcpSeg[] = [];
  for (let f = nat.take(); f; f = nat.take()) {
    const ip = parseIp4(f.subarray(ETH_HLEN));
    const t = ip && ip.proto === 6 ? parseTcp(ip.payload) : undefined;
    if (t) out.push(t);
  }
  return out;
}

test('ARP for the gateway and ping of the gateway are answered; checksums hold', (t) => {
  const nat = new Nat({ host: new FakeHost() });
  const arp = new Uint8Array(42);
  arp.fill(0xff, 0, 6); arp.set(me, 6); arp[12] = 8; arp[13] = 6;
  arp.set([0, 1, 8, 0, 6, 4, 0, 1], 14); arp.set(me, 22); arp.set([10, 0, 2, 15], 28); arp.set([10, 0, 2, 2], 38);
  nat.send(arp);
  const reply = nat.take()!;
  t.deepEqual([...reply.subarray(0, 6)], [...me]);
  t.deepEqual([...reply.subarray(22, 28)], [...gw]); // the sender's hardware address: the gateway's
  t.deepEqual([...reply.subarray(28, 32)], [10, 0, 2, 2]);
  const { frame, l4 } = ip4Frame(gw, me, GUEST, GATEWAY, PROTO_ICMP, 12);
  frame.set([8, 0, 0, 0, 0x12, 0x34, 0, 1, 1, 2, 3, 4], l4);
  nat.send(frame);
  const pong = nat.take()!;
  const ip = parseIp4(pong.subarray(ETH_HLEN))!;
  t.is(ip.src, GATEWAY);
  t.deepEqual([...ip.payload.subarray(4)], [0x12, 0x34, 0, 1, 1, 2, 3, 4]);
  t.is(csumAdd(ip.payload), 0xffff); // a valid ICMP checksum sums to all ones
  t.is(csumAdd(pong.subarray(ETH_HLEN, ETH_HLEN + IP_HLEN)), 0xffff);
  t.is(nat.stats.errors, 0);
});

test('malformed frames are dropped without harm: every truncation of valid frames, then random bytes', (t) => {
  const nat = new Nat({ host: new FakeHost() });
  const valid = [
    seg(1000, 80, 1, 0, SYN),
    seg(1001, 80, 1, 5, ACK | FIN, new Uint8Array(100)),
    udpFrame(gw, me, GUEST, 1234, GATEWAY, 53, new Uint8Array(30)),
    udpFrame(gw, me, GUEST, 1234, (10 << 24) | (2 << 8) | 3, 53, Uint8Array.of(0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63, 1, 2)),
  ];
  for (const f of valid) {
    for (let n = 0; n <= f.length; n++) nat.send(f.slice(0, n));
    // lengths and offsets that lie
    for (const at of [ETH_HLEN, ETH_HLEN + 2, ETH_HLEN + 3, ETH_HLEN + 20 + 4, ETH_HLEN + 20 + 12]) {
      for (const v of [0, 1, 0x0f, 0x45, 0xff]) {
        const g = f.slice();
        if (at < g.length) g[at] = v;
        nat.send(g);
      }
    }
  }
  let x = 1;
  const rnd = (): number => (x = (x * 1103515245 + 12345) >>> 0) >>> 16;
  for (let i = 0; i < 20000; i++) {
    const f = new Uint8Array(rnd() % 200);
    for (let j = 0; j < f.length; j++) f[j] = rnd() & 255;
    if (f.length > 34 && i % 2) { f[12] = 8; f[13] = 0; f[14] = 0x45; f.set([10, 0, 2, 15], 26); } // IPv4 from the guest, past the first checks
    nat.send(f);
  }
  t.is(nat.stats.errors, 0);
  t.true(nat.stats.dropped > 20000 / 2);
});

test('a flood of connections: at most maxTcp at once, the rest reset; a closed one frees its place', (t) => {
  const host = new FakeHost();
  const nat = new Nat({ host, maxTcp: 100 });
  for (let p = 0; p < 5000; p++) nat.send(seg(10000 + p, 80, 7, 0, SYN));
  t.is(host.streams.length, 100);
  t.is(nat.tcpCount, 100);
  const out = drain(nat);
  t.is(out.filter((s) => s.flags & RST).length, 4900);
  t.true(out.every((s) => (s.flags & RST) !== 0 && s.ack === 8));
  host.streams[0]!.s.events.close?.('ECONNREFUSED');
  t.is(nat.tcpCount, 99);
  nat.send(seg(20000, 80, 7, 0, SYN));
  t.is(host.streams.length, 101);
  t.is(nat.stats.errors, 0);
});

test('TCP: handshake, data both ways within the guest\'s window, half-close from each side', (t) => {
  const host = new FakeHost();
  host.buffered = -1e9; // the host takes what it is given at once
  const nat = new Nat({ host });
  nat.send(seg(4000, 8080, 1000, 0, SYN, undefined, 3000));
  const { ip, port, s } = host.streams[0]!;
  t.deepEqual([ip, port], ['127.0.0.1', 8080]);
  t.deepEqual(drain(nat), []); // nothing until the host connects
  s.events.connect!();
  const [synack] = drain(nat);
  t.is(synack!.flags, SYN | ACK);
  t.is(synack!.ack, 1001);
  t.is(synack!.mss, 1460);
  const iss = synack!.seq;
  nat.send(seg(4000, 8080, 1001, iss + 1, ACK, undefined, 3000));
  // guest -> host: the bytes reach the stream, copied
  nat.send(seg(4000, 8080, 1001, iss + 1, ACK, new TextEncoder().encode('hello'), 3000));
  t.is(new TextDecoder().decode(s.written[0]), 'hello');
  const [ack] = drain(nat);
  t.is(ack!.ack, 1006);
  // a duplicate is not written twice
  nat.send(seg(4000, 8080, 1001, iss + 1, ACK, new TextEncoder().encode('hello'), 3000));
  t.is(s.written.length, 1);
  drain(nat);
  // host -> guest: 5000 bytes, a window of 3000 (segments as large as it allows), the rest once acknowledged
  s.events.data!(new Uint8Array(5000).fill(7));
  let out = drain(nat);
  t.deepEqual(out.map((o) => [o.seq - iss - 1, o.data.length]), [[0, 3000]]);
  nat.send(seg(4000, 8080, 1006, iss + 1 + 1000, ACK, undefined, 3000));
  out = drain(nat);
  t.deepEqual(out.map((o) => [o.seq - iss - 1, o.data.length]), [[3000, 1000]]);
  nat.send(seg(4000, 8080, 1006, iss + 1 + 4000, ACK, undefined, 3000));
  out = drain(nat);
  t.deepEqual(out.map((o) => [o.seq - iss - 1, o.data.length]), [[4000, 1000]]);
  // the host half-closes: FIN after the data; the guest still sends
  s.events.end!();
  out = drain(nat);
  t.is(out.length, 1);
  t.is(out[0]!.flags & FIN, FIN);
  t.is(out[0]!.seq, iss + 1 + 5000);
  nat.send(seg(4000, 8080, 1006, iss + 1 + 5001, ACK, new TextEncoder().encode('more'), 3000));
  t.is(s.written.length, 2);
  t.false(s.ended);
  // the guest half-closes too: the stream is ended and the connection forgotten
  nat.send(seg(4000, 8080, 1010, iss + 1 + 5001, ACK | FIN, undefined, 3000));
  t.true(s.ended);
  t.is(nat.tcpCount, 0);
  t.is(drain(nat).at(-1)!.ack, 1011);
});

test('TCP: the window offered to the guest is what the host stream has room for; data past it is not taken', (t) => {
  const host = new FakeHost();
  const nat = new Nat({ host });
  nat.send(seg(4001, 80, 0, 0, SYN));
  const { s } = host.streams[0]!;
  s.events.connect!();
  const iss = drain(nat)[0]!.seq;
  nat.send(seg(4001, 80, 1, iss + 1, ACK));
  host.buffered = 256 * 1024 - 100; // the host's reader is slow: room for 100 bytes
  nat.send(seg(4001, 80, 1, iss + 1, ACK, new Uint8Array(1000)));
  t.is(s.written[0]!.length, 100);
  const [ack] = drain(nat);
  t.is(ack!.ack, 101);
  t.is(ack!.window, 0);
  // the stream drains: a window update
  host.buffered = 0;
  s.events.drain!();
  const [upd] = drain(nat);
  t.true(upd!.window > 0);
  t.is(upd!.ack, 101);
});

test('a connect the host refuses is a reset; one with no route an ICMP unreachable quoting the guest\'s SYN', (t) => {
  const host = new FakeHost();
  const nat = new Nat({ host });
  nat.send(seg(5000, 81, 99, 0, SYN));
  nat.send(seg(5001, 82, 199, 0, SYN));
  host.streams[0]!.s.events.close!('ECONNREFUSED');
  const [rst] = drain(nat);
  t.is(rst!.flags, RST | ACK);
  t.is(rst!.ack, 100);
  host.streams[1]!.s.events.close!('EHOSTUNREACH');
  const f = nat.take()!;
  const ip = parseIp4(f.subarray(ETH_HLEN))!;
  t.is(ip.proto, PROTO_ICMP);
  t.deepEqual([ip.payload[0], ip.payload[1]], [3, 1]); // destination unreachable: host
  const quoted = parseIp4(ip.payload.subarray(8))!;
  t.is(quoted.src, GUEST);
  const dv = new DataView(quoted.payload.buffer, quoted.payload.byteOffset);
  t.deepEqual([dv.getUint16(0), dv.getUint16(2), dv.getUint32(4)], [5001, 82, 199]);
  t.is(csumAdd(ip.payload), 0xffff);
  t.is(nat.tcpCount, 0);
});

test('UDP floods: at most maxUdp host sockets; datagrams waiting for the guest are bounded; DNS questions to a slow resolver too', (t) => {
  const host = new FakeHost();
  const nat = new Nat({ host, maxUdp: 50 });
  for (let p = 0; p < 1000; p++) nat.send(udpFrame(gw, me, GUEST, 20000 + p, GATEWAY, 7, new Uint8Array(10)));
  t.is(host.udpOpen, 50);
  t.is(host.sent.length, 1000);
  t.deepEqual(host.sent[0]!.slice(0, 2), ['127.0.0.1', 7]);
  // the host answers a flow 10,000 times while the guest takes nothing: at most 4 MiB wait
  const reply = host.receivers.at(-1)!;
  for (let i = 0; i < 10000; i++) reply(new Uint8Array(1024), '127.0.0.1', 7);
  let bytes = 0;
  for (let f = nat.take(); f; f = nat.take()) bytes += f.length;
  t.true(bytes <= 4 << 20 && bytes > 3 << 20, `${bytes} bytes queued`);
  // 100 questions, none answered by the host yet: 64 asked, 36 SERVFAIL at once
  const q = Uint8Array.of(0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 0, 0, 1, 0, 1);
  for (let i = 0; i < 100; i++) nat.send(udpFrame(gw, me, GUEST, 30000 + i, (10 << 24) | (2 << 8) | 3, 53, q));
  t.is(host.resolving, 64);
  let servfail = 0;
  for (let f = nat.take(); f; f = nat.take()) servfail += (f[ETH_HLEN + 20 + 8 + 3]! & 15) === 2 ? 1 : 0;
  t.is(servfail, 36);
  t.is(nat.stats.errors, 0);
});

test('TCP: a shut guest window is probed until the guest opens it', async (t) => {
  const host = new FakeHost();
  host.buffered = -1e9;
  const nat = new Nat({ host });
  nat.send(seg(4002, 80, 0, 0, SYN));
  const { s } = host.streams[0]!;
  s.events.connect!();
  const iss = drain(nat)[0]!.seq;
  nat.send(seg(4002, 80, 1, iss + 1, ACK, undefined, 0)); // established, window 0
  s.events.data!(new Uint8Array(100));
  t.deepEqual(drain(nat), []); // nothing fits
  await new Promise((r) => setTimeout(r, 1200));
  const [probe] = drain(nat);
  t.is(probe!.seq, iss); // one below the window: the guest answers with its window
  t.is(probe!.data.length, 0);
  nat.send(seg(4002, 80, 1, iss + 1, ACK, undefined, 1000));
  const [d] = drain(nat);
  t.is(d!.data.length, 100);
  t.is(d!.seq, iss + 1);
  nat.close();
});

test('an error in handling a host event is counted, not thrown into the event loop', (t) => {
  const host = new FakeHost();
  const nat = new Nat({ host });
  nat.send(seg(4003, 80, 0, 0, SYN));
  const { s } = host.streams[0]!;
  s.events.connect!();
  const iss = drain(nat)[0]!.seq;
  nat.send(seg(4003, 80, 1, iss + 1, ACK, undefined, 1000));
  s.pause = () => { throw new Error('a broken host stream'); };
  t.notThrows(() => s.events.data!(new Uint8Array(300 * 1024))); // enough to pause the stream
  t.is(nat.stats.errors, 1);
  nat.close();
});
