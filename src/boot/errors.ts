// What the system says of an internal error: one readable line whatever was
// thrown (an Error, a guest memory fault that escaped its handler, any other
// value), and the stack under DEBUG=embox:errors.

import createDebug from 'debug';
import { GuestFault } from '../cpu/memory.js';

const stacks = createDebug('embox:errors');

/**
 * Any value in one line, as Node's util.inspect shows it (`{ code: 7 }`,
 * `[ 1, 'a' ]`), without Node: the page's worker reports errors too.
 */
function inspect(v: unknown, depth: number): string {
  if (typeof v === 'string') return depth < 2 ? `'${v}'` : v;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function') return `[Function: ${v.name || '(anonymous)'}]`;
  if (typeof v !== 'object' || v === null) return String(v);
  if (v instanceof Error) return v.stack ?? `${v.name}: ${v.message}`;
  if (depth < 0) return Array.isArray(v) ? '[Array]' : '[Object]';
  const inner = (x: unknown) => (typeof x === 'string' ? `'${x}'` : inspect(x, depth - 1));
  if (Array.isArray(v)) return v.length ? `[ ${v.map(inner).join(', ')} ]` : '[]';
  const entries = Object.entries(v).map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${inner(x)}`);
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}

/** One line for any thrown value: never "[object Object]". */
export function errorText(e: unknown): string {
  if (e instanceof GuestFault) {
    const kind = e.exec ? 'execute' : e.write ? 'write' : 'read';
    return `guest memory fault: ${kind} at 0x${(e.addr >>> 0).toString(16)} (${e.present ? 'protection' : 'not mapped'})`;
  }
  if (e instanceof Error) {
    // TypeError, RangeError...: the kind says where to look; a plain Error's message says it all
    const kind = e.name && e.name !== 'Error' && !e.message.startsWith(`${e.name}:`) ? `${e.name}: ` : '';
    return `${kind}${e.message}`;
  }
  if (typeof e === 'string') return e;
  return inspect(e, 2);
}

/** The stack (or the whole value) of an internal error, under DEBUG=embox:errors. */
export function debugError(what: string, e: unknown): void {
  if (!stacks.enabled) return;
  stacks('%s: %s', what, e instanceof Error && e.stack ? e.stack : inspect(e, 4));
}
