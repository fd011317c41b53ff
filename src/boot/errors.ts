// What the system says of an internal error: one readable line whatever was
// thrown (an Error, a guest memory fault that escaped its handler, any other
// value), and the stack under DEBUG=embox:errors.

import createDebug from 'debug';
import { inspect } from 'node:util';
import { GuestFault } from '../cpu/memory.js';

const stacks = createDebug('embox:errors');

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
  return inspect(e, { depth: 2, breakLength: Infinity });
}

/** The stack (or the whole value) of an internal error, under DEBUG=embox:errors. */
export function debugError(what: string, e: unknown): void {
  if (!stacks.enabled) return;
  stacks('%s: %s', what, e instanceof Error && e.stack ? e.stack : inspect(e, { depth: 4 }));
}
