// Running WebAssembly translations (made by wasm.ts): the callbacks translated
// code makes into JavaScript, the table of translations, the jump cache's
// contents, the runtime module, and compile(), which turns blocks into
// translations.
import type { CPU } from './cpu.js';
import type { AddressSpace, CodePage } from './memory.js';
import type { Block } from './jit.js';
import { x87At } from './misc.js';
import { memory, JUMP_CACHE, MODULE_CELLS, MODULE_EPOCHS, fillRepeated, frameOffset, tlbFill, tlbOwner } from './frames.js';
import { assemble, runtimeModule, x87TransModule } from './wasm.js';
import { transOp } from './wasm-x87-trans.js';
import { cpuProfile, handlerKey } from './profile.js';
import type { Insn } from './decode.js';
import { applyV8Flags, compileTranslation } from './v8-flags.js';
import {
  S_FOP, S_FA, S_FB, S_FRES, S_FSIGN, S_FCF, S_FLAGS, S_EIP, S_CUR, S_DONE, S_STOP, S_EPOCH, S_FAULT, S_JC_EXITS,
  JC_N, jcSlot, SLOW_LOAD, SLOW_STORE, SLOW_RMW, SLOW_RAISE, SLOW_FILL, SLOW_X87, SLOW_X87_FLAGS,
} from './wasm-layout.js';

/** The CPU running translated code, and its icount and code epoch when it entered it (for the callbacks). */
const ctx = { cpu: null as unknown as CPU, ic: 0, ep: 0 };
/** icount at the start of the running block */
const icNow = (c: CPU): number => ctx.ic + c.st[S_DONE >> 2]!;

/** Lazy flags from the CPU's fields into its slot (before translated code runs). */
export function flagsOut(c: CPU): void {
  const s = c.st;
  s[S_FOP >> 2] = c.fop; s[S_FA >> 2] = c.fa; s[S_FB >> 2] = c.fb; s[S_FRES >> 2] = c.fres;
  s[S_FSIGN >> 2] = c.fsign; s[S_FCF >> 2] = c.fcf; s[S_FLAGS >> 2] = c.flags;
}
/** ... and back (after it, or before a handler or a fault needs them). */
export function flagsIn(c: CPU): void {
  const s = c.st;
  c.fop = s[S_FOP >> 2]!; c.fa = s[S_FA >> 2]!; c.fb = s[S_FB >> 2]!; c.fres = s[S_FRES >> 2]!;
  c.fsign = s[S_FSIGN >> 2]!; c.fcf = s[S_FCF >> 2]!; c.flags = s[S_FLAGS >> 2]!;
}

// ---- callbacks from translated code --------------------------------------------------------

/**
 * Faults in the memory callbacks are reported, not thrown: the translated
 * code then goes to its fault epilogue, which writes its registers back and
 * calls raise() (registers live in locals, and writing them back at every
 * callback would make the code much larger).
 */
let pendingFault: unknown = null;
function report(c: CPU, e: unknown): number {
  pendingFault = e;
  c.st[S_FAULT >> 2] = 1;
  return 0;
}
function raise(): number {
  const e = pendingFault;
  pendingFault = null;
  ctx.cpu.st[S_FAULT >> 2] = 0;
  throw e;
}

/** Enter the page of a into the TLB when it is a frame the access may use without checks. */
function fill(c: CPU, a: number, write: boolean): void {
  const m = c.mem, p = a >>> 12;
  const d = m.fastPage(p, write);
  if (d === undefined || tlbOwner !== m) return;
  const off = frameOffset(d);
  if (off >= 0) tlbFill(p, off, write);
}
function dropped(c: CPU): number {
  if (c.mem.codeEpoch === ctx.ep) return 0;
  c.st[S_STOP >> 2] = 1; // the jump cache is void now
  return 1;
}
/**
 * Everything the TLB did not serve, for instruction k, in one callback (each
 * import costs a module about 12 microseconds to compile): a load of a
 * (returns the value), a store of v at a (returns 1 when it dropped decoded
 * code: the block must end), a read for a read-modify-write (faults as a
 * write would), the base of segment a (#GP for a null selector), and raising
 * the fault reported before.
 */
function slow(op: number, a: number, v: number, k: number): number {
  if (op === SLOW_RAISE) return raise();
  if (op === SLOW_FILL) { fill(ctx.cpu, a, v !== 0); return 0; }
  const c = ctx.cpu, size = op & 15;
  c.bk = k;
  try {
    switch (op & 0xf0) {
      case SLOW_LOAD:
        fill(c, a, false);
        return c.rd(size, a);
      case SLOW_STORE:
        fill(c, a, true);
        c.wr(size, a, v);
        return dropped(c);
      case SLOW_RMW:
        fill(c, a, true);
        fill(c, a, false);
        return c.rdw(size, a);
      case SLOW_X87:
        if (cpuProfile.handlers) countHandler(translated[v]!.insns[k]!);
        x87At(c, translated[v]!.insns[k]!, a);
        return 0;
      case SLOW_X87_FLAGS:
        if (cpuProfile.handlers) countHandler(translated[v]!.insns[k]!);
        flagsIn(c);
        x87At(c, translated[v]!.insns[k]!, a);
        flagsOut(c);
        return 0;
      default:
        return c.base(a);
    }
  } catch (e) {
    return report(c, e);
  }
}
function countHandler(i: Insn): void {
  // (x87 forms by their escape byte and ModRM reg field, or whole ModRM for register forms)
  const name = i.op >= 0xd8 && i.op <= 0xdf
    ? `x87 ${i.op.toString(16)} ${i.m ? `/${(i.modrm >> 3) & 7}` : i.modrm.toString(16)}`
    : i.def?.name ?? `op ${i.op.toString(16)}`;
  // (a SIMD form's 66/F2/F3 is its mandatory prefix, not an operand size or rep)
  const plain = i.pfx === 0 && !(i.op >= 0xd8 && i.op <= 0xdf);
  const h = cpuProfile.handlers!, key = handlerKey(name, plain ? i.size : 4, i.m, plain ? i.rep : 0);
  h.set(key, (h.get(key) ?? 0) + 1);
}
/** Instruction k of the block with table index wix through its handler; 1 when the block must end after it. */
function exec(wix: number, k: number): number {
  const c = ctx.cpu, i = translated[wix]!.insns[k]!;
  if (cpuProfile.handlers) countHandler(i);
  flagsIn(c);
  c.bk = k;
  c.icount = icNow(c) + k;
  c.eip = i.next;
  try {
    c.exec(i);
  } finally {
    flagsOut(c);
    c.st[S_EIP >> 2] = c.eip;
  }
  const gone = c.mem.codeEpoch !== ctx.ep;
  // int 0x80 (or dropped code) ends the chain of blocks too
  if (c.syscallStop || gone) c.st[S_STOP >> 2] = 1;
  return c.eip !== i.next || gone ? 1 : 0;
}

// ---- the table of translations and the jump cache -----------------------------------------

/** every translation, by table index (wix) */
interface FuncTable { length: number; get(k: number): unknown; set(k: number, f: unknown): void; grow(n: number): number }
// (the TypeScript library in use does not declare WebAssembly.Table)
const table = new (WebAssembly as unknown as { Table: new (d: object) => FuncTable }).Table({ initial: 1024, element: 'anyfunc' });
/** the blocks of the table's entries, by index */
export const translated: Block[] = [];

/** the jump cache's entries (wasm-layout.ts) */
const jc = new Int32Array(memory.buffer, JUMP_CACHE, JC_N * 4);
fillRepeated(jc, [0, 0, 0, -1]); // no epoch is -1

/** Block b (translated, at code epoch ep of the running space) for the blocks that jump to it. */
function jcPut(b: Block, ep: number): void {
  const k = jcSlot(b.eip);
  jc[k] = b.eip;
  jc[k + 1] = b.wix;
  jc[k + 2] = b.insns.length;
  jc[k + 3] = ep;
}

/**
 * Run translated blocks from b on, while each is in the jump cache and the
 * budget (instructions) covers it; each block goes on to the next itself.
 * Leaves the CPU's icount, eip and flags as the interpreter would; a fault
 * thrown out of it is finished with translatedFault().
 */
export function runTranslated(c: CPU, b: Block, budget: number): void {
  const st = c.st, epoch = c.mem.codeEpoch;
  ctx.cpu = c;
  ctx.ic = c.icount;
  ctx.ep = epoch;
  flagsOut(c);
  st[S_STOP >> 2] = 0;
  st[S_DONE >> 2] = 0;
  st[S_CUR >> 2] = b.wix;
  st[S_EIP >> 2] = b.eip;
  st[S_EPOCH >> 2] = epoch;
  revalidate(b, c.mem, epoch);
  // (also a block whose first instruction reaches into the next page, which its code page does not
  // keep: the entry is only valid under this epoch, and a write to either page ends that)
  jcPut(b, epoch);
  // through the runtime's one export: calling each translation's own export from JavaScript went
  // through V8's generic JS-to-WebAssembly wrapper (a wrapper is made per export only once it is hot)
  const n = enter(c.slot, budget, 0, b.wix);
  flagsIn(c);
  c.icount = ctx.ic + n;
  c.eip = st[S_EIP >> 2]! >>> 0;
  cpuProfile.jumpCacheExits += st[S_JC_EXITS >> 2]!;
  st[S_JC_EXITS >> 2] = 0;
}
/** The block runTranslated() ran last. */
export function lastTranslated(c: CPU): Block {
  return translated[c.st[S_CUR >> 2]!]!;
}
/** After a fault thrown out of runTranslated(): the CPU's flags back, and the block and the icount it began at. */
export function translatedFault(c: CPU): { block: Block; icount: number } {
  flagsIn(c);
  return { block: lastTranslated(c), icount: icNow(c) };
}


applyV8Flags();
/**
 * The runtime module (its `go` enters translations, `cond` evaluates a slot's condition codes,
 * `next` finds where an exit goes) and what translations import, made when first needed: a
 * program too short to have blocks translated never needs them (making them took some 2 ms of
 * every start).
 */
let rt: { imports: WebAssembly.Imports } | undefined;
function runtimeOf(): NonNullable<typeof rt> {
  if (!rt) {
    // (under the translations' tiering budget: `next` runs at every exit that is not linked)
    const runtime = new WebAssembly.Instance(compileTranslation(runtimeModule()), { e: { m: memory, t: table } }).exports;
    rt = { imports: { e: { m: memory, slow, exec, cond: runtime.cond, next: runtime.next, x87: runtime.x87, x87cmp: runtime.x87cmp, x87ld: runtime.x87ld, x87st: runtime.x87st, x87ist: runtime.x87ist, x87rnd: runtime.x87rnd, x87tr: x87TransMissing } } };
    enter = runtime.go as typeof enter;
  }
  return rt;
}
/** What translations import as x87tr until one calls it (withX87Trans): never called. */
function x87TransMissing(): number {
  throw new Error('x87tr called before its module was made');
}
/** The x87TransFn module, made (once) before the first translation that calls it is instantiated. */
function withX87Trans(): void {
  const e = runtimeOf().imports.e!;
  if (e.x87tr !== x87TransMissing) return;
  e.x87tr = new WebAssembly.Instance(compileTranslation(x87TransModule()), { e: { m: memory } }).exports.x87tr!;
}
/** Enter the translation of table index wix: (the CPU's slot, budget, instructions retired before, wix) -> instructions retired in all */
let enter = (st: number, budget: number, done: number, wix: number): number => {
  runtimeOf(); // which puts the runtime's own export here
  return enter(st, budget, done, wix);
};
/** condition cc of a CPU's slot (exported for tests of translated code's flag logic) */
export const slotCond = (st: number, cc: number): number => (runtimeOf().imports.e!.cond as (st: number, cc: number) => number)(st, cc);
/**
 * Translations kept at most: then all are dropped and the blocks still in use
 * are translated again (code that changes keeps making blocks; without this
 * the table and the blocks it holds would only grow).
 */
const MAX_TRANSLATED = 1 << 16;
/**
 * Modules kept at most, likewise: V8 maps each module's code into a region of its own, and a
 * process gets at most vm.max_map_count (65,530) of them; past it V8 ends the process ("Commit wasm
 * code space Allocation failed"). With every block translated at its first run (EMBOX_JIT=1), each
 * its own module, python3's and bash's starts reached 59,000 maps.
 */
const MAX_MODULES = 8192;
let modules = 0;

/**
 * What a module's direct links depend on: the code pages its blocks and the blocks it links to
 * (and the PC thunks it runs in place) were decoded from, by page number; null when one of them
 * is a block no page keeps (an instruction reaching into the next page), whose links hold only
 * under the epoch they were made in. Its two cells (frames.ts MODULE_EPOCHS, from `cell`) hold
 * the code epochs its links hold under, the latest first: two, so that a process and the child it
 * forked (the same code) both keep them while they take turns.
 */
interface ModuleRec { cell: number; pages: Map<number, CodePage> | null }
/** each translation's module, by table index */
const moduleOf: ModuleRec[] = [];
const cells = new Int32Array(memory.buffer, MODULE_EPOCHS, MODULE_CELLS);
if (2 * MAX_MODULES > MODULE_CELLS) throw new Error('frames.ts MODULE_CELLS: two cells for each of MAX_MODULES');

/**
 * The module of the translation b (about to be entered under code epoch ep of space mem) has its
 * links hold under ep too when the code they were made from is the code mem has now: the same
 * decoded pages (pages of the same bytes are shared between spaces: another process of the same
 * program, a forked child, the same program run again). Without this, a program's links held only
 * in the process that translated it: in a busybox shell loop run again (a new process), six
 * million exits a run went through the jump cache instead.
 */
function revalidate(b: Block, mem: AddressSpace, ep: number): void {
  const m = moduleOf[b.wix]!;
  if (cells[m.cell] === ep || cells[m.cell + 1] === ep || m.pages === null) return;
  for (const [p, page] of m.pages) if (mem.codePageIn(p) !== page) return;
  cells[m.cell + 1] = cells[m.cell]!;
  cells[m.cell] = ep;
}

/** Forget every translation (not while translated code runs: the run loop calls compile()). */
export function dropTranslations(): void {
  for (const b of translated) {
    b.wix = -1;
    b.hits = b.queued = 0;
  }
  for (let k = 0; k < translated.length; k++) table.set(k, null);
  translated.length = 0;
  moduleOf.length = 0;
  modules = 0;
  cells.fill(-1);
  for (let k = 0; k < JC_N * 4; k += 4) jc[k + 3] = -1;
}

/** For tools that look at the generated code (scripts/wasm-dump.mjs): called with every module made. */
export const translationHooks: { module: ((bytes: Uint8Array, blocks: readonly Block[], thunks: ReadonlyMap<number, number>) => void) | null } = { module: null };

/**
 * The translation budget: translating (generating, compiling and setting up a
 * module: about 150 microseconds a block, and as much again for V8's compile of each function
 * at its first call: LAZY_COMPILE) must not dominate the run. A
 * program with a lot of warm code (gcc's cc1) spent more time translating
 * blocks run a few hundred times than it saved on them; so while translating
 * takes more than a fifth of the time, blocks must run twice as often before
 * they are translated (up to 64 times the CPU's threshold), and while it takes
 * less than a twentieth, half as often again. The time is taken in windows of
 * at least 100 ms, closed at a compile.
 */
export const translationBudget = { scale: 1, from: 0, ms: 0 };
const MAX_SCALE = 64, WINDOW_MS = 100;
/**
 * What a module costs in all against the time compile() takes: V8 compiles each function of it
 * again, with its baseline compiler, at the function's first call (lazy compilation: the
 * runtime cannot time that, and it cannot be turned off for these modules alone). On gcc's cc1
 * those first calls took 3.4 s against compile()'s 3.0 s (a CPU profile with and without
 * --no-wasm-lazy-compilation); counted once, the budget let 23,215 blocks be translated (35.3 s,
 * peak RSS 761 MiB); counted twice 8,919 (31.2 s, 627 MiB). Since translated code reuses its
 * temporaries (Fn.endInsn) that compile takes about 40% less: on cc1 150 us a block against
 * compile()'s 209 (runTranslated's own time with and without --no-wasm-lazy-compilation); counted
 * 1.7 times, cc1 translated 8,822 and 14,578 blocks in two runs (31.4 and 36.2 s, 626 and 692 MiB)
 * against 9,119 and 8,407 (26.4 and 36.7 s, 631 and 617 MiB): no gain this machine could show,
 * and more memory, so twice it stays.
 */
const LAZY_COMPILE = 2;
function spent(ms: number): void {
  const b = translationBudget, now = performance.now();
  if (b.from === 0) b.from = now - ms;
  b.ms += ms;
  const span = now - b.from;
  if (span < WINDOW_MS) return;
  const share = b.ms / span;
  if (share > 0.2 && b.scale < MAX_SCALE) b.scale *= 2;
  else if (share < 0.05 && b.scale > 1) b.scale /= 2;
  b.from = now;
  b.ms = 0;
}

/**
 * The blocks ending in a call of a PC thunk (`mov reg, [esp]; ret`: how i386 position-independent
 * code learns its address, at the start of most functions), by the call's eip: the thunk's
 * register. Their translations run the thunk's two instructions in place and go on at the
 * return address (wasm.ts), while the code epoch is still this one: the thunk's bytes are
 * checked now, in a private page holding decoded code, whose change gives a new epoch. The
 * return address's block, when a caller ran under this epoch, joins the links. In sqlite3's
 * inserts, half the exits that went through the jump cache were a thunk's returns.
 */
function pcThunks(blocks: Block[], mem: AddressSpace, links: Map<number, Block>, linkable: (t: Block) => boolean, pages: Map<number, CodePage>): Map<number, number> {
  const out = new Map<number, number>();
  for (const b of blocks) {
    const i = b.insns[b.insns.length - 1]!;
    if (i.def?.kind !== 'call' || i.size !== 4) continue;
    const t = mem.codeBytes(i.imm >>> 0, 4);
    // 8b /r with mod 00, rm 100 and SIB 24 ([esp]), reg not esp; then c3
    if (t === null || t[0] !== 0x8b || (t[1]! & 0xc7) !== 0x04 || t[2] !== 0x24 || t[3] !== 0xc3 || (t[1]! >> 3 & 7) === 4) continue;
    out.set(i.eip >>> 0, t[1]! >> 3 & 7);
    pages.set(i.imm >>> 12, mem.codePageIn(i.imm >>> 12)!);
    const back = i.next >>> 0;
    if (b.lep !== mem.codeEpoch || b.page === null || back >>> 12 !== b.eip >>> 12) continue;
    const r = b.page.block(back & 0xfff) as Block | undefined;
    if (r !== undefined && linkable(r)) links.set(back, r);
  }
  return out;
}

/** Translate blocks (one module); each gets its table index `wix`. Throws when WebAssembly refuses the module. */
function compile(blocks: Block[], mem: AddressSpace): void {
  const epoch = mem.codeEpoch;
  if (translated.length + blocks.length > MAX_TRANSLATED || modules >= MAX_MODULES) dropTranslations();
  const cell = 2 * modules++;
  // the blocks get the next table indices (the code names them in its handler calls)
  const base = translated.length;
  const t0 = performance.now();
  // sorted by eip: runs of a page's blocks may share a region (wasm.ts)
  blocks.sort((x, y) => (x.eip >>> 0) - (y.eip >>> 0));
  // exits to the successors the run loop linked under this epoch go straight to them (wasm.ts link)
  // (a block can be linked to when it is translated or in this batch; one translated later is
  // reached through the jump cache: translating the blocks that exit to it again with it, and the
  // blocks linked to those, took a busybox loop's exits through the jump cache from 4.1-6.1 to
  // 4.0-5.5 million in three runs, but its first run 0.2 s longer and its best no shorter)
  const batch = new Set(blocks);
  const linkable = (t: Block): boolean => t.wix >= 0 || batch.has(t);
  const links = new Map<number, Block>();
  for (const b of blocks) {
    if (b.lep !== epoch) continue;
    for (const t of [b.nx, b.tk, ...(b.alt ?? [])]) if (t !== null && linkable(t)) links.set(t.eip >>> 0, t);
  }
  let pages: Map<number, CodePage> | null = new Map();
  const thunks = pcThunks(blocks, mem, links, linkable, pages);
  for (const b of [...blocks, ...links.values()]) {
    if (b.page === null) pages = null;
    else pages?.set(b.eip >>> 12, b.page);
  }
  const imported: number[] = [];
  const bytes = assemble(blocks, base, links, epoch, imported, thunks, MODULE_EPOCHS + 4 * cell);
  translationHooks.module?.(bytes, blocks, thunks);
  const l: Record<string, unknown> = {};
  imported.forEach((wix, j) => { l[`f${j}`] = table.get(wix); });
  // the Node CLI has V8 validate a module's functions only when they are first called
  // (--wasm-lazy-validation, v8-flags.ts): a module refused then would fail in the middle of a run
  if (!WebAssembly.validate(bytes)) throw new WebAssembly.CompileError('WebAssembly.validate refused the module');
  if (blocks.some((b) => b.insns.some((i) => transOp(i) >= 0))) withX87Trans();
  const inst = new WebAssembly.Instance(compileTranslation(bytes), { ...runtimeOf().imports, l });
  if (base + blocks.length > table.length) table.grow(Math.max(table.length, blocks.length));
  const rec: ModuleRec = { cell, pages };
  cells[cell] = epoch;
  cells[cell + 1] = -1;
  blocks.forEach((b, k) => {
    b.wix = base + k;
    table.set(b.wix, inst.exports[`b${k}`]);
    translated.push(b);
    moduleOf.push(rec);
  });
  const ms = performance.now() - t0;
  spent(ms * LAZY_COMPILE);
  cpuProfile.wasmModules++;
  cpuProfile.wasmBlocks += blocks.length;
  cpuProfile.wasmBytes += bytes.length;
  cpuProfile.wasmMs += ms;
}

/**
 * Blocks compiled together into one WebAssembly module (its fixed cost is shared by them: V8
 * sets up each module's code space and compiles it as a whole). Batches are not cut short at the
 * end of a time slice: gcc's cc1, whose slices each ended with a few blocks queued, made
 * modules of 8 blocks at 470 microseconds a block; in batches of 64, 120 microseconds, so the
 * translation budget let twice as many blocks be translated (interpreted instructions 31% ->
 * 16%, the run 43 -> 27 s on a loaded machine).
 */
const BATCH = 64;
/** Blocks waiting for their translation (compiled when BATCH are there, or by compileQueued()) */
const queued: Block[] = [];
let broken = false;

/**
 * Queue block b for translation (compiled at once with `now`); false when
 * WebAssembly translation has failed before (the caller translates otherwise).
 */
const STRICT = typeof process !== 'undefined' && process.env.EMBOX_WASM_STRICT === '1';
export function queueTranslation(b: Block, now: boolean, mem: AddressSpace): boolean {
  if (broken) return false;
  queued.push(b);
  if (queued.length >= BATCH || now) compileQueued(mem);
  return true;
}
/** Compile the queued blocks (not while translated code runs), for the space running (its code epoch, its bytes). */
export function compileQueued(mem: AddressSpace): void {
  if (queued.length === 0) return;
  const list = queued.splice(0);
  try {
    compile(list, mem);
  } catch (e) {
    // tests ask for translation bugs to surface (EMBOX_WASM_STRICT=1)
    if (STRICT) throw e;
    // a bug must not stop the guest: these blocks stay interpreted (and may get a JavaScript translation)
    if (!broken) console.error(`cpu: WebAssembly translation failed, blocks stay interpreted: ${e instanceof Error ? e.message : String(e)}`);
    broken = true;
  }
}
