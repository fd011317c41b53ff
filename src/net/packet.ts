// Ethernet, ARP, IPv4, ICMP, UDP and TCP as the NAT reads and writes them:
// offsets, the Internet checksum, and builders for the frames it sends. No
// Node APIs.

export const ETH_HLEN = 14;
export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const IP_HLEN = 20;
export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const UDP_HLEN = 8;

/** TCP flags. */
export const FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;

/** An IPv4 address as a 32-bit unsigned number, from dotted text. */
export function ip4(text: string): number {
  const p = text.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) throw new Error(`not an IPv4 address: ${text}`);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}

export function ip4Text(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** Ones'-complement sum of b (16-bit big-endian words), folded, added to `sum`. */
export function csumAdd(b: Uint8Array, sum = 0): number {
  const n = b.length & ~1;
  for (let i = 0; i < n; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (b.length & 1) sum += b[b.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

export const csumFinish = (sum: number): number => (~sum & 0xffff) || 0xffff;

/** The IPv4 pseudo-header's sum for a TCP or UDP checksum. */
function pseudo(src: number, dst: number, proto: number, len: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + len;
}

/** A parsed IPv4 packet inside a frame (views, not copies). */
export interface Ip4 {
  src: number;
  dst: number;
  proto: number;
  ttl: number;
  /** The IP header and payload. */
  packet: Uint8Array;
  payload: Uint8Array;
}

/** The IPv4 packet of an Ethernet payload, or undefined if malformed or a fragment. */
export function parseIp4(p: Uint8Array): Ip4 | undefined {
  if (p.length < IP_HLEN || p[0] >> 4 !== 4) return undefined;
  const ihl = (p[0] & 15) * 4;
  const total = (p[2] << 8) | p[3];
  if (ihl < IP_HLEN || total < ihl || total > p.length) return undefined;
  // more fragments, or a fragment offset: not reassembled here
  if ((p[6] & 0x20) || (((p[6] & 0x1f) << 8) | p[7])) return undefined;
  const dv = new DataView(p.buffer, p.byteOffset, p.length);
  return { src: dv.getUint32(12), dst: dv.getUint32(16), proto: p[9], ttl: p[8], packet: p.subarray(0, total), payload: p.subarray(ihl, total) };
}

/** One line saying what a frame is, for debug output (ARP, TCP ports and flags, else the protocol). */
export function describeFrame(f: Uint8Array): string {
  const type = (f[12] << 8) | f[13];
  if (type === ETH_P_ARP && f.length >= ETH_HLEN + 28) {
    const dv = new DataView(f.buffer, f.byteOffset + ETH_HLEN, 28), op = dv.getUint16(6);
    const sender = ip4Text(dv.getUint32(14)), target = ip4Text(dv.getUint32(24));
    const mac = [...f.subarray(ETH_HLEN + 8, ETH_HLEN + 14)].map((b) => b.toString(16).padStart(2, '0')).join(':');
    return op === 1 ? `arp who-has ${target} tell ${sender}` : op === 2 ? `arp reply ${sender} is-at ${mac}` : `arp op ${op}`;
  }
  const ip = type === ETH_P_IP ? parseIp4(f.subarray(ETH_HLEN)) : undefined;
  if (!ip) return `ethertype 0x${type.toString(16)}, ${f.length} bytes`;
  const t = ip.proto === PROTO_TCP ? parseTcp(ip.payload) : undefined;
  if (!t) return `ip proto ${ip.proto} ${ip4Text(ip.src)} > ${ip4Text(ip.dst)}, ${ip.payload.length} bytes`;
  const flags = ([[SYN, 'S'], [FIN, 'F'], [RST, 'R'], [PSH, 'P'], [ACK, '.']] as const).filter(([b]) => t.flags & b).map(([, n]) => n).join('');
  return `tcp ${ip4Text(ip.src)}:${t.sport} > ${ip4Text(ip.dst)}:${t.dport} [${flags}] seq ${t.seq} ack ${t.ack}, ${t.data.length} bytes`;
}

let ipId = 0;

/**
 * A frame carrying an IPv4 packet: Ethernet header, IP header (checksum
 * filled in), then `l4len` bytes for the caller, returned with its offset.
 */
export function ip4Frame(dstMac: Uint8Array, srcMac: Uint8Array, src: number, dst: number, proto: number, l4len: number): { frame: Uint8Array; l4: number } {
  const frame = new Uint8Array(ETH_HLEN + IP_HLEN + l4len);
  frame.set(dstMac, 0);
  frame.set(srcMac, 6);
  frame[12] = ETH_P_IP >> 8;
  frame[13] = ETH_P_IP & 255;
  const dv = new DataView(frame.buffer);
  const o = ETH_HLEN;
  frame[o] = 0x45;
  dv.setUint16(o + 2, IP_HLEN + l4len);
  dv.setUint16(o + 4, (ipId = (ipId + 1) & 0xffff));
  frame[o + 6] = 0x40; // DF
  frame[o + 8] = 64;
  frame[o + 9] = proto;
  dv.setUint32(o + 12, src);
  dv.setUint32(o + 16, dst);
  dv.setUint16(o + 10, csumFinish(csumAdd(frame.subarray(o, o + IP_HLEN))));
  return { frame, l4: o + IP_HLEN };
}

/** Fill in the TCP or UDP checksum of the segment at frame[l4...]. */
export function l4Checksum(frame: Uint8Array, l4: number, src: number, dst: number, proto: number): void {
  const seg = frame.subarray(l4);
  const at = proto === PROTO_TCP ? 16 : 6;
  seg[at] = seg[at + 1] = 0;
  const c = csumFinish(csumAdd(seg, pseudo(src, dst, proto, seg.length)));
  seg[at] = c >> 8;
  seg[at + 1] = c & 255;
}

export function udpFrame(dstMac: Uint8Array, srcMac: Uint8Array, src: number, sport: number, dst: number, dport: number, data: Uint8Array): Uint8Array {
  const { frame, l4 } = ip4Frame(dstMac, srcMac, src, dst, PROTO_UDP, UDP_HLEN + data.length);
  const dv = new DataView(frame.buffer);
  dv.setUint16(l4, sport);
  dv.setUint16(l4 + 2, dport);
  dv.setUint16(l4 + 4, UDP_HLEN + data.length);
  frame.set(data, l4 + UDP_HLEN);
  l4Checksum(frame, l4, src, dst, PROTO_UDP);
  return frame;
}

/** A TCP segment's header fields, as parsed or to be sent. */
export interface TcpOut {
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  /** On a SYN: the MSS and window scale (undefined when absent). */
  mss?: number;
  wscale?: number;
}

/** A parsed TCP segment (its data a view). */
export interface TcpSeg extends TcpOut {
  data: Uint8Array;
}

export function parseTcp(p: Uint8Array): TcpSeg | undefined {
  if (p.length < 20) return undefined;
  const dv = new DataView(p.buffer, p.byteOffset, p.length);
  const off = (p[12] >> 4) * 4;
  if (off < 20 || off > p.length) return undefined;
  const seg: TcpSeg = {
    sport: dv.getUint16(0), dport: dv.getUint16(2), seq: dv.getUint32(4), ack: dv.getUint32(8),
    flags: p[13], window: dv.getUint16(14), data: p.subarray(off),
  };
  if (seg.flags & SYN) {
    // options: kind, length, value; 0 ends them, 1 is padding
    for (let i = 20; i < off;) {
      const kind = p[i];
      if (kind === 0) break;
      if (kind === 1) { i++; continue; }
      const len = p[i + 1];
      if (len < 2 || i + len > off) break;
      if (kind === 2 && len === 4) seg.mss = dv.getUint16(i + 2);
      if (kind === 3 && len === 3) seg.wscale = Math.min(p[i + 2], 14);
      i += len;
    }
  }
  return seg;
}

export function tcpFrame(dstMac: Uint8Array, srcMac: Uint8Array, src: number, dst: number, t: TcpOut, data?: Uint8Array): Uint8Array {
  const opt = t.flags & SYN ? 8 : 0;
  const hl = 20 + opt;
  const n = data?.length ?? 0;
  const { frame, l4 } = ip4Frame(dstMac, srcMac, src, dst, PROTO_TCP, hl + n);
  const dv = new DataView(frame.buffer);
  dv.setUint16(l4, t.sport);
  dv.setUint16(l4 + 2, t.dport);
  dv.setUint32(l4 + 4, t.seq >>> 0);
  dv.setUint32(l4 + 8, t.ack >>> 0);
  frame[l4 + 12] = (hl / 4) << 4;
  frame[l4 + 13] = t.flags;
  dv.setUint16(l4 + 14, Math.min(t.window, 0xffff));
  if (opt) {
    frame[l4 + 20] = 2; frame[l4 + 21] = 4; dv.setUint16(l4 + 22, t.mss ?? 1460);
    if (t.wscale !== undefined) { frame[l4 + 24] = 1; frame[l4 + 25] = 3; frame[l4 + 26] = 3; frame[l4 + 27] = t.wscale; }
    else frame.fill(1, l4 + 24, l4 + 28); // no-operation padding
  }
  if (data) frame.set(data, l4 + hl);
  // Data segments go without a checksum: the guest's driver declares what it
  // receives checked (CHECKSUM_UNNECESSARY), and summing every byte was a
  // sixth of a download's host time. The rest carry a valid one.
  if (n === 0) l4Checksum(frame, l4, src, dst, PROTO_TCP);
  return frame;
}
