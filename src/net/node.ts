// NetHost on Node: TCP with node:net, UDP with node:dgram, names with
// node:dns (or a resolver given instead, as tests give one). The one file
// of src/net that uses Node.
import type * as Dgram from 'node:dgram';
import type * as Dns from 'node:dns';
import { createRequire } from 'node:module';
import type * as Net from 'node:net';
import type { NetHost, TcpEvents, TcpListener, TcpStream, UdpReceive, UdpSocket } from './host.js';

// Node's socket modules are loaded when the guest first uses the network,
// not by every start (most runs never do)
const require = createRequire(import.meta.url);
let modules: { net: typeof Net; dgram: typeof Dgram; dns: typeof Dns } | undefined;
const node = (): NonNullable<typeof modules> =>
  (modules ??= { net: require('node:net') as typeof Net, dgram: require('node:dgram') as typeof Dgram, dns: require('node:dns') as typeof Dns });

/** Names to IPv4 addresses; rejects with an error whose code is ENOTFOUND when there is none. */
export type Resolve4 = (name: string) => Promise<string[]>;

function wrap(sock: Net.Socket, events: TcpEvents): TcpStream {
  const s: TcpStream = {
    events,
    write: (data) => sock.write(data),
    get buffered() {
      return sock.writableLength;
    },
    end: () => sock.end(),
    destroy: () => sock.resetAndDestroy(),
    pause: () => sock.pause(),
    resume: () => sock.resume(),
  };
  let failed: string | undefined;
  sock.setNoDelay(true);
  sock.on('connect', () => s.events.connect?.());
  sock.on('data', (b: Buffer) => s.events.data?.(new Uint8Array(b.buffer, b.byteOffset, b.length)));
  sock.on('end', () => s.events.end?.());
  sock.on('drain', () => s.events.drain?.());
  sock.on('error', (e: NodeJS.ErrnoException) => { failed = e.code ?? 'EIO'; });
  sock.on('close', () => s.events.close?.(failed));
  return s;
}

/** A resolver that asks these DNS servers (IP or IP:PORT) instead of the host's. */
export function dnsServers(servers: string[]): Resolve4 {
  let r: Dns.promises.Resolver | undefined;
  return (name) => {
    if (!r) {
      r = new (node().dns.promises.Resolver)({ timeout: 2000, tries: 2 });
      r.setServers(servers);
    }
    return r.resolve4(name);
  };
}

export class NodeNetHost implements NetHost {
  constructor(private readonly resolver: Resolve4 = (name) => node().dns.promises.resolve4(name).catch(async (e) => {
    // the system's resolver too (/etc/hosts, nsswitch), as getaddrinfo would
    const r = await node().dns.promises.lookup(name, { family: 4, all: true }).catch(() => { throw e; });
    return r.map((a) => a.address);
  })) {}

  connectTcp(ip: string, port: number, events: TcpEvents): TcpStream {
    // allowHalfOpen: the guest may half-close and still read
    return wrap(node().net.connect({ host: ip, port, allowHalfOpen: true }), events);
  }

  listenTcp(ip: string, port: number, accept: (s: TcpStream, peerIp: string, peerPort: number) => void): Promise<TcpListener> {
    return new Promise((resolve, reject) => {
      const server = node().net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (sock) =>
        accept(wrap(sock, {}), sock.remoteAddress ?? '', sock.remotePort ?? 0));
      server.once('error', (e: NodeJS.ErrnoException) => reject(new Error(`${ip}:${port}: ${e.code === 'EADDRINUSE' ? 'address already in use' : e.message}`)));
      server.listen(port, ip, () => resolve({ close: () => server.close() }));
    });
  }

  bindUdp(ip: string | undefined, port: number, receive: UdpReceive): Promise<UdpSocket> {
    return new Promise((resolve, reject) => {
      const sock = this.udpSocket(receive);
      sock.once('error', (e: NodeJS.ErrnoException) => reject(new Error(`${ip ?? '0.0.0.0'}:${port}/udp: ${e.code === 'EADDRINUSE' ? 'address already in use' : e.message}`)));
      sock.bind(port, ip, () => resolve(this.udpApi(sock)));
    });
  }

  openUdp(receive: UdpReceive): UdpSocket {
    const sock = this.udpSocket(receive);
    sock.on('error', () => undefined); // a send to nowhere: the datagram is lost, as on a network
    return this.udpApi(sock);
  }

  private udpSocket(receive: UdpReceive): Dgram.Socket {
    const sock = node().dgram.createSocket('udp4');
    sock.on('message', (b, rinfo) => receive(new Uint8Array(b.buffer, b.byteOffset, b.length), rinfo.address, rinfo.port));
    return sock;
  }

  private udpApi(sock: Dgram.Socket): UdpSocket {
    let closed = false;
    return {
      send: (data, ip, port) => { if (!closed) sock.send(data, port, ip); },
      close: () => {
        if (closed) return;
        closed = true;
        sock.close();
      },
    };
  }

  resolve4(name: string): Promise<string[]> {
    return this.resolver(name);
  }
}
