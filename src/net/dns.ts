// The DNS server at 10.0.2.3: one question per query, answered through the
// host's resolver (A records; other types get an empty answer, other
// opcodes NOTIMP). No Node APIs.

export const TYPE_A = 1;
const CLASS_IN = 1;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4 } as const;

export interface DnsQuery {
  id: number;
  flags: number;
  name: string;
  type: number;
  qclass: number;
  /** The question section as sent (echoed in the answer). */
  question: Uint8Array;
}

/** The query in msg, or undefined when it is not one this server reads. */
export function parseQuery(msg: Uint8Array): DnsQuery | undefined {
  if (msg.length < 12) return undefined;
  const dv = new DataView(msg.buffer, msg.byteOffset, msg.length);
  const flags = dv.getUint16(2);
  if (flags & 0x8000 || dv.getUint16(4) !== 1) return undefined; // a response, or not one question
  const labels: string[] = [];
  let i = 12;
  for (;;) {
    if (i >= msg.length) return undefined;
    const n = msg[i++];
    if (n === 0) break;
    if (n > 63 || i + n > msg.length) return undefined; // compression has no place in a question
    labels.push(String.fromCharCode(...msg.subarray(i, i + n)));
    i += n;
  }
  if (i + 4 > msg.length) return undefined;
  return { id: dv.getUint16(0), flags, name: labels.join('.'), type: dv.getUint16(i), qclass: dv.getUint16(i + 2), question: msg.subarray(12, i + 4) };
}

/** The response to q: rcode and IPv4 addresses (for an A question). */
export function answer(q: DnsQuery, rcode: number, addrs: number[] = []): Uint8Array {
  const out = new Uint8Array(12 + q.question.length + addrs.length * 16);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, q.id);
  // QR, the opcode and RD as asked, RA
  dv.setUint16(2, 0x8000 | (q.flags & 0x7900) | 0x0080 | rcode);
  dv.setUint16(4, 1);
  dv.setUint16(6, addrs.length);
  out.set(q.question, 12);
  let o = 12 + q.question.length;
  for (const a of addrs) {
    dv.setUint16(o, 0xc00c); // the name: a pointer to the question's
    dv.setUint16(o + 2, TYPE_A);
    dv.setUint16(o + 4, CLASS_IN);
    dv.setUint32(o + 6, 60);
    dv.setUint16(o + 10, 4);
    dv.setUint32(o + 12, a);
    o += 16;
  }
  return out;
}
