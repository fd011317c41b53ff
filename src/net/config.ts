// The network the guest sees, as qemu's user networking lays it out: the
// guest 10.0.2.15/24, the gateway (the host) 10.0.2.2, the DNS server
// 10.0.2.3, MTU 1500. Declared once: the NAT answers for these addresses and
// the system configures eth0 and /etc/resolv.conf with them. No Node APIs.
import { ip4 } from './packet.js';

export const NET = {
  guest: '10.0.2.15',
  netmask: '255.255.255.0',
  gateway: '10.0.2.2',
  dns: '10.0.2.3',
  mtu: 1500,
  /** The guest's eth0 (qemu's default). */
  guestMac: Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x56),
  /** What answers for the gateway and the DNS address. */
  gatewayMac: Uint8Array.of(0x52, 0x55, 0x0a, 0x00, 0x02, 0x02),
} as const;

export const GUEST = ip4(NET.guest);
export const GATEWAY = ip4(NET.gateway);
export const DNS = ip4(NET.dns);
export const NETWORK = ip4('10.0.2.0');
export const NETMASK = ip4(NET.netmask);
/** The host's own address, which the gateway address stands for. */
export const HOST_LOOPBACK = '127.0.0.1';
