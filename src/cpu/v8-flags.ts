// What the translator asks of V8 (Node only: a browser runs with its own
// settings). Its modules carry a branch hint section (wasm.ts hintSection):
// read, V8's optimizing compiler lays the paths that almost never run (a TLB
// miss, a fault, a stop asked for) out of line and spills values live across
// their calls only there; cpubench int's hot sift loop ran ~9% faster. V8 11
// to 13 (Node 20 to 24) take the flag; elsewhere it is left unset, as V8
// would print an error for a flag it does not know.

/** The V8 flags the translator's code is made for. */
export const TRANSLATOR_V8_FLAGS = '--experimental-wasm-branch-hinting';

/** Whether this V8 knows TRANSLATOR_V8_FLAGS. */
export function knowsTranslatorFlags(v8Version: string | undefined): boolean {
  const major = Number(/^(\d+)\./.exec(v8Version ?? '')?.[1]);
  return major >= 11 && major <= 13;
}

interface NodeV8 { setFlagsFromString(flags: string): void }
interface NodeProcess { versions?: { v8?: string }; getBuiltinModule?: (id: string) => unknown }

/**
 * Set TRANSLATOR_V8_FLAGS in this Node process (before the first module is
 * compiled). The CLI sets them earlier with its own (bin/early.ts, and
 * bin/run-bundle.js before V8 takes its code cache, made under the same flags).
 */
export function applyTranslatorFlags(): void {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (!proc || !knowsTranslatorFlags(proc.versions?.v8)) return;
  (proc.getBuiltinModule?.('node:v8') as NodeV8 | undefined)?.setFlagsFromString(TRANSLATOR_V8_FLAGS);
}
