// What the NAT needs of the host's network: TCP streams, UDP sockets and a
// name resolver. Node implements it with net, dgram and dns (node.ts); a
// browser page can implement it with a relay over a WebSocket. No Node APIs.

/** Events of a TCP stream, set by the NAT. */
export interface TcpEvents {
  /** The connection is established (for connectTcp). */
  connect?(): void;
  data?(chunk: Uint8Array): void;
  /** The peer half-closed (no more data). */
  end?(): void;
  /** The write buffer fell below its high-water mark. */
  drain?(): void;
  /** The stream is gone; `error` is an errno name (ECONNREFUSED, ECONNRESET, ...) when it failed. */
  close?(error?: string): void;
}

export interface TcpStream {
  /** Queue bytes; false when the write buffer is above its high-water mark (wait for drain). */
  write(data: Uint8Array): boolean;
  /** Bytes queued and not yet taken by the host's stack. */
  readonly buffered: number;
  /** Half-close: no more writes. */
  end(): void;
  /** Abort (the peer sees a reset where the host can say so). */
  destroy(): void;
  pause(): void;
  resume(): void;
  events: TcpEvents;
}

export interface UdpSocket {
  send(data: Uint8Array, ip: string, port: number): void;
  close(): void;
}

export type UdpReceive = (data: Uint8Array, ip: string, port: number) => void;

export interface TcpListener {
  close(): void;
}

export interface NetHost {
  /** Connect to ip:port; events.connect or events.close(error) follows. */
  connectTcp(ip: string, port: number, events: TcpEvents): TcpStream;
  /** Listen on ip:port (rejects with an error whose message names the address). */
  listenTcp(ip: string, port: number, accept: (s: TcpStream, peerIp: string, peerPort: number) => void): Promise<TcpListener>;
  /** A UDP socket bound to ip:port (port 0: any; ip undefined: all addresses). */
  bindUdp(ip: string | undefined, port: number, receive: UdpReceive): Promise<UdpSocket>;
  /** A UDP socket on an ephemeral port, usable at once (sends before the bind completes are queued). */
  openUdp(receive: UdpReceive): UdpSocket;
  /** IPv4 addresses of a name (empty when it has none); rejects with an errno-like code on failure. */
  resolve4(name: string): Promise<string[]>;
}
