// What the CPUs did since this process started, for `embox --profile`: guest
// instructions by how they ran (translated to WebAssembly, translated to
// JavaScript, interpreted) and what translating cost (blocks, modules, time),
// so that compile time can be set against run time. Plain counters, bumped
// once per block run or per translation, never per instruction; only the
// count of instructions translated code left to their JavaScript handlers
// (what is still not inline) is kept per call, and only when asked for.

export const cpuProfile = {
  /** guest instructions retired in all, and by WebAssembly and JavaScript translations (the rest were interpreted) */
  all: 0,
  wasm: 0,
  js: 0,
  /** blocks translated to WebAssembly, the modules holding them, and the time taken (ms: generating, compiling, instantiating) */
  wasmBlocks: 0,
  wasmModules: 0,
  wasmMs: 0,
  /** the size of those modules (bytes of WebAssembly V8 compiled) */
  wasmBytes: 0,
  /** blocks translated to JavaScript, and the time taken (ms) */
  jsBlocks: 0,
  jsMs: 0,
  /** instructions decoded, those dropped to bound their memory, and blocks decoded again after that (cpu.ts evictDecoded) */
  decoded: 0,
  evicted: 0,
  redecoded: 0,
  /** entries into translated WebAssembly from the run loop, and blocks run through the interpreter (each a return to JavaScript) */
  wasmEntries: 0,
  /** exits of translated code that went through the jump cache (not straight to a linked block) */
  jumpCacheExits: 0,
  interpreted: 0,
  /** calls translated WebAssembly made to instruction handlers, by form (null: not counted) */
  handlers: null as Map<string, number> | null,
};

/** Count handler calls from translated code from now on (for the report). */
export function countHandlers(): void {
  cpuProfile.handlers ??= new Map();
}

/** The name a handler call is counted under: the form's mnemonic, operand size, memory or register, rep. */
export function handlerKey(name: string, size: number, mem: boolean, rep: number): string {
  return `${rep ? (rep === 0xf2 ? 'repne ' : 'rep ') : ''}${name}${size === 2 ? ' (16-bit)' : size === 1 ? ' (8-bit)' : ''}${mem ? ' m' : ''}`;
}

/** The forms most called, with their counts, as report lines. */
function handlerLines(h: Map<string, number>, most: number): string {
  const all = [...h.values()].reduce((a, b) => a + b, 0);
  const top = [...h].sort((a, b) => b[1] - a[1]).slice(0, most);
  return `  handlers called from translated code: ${count(all)}${top.length ? ', the most called:' : ''}\n`
    + top.map(([k, n]) => `    ${k.padEnd(30)}${count(n).padStart(13)}\n`).join('');
}

const count = (n: number): string => n.toLocaleString('en-US');
const pct = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-');

/** The report, for a run of wallMs; scale: the translation budget's threshold scale now. */
export function profileReport(wallMs: number, scale: number): string {
  const p = cpuProfile;
  const all = p.all;
  const ms = p.wasmMs + p.jsMs;
  const line = (what: string, n: number): string => `  ${what.padEnd(26)}${count(n).padStart(15)}  ${pct(n, all).padStart(6)}\n`;
  return `profile: ${count(all)} guest instructions in ${(wallMs / 1000).toFixed(2)} s\n`
    + line('translated to WebAssembly', p.wasm)
    + line('translated to JavaScript', p.js)
    + line('interpreted', all - p.wasm - p.js)
    + `  translated code entered ${count(p.wasmEntries)} times, left through the jump cache ${count(p.jumpCacheExits)} times; blocks interpreted: ${count(p.interpreted)}\n`
    + `  translating: ${(ms / 1000).toFixed(2)} s, ${pct(ms, wallMs)} of the time (WebAssembly: ${p.wasmBlocks} blocks in ${p.wasmModules} modules`
    + ` of ${(p.wasmBytes / 1024).toFixed(0)} KiB,`
    + ` ${(p.wasmMs / 1000).toFixed(2)} s; JavaScript: ${p.jsBlocks} blocks, ${(p.jsMs / 1000).toFixed(2)} s);`
    + ' V8 compiles each WebAssembly function again at its first call, not timed here\n'
    + `  blocks are translated after ${scale}x their threshold of runs now (the translation budget's scale)\n`
    + `  instructions decoded: ${count(p.decoded)}, ${count(p.evicted)} of them dropped to bound their memory; blocks decoded again: ${count(p.redecoded)}\n`
    + (p.handlers ? handlerLines(p.handlers, 12) : '');
}
