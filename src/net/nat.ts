// The user-mode NAT: the host end of the guest's Ethernet link. It answers
// ARP and ICMP echo for the gateway, serves DNS at 10.0.2.3 through the
// host's resolver, and terminates the guest's TCP connections and UDP flows
// on host sockets (NetHost): 10.0.2.2 stands for the host's 127.0.0.1, other
// addresses are reached as they are. Published ports bring host connections
// and datagrams in to the guest. No Node APIs: the host is an interface.
//
// Frames from the guest are handled at once (send); frames for the guest
// wait in a queue the kernel's driver empties (peek/take), and onFrames
// tells it there are some. Malformed frames are counted and dropped.
import createDebug from 'debug';
import { DNS, GATEWAY, GUEST, HOST_LOOPBACK, NET, NETMASK, NETWORK } from './config.js';
import { answer, parseQuery, RCODE, TYPE_A } from './dns.js';
import type { NetHost, TcpListener, TcpStream, UdpSocket } from './host.js';
import type { EthernetLink } from './link.js';
import {
  ETH_HLEN, ETH_P_ARP, ETH_P_IP, PROTO_ICMP, PROTO_TCP, PROTO_UDP, RST, ACK, SYN, UDP_HLEN,
  csumAdd, csumFinish, describeFrame, ip4, ip4Frame, ip4Text, parseIp4, parseTcp, tcpFrame, udpFrame, type Ip4,
} from './packet.js';
import { TcpConn, type TcpOwner } from './tcp.js';

const debug = createDebug('net:nat');
/** every frame each way, and whether the kernel was told of frames waiting */
const frames = createDebug('net:frames');

/** A published port: host ip:port forwarded to the guest's port. */
export interface Publish {
  proto: 'tcp' | 'udp';
  hostIp: string;
  hostPort: number;
  guestPort: number;
}

export interface NatOptions {
  host: NetHost;
  publish?: Publish[];
  /** Most TCP connections at once (more are refused with a reset). */
  maxTcp?: number;
  /** Most UDP flows at once (guest ports with a host socket). */
  maxUdp?: number;
}

/**
 * Bytes of datagrams (UDP, ICMP, ARP) that may wait for the guest; more are
 * dropped, as a full NIC ring drops them, so a host flooding a published UDP
 * port while the guest takes nothing (eth0 down, say) costs bounded memory.
 * TCP needs no such bound: it never sends past the guest's window.
 */
const DATAGRAM_QUEUE = 4 << 20;
/** DNS questions waiting for the host's resolver; more get SERVFAIL at once. */
const DNS_PENDING = 64;
/** UDP flows unused this long are closed. */
const UDP_IDLE_MS = 60_000;
/** Ports on the gateway's side for connections and datagrams coming in through published ports. */
const NAT_PORT_MIN = 32768, NAT_PORT_MAX = 60999;

/** A frame other than an IPv4 TCP segment. */
const datagram = (f: Uint8Array): boolean => f[12] !== ETH_P_IP >> 8 || f[13] !== (ETH_P_IP & 255) || f[ETH_HLEN + 9] !== PROTO_TCP;

interface UdpFlow {
  sock: UdpSocket;
  used: number;
}

/** A host peer of a published UDP port, seen by the guest at 10.0.2.2:natPort. */
interface UdpPeer {
  sock: UdpSocket;
  ip: string;
  port: number;
  guestPort: number;
  used: number;
}

export class Nat implements EthernetLink, TcpOwner {
  readonly mac = NET.guestMac;
  /** The guest's MAC as its frames show it. */
  private guestMac: Uint8Array = NET.guestMac;
  private readonly gwMac = NET.gatewayMac;
  /** Frames for the guest, oldest first (from head on). */
  private queue: Uint8Array[] = [];
  private head = 0;
  /** Bytes of datagrams in the queue (see DATAGRAM_QUEUE). */
  private datagramBytes = 0;
  private dnsPending = 0;
  /** Connections owed a pure ACK (sent when the driver next looks at the queue). */
  private readonly acks = new Set<TcpConn>();
  private readonly tcp = new Map<string, TcpConn>();
  private readonly udp = new Map<number, UdpFlow>();
  private readonly udpPeers = new Map<number, UdpPeer>();
  private readonly udpPeerByAddr = new Map<string, number>();
  private readonly listeners: TcpListener[] = [];
  private readonly udpPublished: UdpSocket[] = [];
  private readonly natPorts = new Set<number>();
  private nextNatPort = NAT_PORT_MIN;
  private sweep: ReturnType<typeof setInterval> | undefined;
  private shut = false;
  /** Told that frames are waiting for the guest. */
  onFrames: (() => void) | undefined;
  /** Frames each way; dropped: malformed or not ours; errors: frames that hit a bug here (0). */
  readonly stats = { framesIn: 0, framesOut: 0, dropped: 0, errors: 0, tcpOpened: 0, tcpRefused: 0 };
  private readonly maxTcp: number;
  private readonly maxUdp: number;

  constructor(private readonly opts: NatOptions) {
    this.maxTcp = opts.maxTcp ?? 1024;
    this.maxUdp = opts.maxUdp ?? 256;
  }

  /** Open the published ports; rejects when one cannot be (its address in the message). */
  async start(): Promise<void> {
    try {
      for (const p of this.opts.publish ?? []) {
        if (p.proto === 'tcp') {
          this.listeners.push(await this.opts.host.listenTcp(p.hostIp, p.hostPort, this.guard((s, ip, port) => this.inbound(p, s, ip, port))));
        } else {
          const sock = await this.opts.host.bindUdp(p.hostIp, p.hostPort, this.guard((data, ip, port) => this.inboundUdp(p, sock, data, ip, port)));
          this.udpPublished.push(sock);
        }
        debug('published %s %s:%d -> guest port %d', p.proto, p.hostIp, p.hostPort, p.guestPort);
      }
    } catch (e) {
      this.close();
      throw e;
    }
    this.sweep = setInterval(() => this.sweepUdp(), UDP_IDLE_MS / 2);
    (this.sweep as { unref?(): void }).unref?.();
  }

  /** Close every socket and listener. */
  close(): void {
    if (this.shut) return;
    this.shut = true;
    if (this.sweep) clearInterval(this.sweep);
    for (const l of this.listeners.splice(0)) l.close();
    for (const s of this.udpPublished.splice(0)) s.close();
    for (const c of [...this.tcp.values()]) c.abort();
    for (const f of this.udp.values()) f.sock.close();
    this.udp.clear();
    this.udpPeers.clear();
    this.queue = [];
    this.head = 0;
    this.datagramBytes = 0;
  }

  // --- the link: the kernel's driver -----------------------------------------

  /** A frame from the guest (a view of the kernel's memory, valid during the call). */
  send(frame: Uint8Array): void {
    if (frames.enabled) frames('from the guest: %s', describeFrame(frame));
    if (this.shut) return;
    this.stats.framesIn++;
    try {
      if (!this.frame(frame)) this.stats.dropped++;
    } catch (e) {
      // a bug here must not take the host down with it
      this.stats.errors++;
      debug('frame dropped: %s', e instanceof Error ? e.stack : e);
    }
  }

  /**
   * f as a handler of host events (socket data, datagrams, answers, timers):
   * an error, which would be a bug here, is counted and logged instead of
   * reaching the event loop and ending the process.
   */
  readonly guard = <A extends unknown[]>(f: (...a: A) => void): ((...a: A) => void) => (...a: A) => {
    try {
      f(...a);
    } catch (e) {
      this.stats.errors++;
      debug('host event dropped: %s', e instanceof Error ? e.stack : e);
    }
  };

  /** The length of the next frame for the guest, 0 when none. */
  peek(): number {
    if (this.head === this.queue.length) this.flushAcks();
    return this.head < this.queue.length ? this.queue[this.head].length : 0;
  }

  /** Take the next frame for the guest. */
  take(): Uint8Array | undefined {
    if (this.head === this.queue.length) this.flushAcks();
    if (this.head === this.queue.length) return undefined;
    const f = this.queue[this.head++];
    if (frames.enabled) frames('taken by the guest: %s', describeFrame(f));
    if (datagram(f)) this.datagramBytes -= f.length;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      // a queue that never empties must not keep the frames taken
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return f;
  }

  /** Frames waiting for the guest. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  private toGuest(frame: Uint8Array): void {
    if (this.shut) return;
    if (datagram(frame)) {
      if (this.datagramBytes + frame.length > DATAGRAM_QUEUE) {
        this.stats.dropped++;
        return;
      }
      this.datagramBytes += frame.length;
    }
    this.queue.push(frame);
    this.stats.framesOut++;
    const first = this.queue.length - this.head === 1;
    if (frames.enabled) frames('for the guest (%d waiting%s): %s', this.queue.length - this.head, first && !this.onFrames ? ', no kernel to tell' : '', describeFrame(frame));
    if (first) this.onFrames?.();
  }

  private flushAcks(): void {
    for (const c of this.acks) c.sendAck();
    this.acks.clear();
  }

  private frame(f: Uint8Array): boolean {
    if (f.length < ETH_HLEN) return false;
    const type = (f[12] << 8) | f[13];
    const payload = f.subarray(ETH_HLEN);
    if (type === ETH_P_ARP) return this.arp(f, payload);
    if (type !== ETH_P_IP) return false; // IPv6 and the rest: not routed
    const ip = parseIp4(payload);
    if (!ip || ip.src !== GUEST) return false;
    this.guestMac = f.slice(6, 12);
    switch (ip.proto) {
      case PROTO_ICMP: return this.icmp(ip);
      case PROTO_UDP: return this.udpIn(ip);
      case PROTO_TCP: return this.tcpIn(ip);
      default: return false;
    }
  }

  // --- ARP: the gateway and DNS addresses are ours ------------------------------

  private arp(f: Uint8Array, p: Uint8Array): boolean {
    if (p.length < 28) return false;
    const dv = new DataView(p.buffer, p.byteOffset, 28);
    // Ethernet/IPv4 request
    if (dv.getUint16(0) !== 1 || dv.getUint16(2) !== ETH_P_IP || p[4] !== 6 || p[5] !== 4 || dv.getUint16(6) !== 1) return false;
    const target = dv.getUint32(24);
    if (target !== GATEWAY && target !== DNS) return true;
    const out = new Uint8Array(ETH_HLEN + 28);
    out.set(f.subarray(6, 12), 0);
    out.set(this.gwMac, 6);
    out[12] = ETH_P_ARP >> 8;
    out[13] = ETH_P_ARP & 255;
    const r = new DataView(out.buffer, ETH_HLEN);
    r.setUint16(0, 1);
    r.setUint16(2, ETH_P_IP);
    out[ETH_HLEN + 4] = 6;
    out[ETH_HLEN + 5] = 4;
    r.setUint16(6, 2); // reply
    out.set(this.gwMac, ETH_HLEN + 8);
    r.setUint32(14, target);
    out.set(p.subarray(8, 18), ETH_HLEN + 18); // the asker's MAC and address
    this.toGuest(out);
    return true;
  }

  // --- ICMP: echo from the gateway and the DNS address ------------------------

  private icmp(ip: Ip4): boolean {
    const p = ip.payload;
    if (p.length < 8 || p[0] !== 8 || (ip.dst !== GATEWAY && ip.dst !== DNS)) return false;
    const { frame, l4 } = ip4Frame(this.guestMac, this.gwMac, ip.dst, ip.src, PROTO_ICMP, p.length);
    frame.set(p, l4);
    frame[l4] = 0; // echo reply, same id, sequence and data
    frame[l4 + 2] = frame[l4 + 3] = 0;
    const c = csumFinish(csumAdd(frame.subarray(l4)));
    frame[l4 + 2] = c >> 8;
    frame[l4 + 3] = c & 255;
    this.toGuest(frame);
    return true;
  }

  /** Destination unreachable (code 0: network, 1: host, 3: port) for a packet the NAT cannot carry. */
  private icmpUnreachable(ip: Ip4, code: number): void {
    this.unreachableQuoting(ip.packet.subarray(0, Math.min(ip.packet.length, ((ip.packet[0] & 15) * 4) + 8)), code);
  }

  private unreachableQuoting(quote: Uint8Array, code: number): void {
    const { frame, l4 } = ip4Frame(this.guestMac, this.gwMac, GATEWAY, GUEST, PROTO_ICMP, 8 + quote.length);
    frame[l4] = 3;
    frame[l4 + 1] = code;
    frame.set(quote, l4 + 8);
    const c = csumFinish(csumAdd(frame.subarray(l4)));
    frame[l4 + 2] = c >> 8;
    frame[l4 + 3] = c & 255;
    this.toGuest(frame);
  }

  /** The host address the guest's destination stands for; undefined for none. */
  private hostAddr(dst: number): string | undefined {
    if (dst === GATEWAY) return HOST_LOOPBACK;
    if (((dst & NETMASK) >>> 0) === NETWORK) return undefined; // the rest of 10.0.2.0/24 is nobody
    if (dst >>> 24 === 127 || dst >>> 28 >= 14 || dst === 0) return undefined; // loopback, multicast, broadcast
    return ip4Text(dst);
  }

  /** The address the guest sees for a host source. */
  private guestView(ip: string): number | undefined {
    if (ip.startsWith('::ffff:')) ip = ip.slice(7);
    if (ip === HOST_LOOPBACK || ip.startsWith('127.')) return GATEWAY;
    try {
      return ip4(ip);
    } catch {
      return undefined;
    }
  }

  // --- UDP --------------------------------------------------------------------

  private udpIn(ip: Ip4): boolean {
    const p = ip.payload;
    if (p.length < UDP_HLEN) return false;
    const dv = new DataView(p.buffer, p.byteOffset, p.length);
    const sport = dv.getUint16(0), dport = dv.getUint16(2), len = dv.getUint16(4);
    if (len < UDP_HLEN || len > p.length) return false;
    const data = p.slice(UDP_HLEN, len); // a copy: p is the kernel's memory
    if (ip.dst === DNS) {
      if (dport === 53) this.dns(sport, data);
      else this.icmpUnreachable(ip, 3);
      return true;
    }
    if (ip.dst === GATEWAY) {
      const peer = this.udpPeers.get(dport);
      if (peer && peer.guestPort === sport) {
        peer.used = Date.now();
        peer.sock.send(data, peer.ip, peer.port);
        return true;
      }
    }
    const to = this.hostAddr(ip.dst);
    if (!to) {
      this.icmpUnreachable(ip, 1);
      return true;
    }
    let flow = this.udp.get(sport);
    if (!flow) {
      if (this.udp.size >= this.maxUdp) this.evictUdp();
      const sock = this.opts.host.openUdp(this.guard((d, fromIp, fromPort) => this.udpReply(sport, d, fromIp, fromPort)));
      flow = { sock, used: 0 };
      this.udp.set(sport, flow);
      debug('udp flow from guest port %d opened', sport);
    }
    flow.used = Date.now();
    flow.sock.send(data, to, dport);
    return true;
  }

  private udpReply(guestPort: number, data: Uint8Array, fromIp: string, fromPort: number): void {
    const src = this.guestView(fromIp);
    const flow = this.udp.get(guestPort);
    if (src === undefined || !flow) return;
    flow.used = Date.now();
    this.toGuest(udpFrame(this.guestMac, this.gwMac, src, fromPort, GUEST, guestPort, data));
  }

  private evictUdp(): void {
    let oldest: number | undefined, t = Infinity;
    for (const [port, f] of this.udp) if (f.used < t) { t = f.used; oldest = port; }
    if (oldest !== undefined) {
      this.udp.get(oldest)!.sock.close();
      this.udp.delete(oldest);
    }
  }

  private sweepUdp(): void {
    const old = Date.now() - UDP_IDLE_MS;
    for (const [port, f] of this.udp) {
      if (f.used < old) {
        f.sock.close();
        this.udp.delete(port);
        debug('udp flow from guest port %d closed (idle)', port);
      }
    }
    for (const [port, p] of this.udpPeers) {
      if (p.used < old) {
        this.udpPeers.delete(port);
        this.udpPeerByAddr.delete(`${p.ip}:${p.port}:${p.guestPort}`);
        this.natPorts.delete(port);
      }
    }
  }

  /** A datagram to a published UDP port: to the guest from 10.0.2.2 and a port standing for the peer. */
  private inboundUdp(p: Publish, sock: UdpSocket, data: Uint8Array, ip: string, port: number): void {
    const key = `${ip}:${port}:${p.guestPort}`;
    let natPort = this.udpPeerByAddr.get(key);
    if (natPort === undefined) {
      if (this.udpPeers.size >= this.maxUdp) return;
      natPort = this.natPort();
      if (natPort === undefined) return;
      this.udpPeerByAddr.set(key, natPort);
      this.udpPeers.set(natPort, { sock, ip, port, guestPort: p.guestPort, used: 0 });
    }
    this.udpPeers.get(natPort)!.used = Date.now();
    this.toGuest(udpFrame(this.guestMac, this.gwMac, GATEWAY, natPort, GUEST, p.guestPort, data));
  }

  private natPort(): number | undefined {
    for (let i = 0; i <= NAT_PORT_MAX - NAT_PORT_MIN; i++) {
      const p = this.nextNatPort;
      this.nextNatPort = p === NAT_PORT_MAX ? NAT_PORT_MIN : p + 1;
      if (!this.natPorts.has(p)) {
        this.natPorts.add(p);
        return p;
      }
    }
    return undefined;
  }

  // --- DNS ----------------------------------------------------------------------

  private dns(guestPort: number, msg: Uint8Array): void {
    const q = parseQuery(msg);
    if (!q) return;
    const reply = (r: Uint8Array): void => this.toGuest(udpFrame(this.guestMac, this.gwMac, DNS, 53, GUEST, guestPort, r));
    if ((q.flags & 0x7800) !== 0) return reply(answer(q, RCODE.NOTIMP));
    if (q.type !== TYPE_A) return reply(answer(q, RCODE.NOERROR)); // no other records here (AAAA: none)
    if (this.dnsPending >= DNS_PENDING) return reply(answer(q, RCODE.SERVFAIL));
    this.dnsPending++;
    this.opts.host.resolve4(q.name).finally(() => this.dnsPending--).then(
      this.guard((addrs: string[]) => {
        debug('dns %s: %s', q.name, addrs.join(' ') || 'no address');
        // at most 16 (a plain DNS answer over UDP stays within 512 bytes)
        reply(answer(q, RCODE.NOERROR, addrs.map((a) => this.guestView(a)).filter((a) => a !== undefined).slice(0, 16)));
      }),
      this.guard((e: { code?: string }) => {
        debug('dns %s: %s', q.name, e?.code ?? e);
        // no such name; a name without IPv4 addresses; the resolver failed
        reply(answer(q, e?.code === 'ENOTFOUND' ? RCODE.NXDOMAIN : e?.code === 'ENODATA' ? RCODE.NOERROR : RCODE.SERVFAIL));
      }),
    );
  }

  // --- TCP ----------------------------------------------------------------------

  private tcpIn(ip: Ip4): boolean {
    const seg = parseTcp(ip.payload);
    if (!seg) return false;
    const key = `${seg.sport}:${ip4Text(ip.dst)}:${seg.dport}`;
    const c = this.tcp.get(key);
    if (c) {
      c.segment(seg);
      return true;
    }
    if ((seg.flags & (SYN | ACK | RST)) !== SYN) {
      // nothing of ours: reset it (unless it is a reset)
      if (!(seg.flags & RST)) this.reset(ip, seg.sport, seg.dport, seg.flags & ACK ? seg.ack : 0, (seg.seq + seg.data.length + 1) >>> 0, !(seg.flags & ACK));
      return true;
    }
    const to = ip.dst === DNS ? undefined : this.hostAddr(ip.dst);
    if (!to || this.tcp.size >= this.maxTcp) {
      this.stats.tcpRefused++;
      this.reset(ip, seg.sport, seg.dport, 0, (seg.seq + 1) >>> 0, true);
      return true;
    }
    const conn = new TcpConn(this, key, seg.sport, ip.dst, seg.dport, false);
    conn.guestSyn(seg);
    this.tcp.set(key, conn);
    this.stats.tcpOpened++;
    debug('tcp %s: guest port %d -> %s:%d connecting', key, seg.sport, to, seg.dport);
    conn.attach(this.opts.host.connectTcp(to, seg.dport, {}));
    return true;
  }

  private reset(ip: Ip4, sport: number, dport: number, seq: number, ack: number, withAck: boolean): void {
    this.toGuest(tcpFrame(this.guestMac, this.gwMac, ip.dst, ip.src,
      { sport: dport, dport: sport, seq, ack, flags: RST | (withAck ? ACK : 0), window: 0 }));
  }

  /** A host connection to a published port: a SYN to the guest from 10.0.2.2. */
  private inbound(p: Publish, s: TcpStream, peerIp: string, peerPort: number): void {
    const natPort = this.tcp.size < this.maxTcp ? this.natPort() : undefined;
    if (natPort === undefined) {
      s.destroy();
      return;
    }
    const key = `${p.guestPort}:${NET.gateway}:${natPort}`;
    const conn = new TcpConn(this, key, p.guestPort, GATEWAY, natPort, true);
    this.tcp.set(key, conn);
    this.stats.tcpOpened++;
    debug('tcp %s: %s:%d -> guest port %d', key, peerIp, peerPort, p.guestPort);
    s.pause();
    conn.attach(s);
    conn.sendSynToGuest();
  }

  // --- TcpOwner -----------------------------------------------------------------

  emit(c: TcpConn, flags: number, seq: number, ack: number, window: number, data?: Uint8Array, syn?: { mss: number; wscale?: number }): void {
    this.acks.delete(c); // this segment carries the ACK
    this.toGuest(tcpFrame(this.guestMac, this.gwMac, c.remoteIp, GUEST,
      { sport: c.remotePort, dport: c.guestPort, seq, ack, flags, window, mss: syn?.mss, wscale: syn?.wscale }, data));
  }

  unreachable(c: TcpConn, code: number): void {
    // what the guest sent, as far as the error quotes it: its SYN's IP header and first 8 bytes
    const { frame, l4 } = ip4Frame(this.guestMac, this.gwMac, GUEST, c.remoteIp, PROTO_TCP, 8);
    const dv = new DataView(frame.buffer);
    dv.setUint16(l4, c.guestPort);
    dv.setUint16(l4 + 2, c.remotePort);
    dv.setUint32(l4 + 4, (c.rcvNxt - 1) >>> 0);
    this.unreachableQuoting(frame.subarray(ETH_HLEN), code);
  }

  ackSoon(c: TcpConn): void {
    this.acks.add(c);
    if (this.pending === 0) this.onFrames?.();
  }

  closed(c: TcpConn, why: string): void {
    this.acks.delete(c);
    if (this.tcp.get(c.key) === c) this.tcp.delete(c.key);
    if (c.inbound) this.natPorts.delete(c.remotePort);
    debug('tcp %s closed (%s): %d bytes to the host, %d to the guest', c.key, why, c.toHost, c.toGuest);
  }

  /** Open TCP connections (for tests and the debug log). */
  get tcpCount(): number {
    return this.tcp.size;
  }
}
