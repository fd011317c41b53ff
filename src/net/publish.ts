// --publish [HOSTIP:]HOSTPORT:GUESTPORT[/udp|/tcp], as docker's -p: without
// HOSTIP the port is bound on every address of the host, as docker does.
import type { Publish } from './nat.js';

const port = (s: string): number | undefined => (/^\d{1,5}$/.test(s) && Number(s) >= 1 && Number(s) <= 65535 ? Number(s) : undefined);

/** The published port a --publish value names; throws with a message fit for the user. */
export function parsePublish(spec: string): Publish {
  const bad = (why: string): never => { throw new Error(`--publish ${spec}: ${why} (expected [HOSTIP:]HOSTPORT:GUESTPORT[/udp])`); };
  let rest = spec;
  let proto: 'tcp' | 'udp' = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const p = rest.slice(slash + 1);
    if (p !== 'tcp' && p !== 'udp') bad(`unknown protocol '${p}'`);
    proto = p as 'tcp' | 'udp';
    rest = rest.slice(0, slash);
  }
  const parts = rest.split(':');
  if (parts.length < 2 || parts.length > 3) bad('wrong number of fields');
  const hostIp = parts.length === 3 ? parts[0] : '0.0.0.0';
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(hostIp) || hostIp.split('.').some((x) => Number(x) > 255)) bad(`'${hostIp}' is not an IPv4 address`);
  const hostPort = port(parts[parts.length - 2]);
  const guestPort = port(parts[parts.length - 1]);
  if (hostPort === undefined) bad(`'${parts[parts.length - 2]}' is not a port`);
  if (guestPort === undefined) bad(`'${parts[parts.length - 1]}' is not a port`);
  return { proto, hostIp, hostPort: hostPort!, guestPort: guestPort! };
}
