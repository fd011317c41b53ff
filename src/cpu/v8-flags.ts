// The V8 flags the system's WebAssembly runs under (Node only: a browser runs
// with its own settings), in one place: the CLI sets them first thing
// (bin/early.ts, and bin/run-bundle.cjs before V8 takes its code cache, which
// it accepts only under the flags it was made with), wasm-run.ts in any other
// process that translates code (tests, benchmarks).
//
// - The process's tiering budget: V8 recompiles a WebAssembly function with
//   its optimizing compiler once it has run about this many bytes of code. At
//   V8's default (1.8 MB) a start of the system sent a few large kernel
//   functions to it in the background: work a short run never gains from,
//   waited for at exit, and whose memory stays in the process (a start took
//   290 ms and 139 MiB, 245 ms and 105 MiB at ten times the budget).
// - Translated blocks' modules are compiled under V8's default budget again
//   (compileTranslation): a block is small and, once hot, runs a long time;
//   under the process's budget they ran in the baseline compiler's code much
//   longer (sqlite3's 20,000 inserts, CPU time with V8 on one thread: 7.2-8.0 s
//   against 6.2-7.0 s).
// - Functions are validated when first compiled, at their first call, not
//   all of a module's up front (--wasm-lazy-validation): lkl.wasm's
//   validation took 23 of the 29 ms of CPU time compiling it took, and a
//   start calls few of its functions. The translator validates each of its
//   modules itself (wasm-run.ts), so that one V8 would refuse is refused
//   before it runs.
// - Their branch hint sections are read (wasm.ts hintSection): V8's
//   optimizing compiler lays the paths that almost never run (a TLB miss, a
//   fault, a stop asked for) out of line and spills values live across their
//   calls only there. V8 11 to 13 (Node 20 to 24) take that flag; elsewhere
//   it is left unset, as V8 prints an error for a flag it does not know.
// - lkl.wasm's functions a start runs are compiled when the module is, in
//   V8's background threads while the CLI loads, the rest at their first call
//   as before: its compilation hints section (package-files.ts
//   kernelCompileHints), which V8 reads under --experimental-wasm-compilation-
//   hints and follows only for a module not compiled lazily as a whole
//   (--no-wasm-lazy-compilation; every module V8 compiles then has the
//   section or is a translation, compiled lazily as before: compileTranslation).
//   A start compiled 577 functions one by one at their first calls, some 45 ms
//   of a 230 ms start. V8 11 only (Node 20): the section is experimental, and
//   without it --no-wasm-lazy-compilation would compile all of lkl.wasm at once.

const PROCESS_TIERING_BUDGET = 18_000_000;
const TRANSLATION_TIERING_BUDGET = 1_800_000;
const HINTS = '--experimental-wasm-branch-hinting';
const COMPILE_HINTS = '--experimental-wasm-compilation-hints --no-wasm-lazy-compilation';

function v8Major(v8Version: string | undefined): number {
  return Number(/^(\d+)\./.exec(v8Version ?? '')?.[1]);
}

/** Whether a V8 of this version compiles lkl.wasm by its compilation hints (under v8Flags()). */
export function compileHintsFor(v8Version: string | undefined): boolean {
  return v8Major(v8Version) === 11;
}

/** The flags for a V8 of this version (process.versions.v8). */
export function v8Flags(v8Version: string | undefined): string {
  const major = v8Major(v8Version);
  const hints = major >= 11 && major <= 13;
  return `--wasm-tiering-budget=${PROCESS_TIERING_BUDGET} --wasm-lazy-validation${hints ? ` ${HINTS}` : ''}${compileHintsFor(v8Version) ? ` ${COMPILE_HINTS}` : ''}`;
}

interface NodeV8 { setFlagsFromString(flags: string): void }
interface NodeProcess { versions?: { v8?: string }; getBuiltinModule?: (id: string) => unknown }
const proc = (globalThis as { process?: NodeProcess }).process;
/** Node's v8 module (process.getBuiltinModule: Node 20.16 and later), where there is one */
const nodeV8 = proc?.getBuiltinModule?.('node:v8') as NodeV8 | undefined;
/** whether this process's V8 compiles lkl.wasm by its compilation hints */
const BY_HINTS = nodeV8 !== undefined && compileHintsFor(proc?.versions?.v8);

/** Set v8Flags() in this process (before the first WebAssembly module is compiled). */
export function applyV8Flags(): void {
  nodeV8?.setFlagsFromString(v8Flags(proc?.versions?.v8));
}

/**
 * A translation's module, compiled with V8's default tiering budget for its
 * functions, each function at its first call (the translator's budget counts
 * that: wasm-run.ts LAZY_COMPILE).
 */
export function compileTranslation(bytes: Uint8Array): WebAssembly.Module {
  if (!nodeV8) return new WebAssembly.Module(bytes);
  // (V8 gives a module's functions the budget in force when the module is made, and
  // decides then whether they are compiled now or at their first calls)
  nodeV8.setFlagsFromString(`--wasm-tiering-budget=${TRANSLATION_TIERING_BUDGET}${BY_HINTS ? ' --wasm-lazy-compilation' : ''}`);
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    nodeV8.setFlagsFromString(`--wasm-tiering-budget=${PROCESS_TIERING_BUDGET}${BY_HINTS ? ' --no-wasm-lazy-compilation' : ''}`);
  }
}

/** Whether this process compiles lkl.wasm by its compilation hints (v8Flags() set). */
export function kernelCompileHints(): boolean {
  return BY_HINTS;
}
