// One guest TCP connection, terminated here and carried on by a host stream
// (TcpStream): the guest's stack talks to this endpoint, which keeps both
// directions' sequence numbers and windows and both directions' close.
//
// The link to the guest is memory to memory and does not lose frames, so
// data is sent once and kept only until acknowledged; a stall (the guest
// dropped something after all) resends from the first unacknowledged byte.
// Memory stays bounded both ways: toward the host, the window offered to the
// guest is what the host stream has room for (RCV_BUF less what it buffers),
// and bytes past it are not taken; toward the guest, at most the guest's
// window is in flight, and the host stream is paused while SND_BUF bytes wait.
import { ACK, FIN, PSH, RST, SYN, type TcpSeg } from './packet.js';
import type { TcpStream } from './host.js';

/** Bytes the host stream may buffer toward the host: the most we offer the guest. */
export const RCV_BUF = 256 * 1024;
/** Bytes from the host waiting for the guest, past which the host stream is paused. */
export const SND_BUF = 256 * 1024;
/** The MSS offered to the guest: the MTU's (its TSO still hands over 64 KiB at a time). */
const MSS = 1460;
/**
 * The largest segment sent to the guest: as much as an IP packet holds, not
 * the guest's MSS. Its driver takes frames of any length, as a NIC's receive
 * offload hands up merged segments: one frame where the MTU would need 45.
 */
const MAX_SEGMENT = 65535 - 40;
/** Our window scale: windows up to 4 MiB. */
const WSCALE = 6;
/** Resend from the first unacknowledged byte, or probe a shut window, after this long without progress. */
const STALL_MS = 1000;
/** Tries of a SYN to the guest (an inbound connection) before giving up. */
const SYN_TRIES = 5;

type State = 'host-connecting' | 'syn-rcvd' | 'syn-sent' | 'established' | 'closed';

/** a < b in sequence space (mod 2^32). */
const lt = (a: number, b: number): boolean => ((a - b) | 0) < 0;
const le = (a: number, b: number): boolean => ((a - b) | 0) <= 0;

/** What the endpoint needs of the NAT. */
export interface TcpOwner {
  /** Send a segment to the guest of this connection. */
  emit(c: TcpConn, flags: number, seq: number, ack: number, window: number, data?: Uint8Array, syn?: { mss: number; wscale?: number }): void;
  /** Send a pure ACK soon (coalesced: one per connection per batch of guest frames). */
  ackSoon(c: TcpConn): void;
  /** The connection is finished: forget it. */
  closed(c: TcpConn, why: string): void;
  /** Tell the guest its SYN found no way (ICMP destination unreachable with this code). */
  unreachable(c: TcpConn, code: number): void;
  /** A host event handler that counts an error instead of throwing it into the event loop. */
  guard<A extends unknown[]>(f: (...a: A) => void): (...a: A) => void;
}

export class TcpConn {
  state: State;
  stream: TcpStream | undefined;
  /** Next sequence number expected from the guest. */
  rcvNxt = 0;
  /** Oldest unacknowledged and next sequence number of ours. */
  sndUna: number;
  sndNxt: number;
  /** The guest's window (bytes) and window scale. */
  private sndWnd = 0;
  private guestWscale = 0;
  /** Both SYNs carried a window scale option (RFC 7323), so windows are scaled. */
  private scale = false;
  /** Host data not yet acknowledged by the guest, from sndUna on. */
  private buf: Uint8Array[] = [];
  private bufLen = 0;
  private paused = false;
  /** The host half-closed; our FIN goes after the data. */
  private hostEnded = false;
  private finSent = false;
  private finAcked = false;
  /** The guest half-closed. */
  private guestFin = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the stall timer is due (performance.now()), while armed. */
  private deadline: number | undefined;
  private tries = 0;
  /** Bytes each way, for the debug log. */
  toHost = 0;
  toGuest = 0;

  constructor(
    private readonly owner: TcpOwner,
    readonly key: string,
    /** The guest's port and the remote end as the guest sees it. */
    readonly guestPort: number,
    readonly remoteIp: number,
    readonly remotePort: number,
    /** Opened from the host through a published port (remotePort is then a NAT port). */
    readonly inbound: boolean,
  ) {
    this.state = inbound ? 'syn-sent' : 'host-connecting';
    this.sndUna = this.sndNxt = (Math.random() * 0x100000000) >>> 0;
  }

  /** The guest's SYN for an outbound connection (before the host stream connects). */
  guestSyn(seg: TcpSeg): void {
    this.rcvNxt = (seg.seq + 1) >>> 0;
    this.learn(seg);
  }

  private learn(seg: TcpSeg): void {
    this.scale = seg.wscale !== undefined;
    this.guestWscale = seg.wscale ?? 0;
    this.sndWnd = seg.window;
  }

  private get ourWscale(): number {
    return this.scale ? WSCALE : 0;
  }

  /** The window offered to the guest: what the host stream has room for. */
  private window(): number {
    return Math.max(0, RCV_BUF - (this.stream?.buffered ?? 0));
  }

  /** Window field value. */
  private wnd(): number {
    return Math.min(0xffff, this.window() >>> this.ourWscale);
  }

  // --- the host stream's events --------------------------------------------

  attach(stream: TcpStream): void {
    this.stream = stream;
    const g = this.owner.guard;
    stream.events = {
      connect: g(() => this.hostConnected()),
      data: g((chunk: Uint8Array) => this.hostData(chunk)),
      end: g(() => {
        this.hostEnded = true;
        this.push();
      }),
      drain: g(() => {
        if (this.state === 'established') this.owner.ackSoon(this);
      }),
      close: g((error?: string) => this.hostClosed(error)),
    };
  }

  private hostConnected(): void {
    if (this.state !== 'host-connecting') return;
    this.state = 'syn-rcvd';
    this.sendSyn(SYN | ACK);
  }

  /** Open an inbound connection: our SYN to the guest. */
  sendSynToGuest(): void {
    this.sendSyn(SYN);
  }

  private sendSyn(flags: number): void {
    this.sndNxt = (this.sndUna + 1) >>> 0;
    // a SYN's window is never scaled; the scale option only when the guest's SYN had one
    const wscale = flags & ACK && !this.scale ? undefined : WSCALE;
    this.owner.emit(this, flags, this.sndUna, this.rcvNxt, Math.min(0xffff, this.window()), undefined, { mss: MSS, wscale });
    this.arm();
  }

  private hostData(chunk: Uint8Array): void {
    if (this.state === 'closed') return;
    this.buf.push(chunk);
    this.bufLen += chunk.length;
    if (this.bufLen >= SND_BUF && !this.paused) {
      this.paused = true;
      this.stream?.pause();
    }
    this.push();
  }

  private hostClosed(error?: string): void {
    const s = this.state;
    if (s === 'closed') return;
    if (s === 'host-connecting') {
      // the guest's connect fails as the host's did: no route or no answer is an
      // ICMP unreachable (EHOSTUNREACH, ENETUNREACH), anything else a reset (ECONNREFUSED)
      if (error === 'ENETUNREACH' || error === 'EHOSTUNREACH' || error === 'ETIMEDOUT') this.owner.unreachable(this, error === 'ENETUNREACH' ? 0 : 1);
      else this.owner.emit(this, RST | ACK, 0, this.rcvNxt, 0);
      this.finish(`connect: ${error ?? 'closed'}`);
    } else if (error || s === 'syn-sent' || s === 'syn-rcvd') {
      this.owner.emit(this, RST | ACK, this.sndNxt, this.rcvNxt, 0);
      this.finish(`host: ${error ?? 'closed'}`);
    } else {
      // closed after both ends: what is still buffered goes to the guest, then FIN
      this.hostEnded = true;
      this.stream = undefined;
      this.push();
    }
  }

  // --- segments from the guest ----------------------------------------------

  segment(seg: TcpSeg): void {
    if (this.state === 'closed') return;
    if (seg.flags & RST) {
      this.stream?.destroy();
      this.finish('reset by the guest');
      return;
    }
    if (this.state === 'host-connecting') return; // a retransmitted SYN: the answer comes with the host's
    if (this.state === 'syn-sent') {
      if ((seg.flags & (SYN | ACK)) !== (SYN | ACK) || seg.ack !== this.sndNxt) return;
      this.rcvNxt = (seg.seq + 1) >>> 0;
      this.learn(seg);
      this.sndWnd = seg.window; // a SYN's window is never scaled
      this.sndUna = seg.ack;
      this.established();
      this.owner.emit(this, ACK, this.sndNxt, this.rcvNxt, this.wnd());
      this.stream?.resume();
      this.push();
      return;
    }
    if (seg.flags & SYN) {
      // a retransmitted SYN (it missed our SYN-ACK?) or SYN-ACK: say where we are
      this.owner.ackSoon(this);
      return;
    }
    if (!(seg.flags & ACK)) return;
    if (this.state === 'syn-rcvd') {
      if (seg.ack !== this.sndNxt) return;
      this.sndUna = seg.ack;
      this.established();
    }
    this.ack(seg);
    this.data(seg);
    this.push();
    if (this.guestFin && this.finAcked) {
      // both directions closed: the last ACK now (nothing is left to carry it), and the
      // host stream (ended) flushes what it holds and closes itself
      this.sendAck();
      this.stream = undefined;
      this.finish('closed');
    }
  }

  private established(): void {
    this.state = 'established';
    this.disarm();
  }

  private ack(seg: TcpSeg): void {
    if (!(le(this.sndUna, seg.ack) && le(seg.ack, this.sndNxt))) return;
    let n = (seg.ack - this.sndUna) >>> 0;
    if (this.finSent && !this.finAcked && n > 0 && seg.ack === this.sndNxt) {
      this.finAcked = true;
      n--; // the FIN's sequence number
    }
    this.drop(n);
    this.sndUna = seg.ack;
    this.sndWnd = seg.window << this.guestWscale;
    if (n > 0) this.tries = 0;
    if (this.sndUna === this.sndNxt) this.disarm();
    else if (n > 0) this.arm();
    if (this.paused && this.bufLen < SND_BUF / 2) {
      this.paused = false;
      this.stream?.resume();
    }
  }

  /** Forget n acknowledged bytes at the head of the buffer. */
  private drop(n: number): void {
    this.bufLen -= n;
    while (n > 0) {
      const b = this.buf[0];
      if (b.length <= n) {
        n -= b.length;
        this.buf.shift();
      } else {
        this.buf[0] = b.subarray(n);
        n = 0;
      }
    }
  }

  private data(seg: TcpSeg): void {
    let d = seg.data;
    let seq = seg.seq;
    const fin = (seg.flags & FIN) !== 0;
    if (d.length === 0 && !fin) return;
    // the part already taken (a retransmission overlapping what we have)
    if (lt(seq, this.rcvNxt)) {
      const skip = (this.rcvNxt - seq) >>> 0;
      if (skip > d.length) { this.owner.ackSoon(this); return; }
      d = d.subarray(skip);
      seq = this.rcvNxt;
    }
    if (seq !== this.rcvNxt || this.guestFin) {
      this.owner.ackSoon(this); // out of order: not kept, the guest resends
      return;
    }
    if (d.length > 0) {
      const take = Math.min(d.length, this.window());
      if (take > 0 && this.stream) {
        // a copy: d is a view of the kernel's memory
        this.stream.write(d.slice(0, take));
        this.toHost += take;
      }
      this.rcvNxt = (this.rcvNxt + take) >>> 0;
      if (take < d.length) { this.owner.ackSoon(this); return; } // the FIN, if any, comes again
    }
    if (fin) {
      this.rcvNxt = (this.rcvNxt + 1) >>> 0;
      this.guestFin = true;
      this.stream?.end();
    }
    this.owner.ackSoon(this);
  }

  // --- sending to the guest --------------------------------------------------

  /** Send what the guest's window allows, then our FIN once the host ended and all is sent. */
  private push(): void {
    if (this.state !== 'established') return;
    for (;;) {
      const inflight = (this.sndNxt - this.sndUna) >>> 0;
      const unsent = this.bufLen - inflight;
      const room = this.sndWnd - inflight;
      if (unsent <= 0 || room <= 0) break;
      const n = Math.min(unsent, room, MAX_SEGMENT);
      const data = this.gather(inflight, n);
      this.owner.emit(this, ACK | (n === unsent ? PSH : 0), this.sndNxt, this.rcvNxt, this.wnd(), data);
      this.toGuest += n;
      this.sndNxt = (this.sndNxt + n) >>> 0;
      this.arm();
    }
    if (this.hostEnded && !this.finSent && this.bufLen === ((this.sndNxt - this.sndUna) >>> 0)) {
      this.finSent = true;
      this.owner.emit(this, FIN | ACK, this.sndNxt, this.rcvNxt, this.wnd());
      this.sndNxt = (this.sndNxt + 1) >>> 0;
      this.arm();
    }
    // data waits behind a shut window with nothing in flight: the timer probes it
    if (this.bufLen > 0 && this.sndUna === this.sndNxt && this.deadline === undefined) this.arm();
  }

  /** n bytes of the buffer from offset off (one view when they lie in one chunk). */
  private gather(off: number, n: number): Uint8Array {
    let i = 0;
    while (off >= this.buf[i].length) off -= this.buf[i++].length;
    if (this.buf[i].length - off >= n) return this.buf[i].subarray(off, off + n);
    const out = new Uint8Array(n);
    for (let o = 0; o < n; i++) {
      const part = this.buf[i].subarray(off, off + n - o);
      out.set(part, o);
      o += part.length;
      off = 0;
    }
    return out;
  }

  /** A pure ACK with the current window. */
  sendAck(): void {
    if (this.state === 'established' || this.state === 'syn-rcvd') this.owner.emit(this, ACK, this.sndNxt, this.rcvNxt, this.wnd());
  }

  // --- the stall timer -------------------------------------------------------

  /**
   * (Re)start the stall timer. Called for every segment sent, so it only moves
   * a deadline; the one host timer, when it fires early, waits for the rest
   * (a clearTimeout and setTimeout a segment were a few % of a transfer).
   */
  private arm(): void {
    this.deadline = performance.now() + STALL_MS;
    if (this.timer === undefined) this.wait(STALL_MS);
  }

  private wait(ms: number): void {
    this.timer = setTimeout(this.owner.guard(() => this.fire()), ms);
    (this.timer as { unref?(): void }).unref?.();
  }

  private disarm(): void {
    this.deadline = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    if (this.deadline === undefined) return;
    const left = this.deadline - performance.now();
    if (left > 1) this.wait(left);
    else this.stalled();
  }

  private stalled(): void {
    this.deadline = undefined;
    if (this.state === 'closed') return;
    if (++this.tries > SYN_TRIES && this.state !== 'established') {
      this.stream?.destroy();
      this.finish('no answer from the guest');
      return;
    }
    if (this.state === 'syn-sent') this.sendSyn(SYN);
    else if (this.state === 'syn-rcvd') this.sendSyn(SYN | ACK);
    else if (this.state === 'established' && this.sndUna !== this.sndNxt) {
      // go back to the first unacknowledged byte
      if (this.finSent && !this.finAcked) this.finSent = false;
      this.sndNxt = this.sndUna;
      this.push();
    } else if (this.state === 'established' && this.bufLen > 0) {
      // the guest's window is shut (its update may have been lost): a segment
      // below its window, which it answers with an ACK carrying the window
      this.owner.emit(this, ACK, (this.sndNxt - 1) >>> 0, this.rcvNxt, this.wnd());
      this.arm();
    }
  }

  /** Tear down without a word to the guest (the NAT is closing). */
  abort(): void {
    this.stream?.destroy();
    this.finish('aborted');
  }

  private finish(why: string): void {
    this.state = 'closed';
    this.disarm();
    this.buf = [];
    this.bufLen = 0;
    this.owner.closed(this, why);
  }
}
