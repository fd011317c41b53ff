// The x87's square root, remainder, scaling, classification and transcendental instructions for
// translated code, in a module of their own (wasm.ts x87TransModule, made at the first
// translation that calls it): fsqrt, fprem and fscale exactly on 64-bit integers, fxam; fsin,
// fcos, fpatan, fyl2x, fyl2xp1 and f2xm1 by fpu-trans.ts's double-double fast paths (the same
// tables, constants, polynomials and error bound, written once more as WebAssembly f64 code
// below), rounded as float80.ts's roundDD rounds. Each takes what those take (normal operands in
// the usual ranges, every exception masked, rounding to nearest where it rounds, no exception
// pending, no MMX state) and declines everything else, a rounding the error bound leaves
// undecided included: the FPU's handler then runs (fpu.ts), so a result given here is the one
// the exact paths give.
import type { Insn } from './decode.js';
import { OP } from './wasm-encode.js';
import { RUNTIME_DATA } from './frames.js';
import { S_MMX, S_X87 } from './wasm-layout.js';
import { DD_ERR_UNITS } from './float80.js';
import { DD_CONSTS as D } from './fpu-trans.js';
import { TAB_SIN, TAB_COS, TAB_ATAN, TAB_LOG2, TAB_EXPM1 } from './fpu-tables.js';
import {
  Asm, I64, S64, EQZ64, NE64, LTS64, LTU64, GTU64, GES64, EQ64, ADD64, SUB64, AND64, OR64, SHL64, SHRU64, WRAP, EXTU,
  ES, C1, PE, W_SW, W_TOP, W_EMPTY, W_CW, div128, loadReg, mul128, precisionDrop, statusAfter, CLZ64,
} from './wasm-x87.js';

const F64 = 0x7c, I32 = 0x7f;
const FADD = 0xa0, FSUB = 0xa1, FMUL = 0xa2, FDIV = 0xa3, FNEG = 0x9a, FABS = 0x99, FFLOOR = 0x9c, FNEAREST = 0x9e,
  FSQRT = 0x9f, FMIN = 0xa4, FLT = 0x63, FGT = 0x64, FLOAD = 0x2b;
const CVT_I32_U = 0xb8, CVT_I32_S = 0xb7, CVT_I64_S = 0xb9, CVT_I64_U = 0xba, TRUNC_I32_S = 0xaa, TRUNC_I64_S = 0xb0,
  TRUNC_I64_U = 0xb1, I64_OF_F64 = 0xbd, F64_OF_I64 = 0xbf;
const C2 = 0x400, BIAS = 16383;

/** x87TransFn's operations (its argument): those up to TR_F2XM1 round to nearest only */
export const TR_FSIN = 0, TR_FCOS = 1, TR_FPATAN = 2, TR_FYL2X = 3, TR_FSQRT = 4, TR_F2XM1 = 5, TR_FXAM = 6, TR_FSCALE = 7,
  TR_FYL2XP1 = 8, TR_FPREM = 9;

/** The tables in the memory at RUNTIME_DATA (the runtime module's data segment), as f64 offsets. */
const TABLES = [TAB_SIN, TAB_COS, TAB_ATAN, TAB_LOG2, TAB_EXPM1];
const T_SIN = 0, T_COS = T_SIN + TAB_SIN.length, T_ATAN = T_COS + TAB_COS.length, T_LOG2 = T_ATAN + TAB_ATAN.length;
const T_EXPM1 = T_LOG2 + TAB_LOG2.length;
/** The runtime module's data: the fast paths' tables, at RUNTIME_DATA. */
export function x87TableData(): Uint8Array {
  const all = new Float64Array(T_EXPM1 + TAB_EXPM1.length);
  let at = 0;
  for (const t of TABLES) { all.set(t, at); at += t.length; }
  return new Uint8Array(all.buffer);
}

/** An f64 operand: a local, a constant ({ k }) or code that leaves one on the stack. */
type E = number | { k: number } | (() => void);
type DD = [number, number];

/** f64 code as expressions over locals: the double-double operations of dd.ts, operation for operation. */
class F {
  constructor(readonly a: Asm) {}
  x(e: E): void {
    if (typeof e === 'number') this.a.get(e);
    else if (typeof e === 'function') e();
    else this.a.o(0x44, ...new Uint8Array(new Float64Array([e.k]).buffer));
  }
  let(e: E): number { const l = this.a.local(F64); this.x(e); this.a.set(l); return l; }
  private bin = (op: number) => (p: E, q: E): E => () => { this.x(p); this.x(q); this.a.o(op); };
  add = this.bin(FADD); sub = this.bin(FSUB); mul = this.bin(FMUL); div = this.bin(FDIV);
  neg = (p: E): E => () => { this.x(p); this.a.o(FNEG); };
  /** cond (an i32 on the stack) ? p : q */
  sel = (p: E, q: E, cond: () => void): E => () => { this.x(p); this.x(q); cond(); this.a.o(OP.select); };
  twoSum(p: E, q: E): DD {
    const a = this.let(p), b = this.let(q);
    const s = this.let(this.add(a, b)), bb = this.let(this.sub(s, a));
    return [s, this.let(this.add(this.sub(a, this.sub(s, bb)), this.sub(b, bb)))];
  }
  twoProd(p: E, q: E): DD {
    const a = this.let(p), b = this.let(q);
    const split = (v: number): DD => {
      const t = this.let(this.mul({ k: 134217729 }, v));
      const h = this.let(this.sub(t, this.sub(t, v)));
      return [h, this.let(this.sub(v, h))];
    };
    const pr = this.let(this.mul(a, b));
    const [ah, al] = split(a), [bh, bl] = split(b);
    const m = this.mul;
    return [pr, this.let(this.add(this.add(this.add(this.sub(m(ah, bh), pr), m(ah, bl)), m(al, bh)), m(al, bl)))];
  }
  dmul(ah: E, al: E, bh: E, bl: E): DD {
    const [p, pe] = this.twoProd(ah, bh);
    const e = this.let(this.add(pe, this.add(this.mul(ah, bl), this.mul(al, bh))));
    const s = this.let(this.add(p, e));
    return [s, this.let(this.sub(e, this.sub(s, p)))];
  }
  dadd(ah: E, al: E, bh: E, bl: E): DD {
    const [s0, e0] = this.twoSum(ah, bh);
    const [t, f] = this.twoSum(al, bl);
    const e1 = this.let(this.add(e0, t));
    const h = this.let(this.add(s0, e1));
    const e2 = this.let(this.add(this.sub(e1, this.sub(h, s0)), f));
    const s = this.let(this.add(h, e2));
    return [s, this.let(this.sub(e2, this.sub(s, h)))];
  }
  ddiv(ah: E, al: E, bh: E, bl: E): DD {
    const q1 = this.let(this.div(ah, bh));
    let [p, pl] = this.dmul(bh, bl, q1, { k: 0 });
    let [r, rl] = this.dadd(ah, al, this.neg(p), this.neg(pl));
    const q2 = this.let(this.div(r, bh));
    [p, pl] = this.dmul(bh, bl, q2, { k: 0 });
    [r] = this.dadd(r, rl, this.neg(p), this.neg(pl));
    const q3 = this.let(this.div(r, bh));
    const h = this.let(this.add(q1, q2));
    const e = this.let(this.add(this.sub(q2, this.sub(h, q1)), q3));
    const s = this.let(this.add(h, e));
    return [s, this.let(this.sub(e, this.sub(s, h)))];
  }
  /** u + u s (c1 + s (c2 + t)): fpu-trans.ts oddPoly */
  oddPoly(u: DD, s: DD, c1h: number, c1l: number, c2h: number, c2l: number, t: E): DD {
    let [h, l] = this.dadd({ k: c2h }, { k: c2l }, t, { k: 0 });
    [h, l] = this.dmul(s[0], s[1], h, l);
    [h, l] = this.dadd({ k: c1h }, { k: c1l }, h, l);
    [h, l] = this.dmul(s[0], s[1], h, l);
    [h, l] = this.dmul(u[0], u[1], h, l);
    return this.dadd(u[0], u[1], h, l);
  }
  /** 2^n for the i32 local n (-1022 <= n <= 1023) */
  pow2(n: () => void): E {
    return () => { n(); this.a.c(1023).o(OP.add).o(EXTU).c64(52).o(SHL64).o(F64_OF_I64); };
  }
  /** a table's pair j (an f64 local holding an integer) */
  tab(table: number, j: number): DD {
    const at = this.a.local(I32);
    this.a.get(j).o(TRUNC_I32_S).c(4).o(OP.shl).set(at);
    const ld = (off: number): E => () => { this.a.get(at).o(FLOAD, 3); this.a.code.push(...uleb32(RUNTIME_DATA + 8 * table + off)); };
    return [this.let(ld(0)), this.let(ld(8))];
  }
  /** the significand m (an i64 local) as a double-double in [1, 2): fpu-trans.ts sigDD */
  sig(m: number): DD {
    const top = this.let(() => { this.a.get(m).c64(~0x7ff).o(AND64).o(CVT_I64_U); });
    const low = this.let(() => { this.a.get(m).c64(0x7ff).o(AND64).o(CVT_I64_U); });
    return [this.let(this.mul(top, { k: 2 ** -63 })), this.let(this.mul(low, { k: 2 ** -63 }))];
  }
}

function uleb32(v: number): number[] {
  const out: number[] = [];
  do { let b = v & 0x7f; v >>>= 7; if (v) b |= 0x80; out.push(b); } while (v);
  return out;
}

/**
 * (h + l) * 2^ex (ex an i32 local) rounded to 64 bits, to nearest, into the register at slot
 * address `at`, the status word's PE and C1 set (and C2 cleared when clearC2): float80.ts's
 * roundDD for 64-bit precision; returns 0 from the function where that one returns null.
 */
function roundDD(f: F, h0: E, l0: E, ex: number, at: number, sw: number, clearC2: boolean): void {
  const a = f.a, Z = { k: 0 };
  const s = a.local(I32), E = a.local(I32), up = a.local(I32), be = a.local(I32), bits = a.local(I64), m = a.local(I64);
  const h = f.let(h0), l = f.let(l0);
  f.x(h); f.x(Z); a.o(FLT).tee(s).if_();
  f.x(f.neg(h)); a.set(h); f.x(f.neg(l)); a.set(l);
  a.o(OP.end);
  f.x(h); f.x(Z); a.o(FGT).o(OP.eqz).ret0();
  a.get(h).o(I64_OF_F64).tee(bits).c64(52).o(SHRU64).o(WRAP).c(0x7ff).o(OP.and).c(1023).o(OP.sub).set(E);
  // (below -960, 2^(63 - E) would not be a double)
  a.get(E).c(-960).o(OP.lts).get(E).c(1000).o(OP.gts).o(OP.or).ret0();
  // 2^k minus something: one binade lower
  a.get(bits).c64(-1).c64(12).o(SHRU64).o(AND64).o(EQZ64); f.x(l); f.x(Z); a.o(FLT).o(OP.and);
  a.if_().get(E).c(1).o(OP.sub).set(E).o(OP.end);
  const sc = f.let(f.pow2(() => { a.c(63).get(E).o(OP.sub); }));
  const H = f.let(f.mul(h, sc)), L = f.let(f.mul(l, sc));
  const fl = f.let(() => { f.x(L); a.o(FFLOOR); }), fr = f.let(f.sub(L, fl));
  // the significand: H (in [2^63, 2^64], exact) plus floor(L), wrapping
  f.x(f.sub(H, { k: 2 ** 63 })); a.o(TRUNC_I64_U).c64(1).c64(63).o(SHL64).o(ADD64);
  a.get(fl).o(TRUNC_I64_S).o(ADD64).set(m);
  // too close to an integer (exactness) or to a half (the rounding): undecided
  f.x(fr); f.x({ k: DD_ERR_UNITS }); a.o(FLT);
  f.x(fr); f.x({ k: 1 - DD_ERR_UNITS }); a.o(FGT).o(OP.or);
  f.x(f.sub(fr, { k: 0.5 })); a.o(FABS); f.x({ k: DD_ERR_UNITS }); a.o(FLT).o(OP.or);
  a.ret0();
  f.x(fr); f.x({ k: 0.5 }); a.o(FGT).set(up);
  a.get(m).get(up).o(EXTU).o(ADD64).tee(m).o(EQZ64).if_();
  a.c64(1).c64(63).o(SHL64).set(m).get(E).c(1).o(OP.add).set(E);
  a.o(OP.end);
  a.get(E).get(ex).o(OP.add).c(BIAS).o(OP.add).tee(be).c(1).o(OP.sub).c(0x7ffe).o(OP.geu).ret0();
  a.get(at).get(m).m(S64, S_X87);
  a.get(at).get(s).c(15).o(OP.shl).get(be).o(OP.or).m(OP.store, S_X87 + 8);
  a.get(0).get(sw).c(clearC2 ? ~(C1 | C2) : ~C1).o(OP.and).c(PE).o(OP.or).get(up).c(C1).o(OP.mul).o(OP.or).m(OP.store, W_SW);
}

/**
 * x87TransFn(st, op): fsin, fcos (ST(0)), fpatan, fyl2x, fyl2xp1 (ST(1), popping), fsqrt, f2xm1, fscale, fprem
 * (ST(0)) or fxam (TR_*), as fpu.ts's handlers compute them for normal operands with every
 * exception masked, rounding to nearest (fsqrt: to the precision control's bits; the others
 * ignore it, as the x87 does), no exception pending, no MMX state: 1 when done; 0, nothing changed,
 * for the rest (the handler runs then).
 */
export function x87TransFn(): number[] {
  const a = new Asm(2), ST = 0, OPN = 1, f = new F(a);
  const i32 = (): number => a.local(I32), i64 = (): number => a.local(I64);
  const sw = i32(), top = i32(), empty = i32(), at0 = i32(), at1 = i32(), xs = i32(), xe = i32(), ys = i32(), ye = i32(), ti = i32(), cw = i32();
  const xm = i64(), ym = i64();
  a.get(ST).m(OP.load, S_MMX);
  a.get(ST).m(OP.load, W_SW).tee(sw).c(ES).o(OP.and).o(OP.or);
  a.get(ST).m(OP.load, W_CW).tee(cw).c(0x3f).o(OP.and).c(0x3f).o(OP.ne).o(OP.or);
  // (to nearest)
  a.get(OPN).c(TR_F2XM1).o(OP.leu).get(OPN).c(TR_FYL2XP1).o(OP.eq).o(OP.or).get(cw).c(0xc00).o(OP.and).c(0).o(OP.ne).o(OP.and);
  a.o(OP.or).ret0();
  a.get(ST).m(OP.load, W_TOP).set(top);
  a.get(ST).m(OP.load, W_EMPTY).set(empty);
  a.get(ST).get(top).c(4).o(OP.shl).o(OP.add).set(at0);
  a.get(ST).get(top).c(1).o(OP.add).c(7).o(OP.and).c(4).o(OP.shl).o(OP.add).set(at1);
  loadReg(a, at0, xm, xs, xe, ti);
  a.get(OPN).c(TR_FXAM).o(OP.eq).if_();
  fxam(a, xs, xe, xm, () => { a.get(empty).get(top).o(OP.shru).c(1).o(OP.and); }, sw);
  a.c(1).o(OP.return);
  a.o(OP.end);
  // ST(0) a normal value (exponent 1..0x7ffe, integer bit set), and ST(1) for the two-operand forms
  a.get(empty).get(top).o(OP.shru).c(1).o(OP.and).ret0();
  const notNormal = (ex: number, m: number): void => { a.get(ex).c(1).o(OP.sub).c(0x7ffe).o(OP.geu).get(m).c64(0).o(GES64).o(OP.or); };
  notNormal(xe, xm); a.ret0();
  const pop = (): void => {
    a.get(ST).get(empty).c(1).get(top).o(OP.shl).o(OP.or).m(OP.store, W_EMPTY);
    a.get(ST).get(top).c(1).o(OP.add).c(7).o(OP.and).m(OP.store, W_TOP);
  };
  const unbiased = (e: number): number => { const u = i32(); a.get(e).c(BIAS).o(OP.sub).set(u); return u; };

  a.get(OPN).c(TR_FSQRT).o(OP.eq).if_();
  sqrt(a, f, xs, xe, xm, at0, sw, cw);
  a.o(OP.end);
  a.get(OPN).c(TR_F2XM1).o(OP.eq).if_();
  f2xm1(a, f, xs, unbiased(xe), xm, at0, sw);
  a.c(1).o(OP.return);
  a.o(OP.end);

  a.get(OPN).c(TR_FPATAN).o(OP.eq).get(OPN).c(TR_FYL2X).o(OP.eq).get(OPN).c(TR_FSCALE).o(OP.eq).get(OPN).c(TR_FYL2XP1).o(OP.eq)
    .get(OPN).c(TR_FPREM).o(OP.eq).o(OP.or, OP.or, OP.or, OP.or).if_();
  {
    a.get(empty).get(top).c(1).o(OP.add).c(7).o(OP.and).o(OP.shru).c(1).o(OP.and).ret0();
    loadReg(a, at1, ym, ys, ye, ti);
    // (fscale by a zero too: 2^0)
    notNormal(ye, ym); a.get(OPN).c(TR_FSCALE).o(OP.eq).get(ye).get(ym).o(WRAP).o(OP.or).get(ym).c64(32).o(SHRU64).o(WRAP).o(OP.or).o(OP.eqz).o(OP.and).o(OP.eqz).o(OP.and); a.ret0();
    a.get(OPN).c(TR_FSCALE).o(OP.eq).if_();
    fscale(a, xs, xe, ys, unbiased(ye), ym, at0, sw);
    a.c(1).o(OP.return);
    a.o(OP.end);
    a.get(OPN).c(TR_FPREM).o(OP.eq).if_();
    fprem(a, xs, xe, xm, ye, ym, at0, sw);
    a.c(1).o(OP.return);
    a.o(OP.end);
    a.get(OPN).c(TR_FPATAN).o(OP.eq).if_();
    fpatan(a, f, xs, xe, xm, ys, ye, ym, at1, sw);
    a.o(OP.else).get(OPN).c(TR_FYL2XP1).o(OP.eq).if_();
    fyl2xp1(a, f, xs, unbiased(xe), xm, ys, unbiased(ye), ym, at1, sw);
    a.o(OP.else);
    // log2 x of an x > 0 other than 1
    a.get(xs).get(xe).c(BIAS).o(OP.eq).get(xm).c64(1).c64(63).o(SHL64).o(EQ64).o(OP.and).o(OP.or).ret0();
    fyl2x(a, f, unbiased(xe), xm, ys, unbiased(ye), ym, at1, sw);
    a.o(OP.end, OP.end);
    pop();
    a.c(1).o(OP.return);
  }
  a.o(OP.end);

  trig(a, f, xs, unbiased(xe), xm, at0, sw);
  a.c(1);
  return a.body();
}

/** fxam: the class of ST(0) (its words in s, e, m; `isEmpty` pushes its empty bit) in C3 C2 C0, its sign in C1 (fpu.ts fxam). */
function fxam(a: Asm, s: number, e: number, m: number, isEmpty: () => void, sw: number): void {
  const cc = a.local(I32);
  const C0 = 0x100, C3 = 0x4000, top = (): void => { a.get(m).c64(0).o(LTS64); };
  isEmpty(); a.if_().c(C3 | C0).set(cc);
  a.o(OP.else).get(e).o(OP.eqz).if_();
  // a zero, or a denormal
  a.c(C3).c(C3 | C2).get(m).o(EQZ64).o(OP.select).set(cc);
  a.o(OP.else).get(e).c(0x7fff).o(OP.eq).if_();
  // an infinity or a NaN, or unsupported without the integer bit
  a.c(C2 | C0).c(C0).get(m).c64(1).o(SHL64).o(EQZ64).o(OP.select).c(0); top(); a.o(OP.select).set(cc);
  a.o(OP.else);
  // normal, or unsupported (an unnormal)
  a.c(C2).c(0); top(); a.o(OP.select).set(cc);
  a.o(OP.end, OP.end, OP.end);
  a.get(0).get(sw).c(~(C0 | C1 | C2 | C3)).o(OP.and).get(cc).o(OP.or).get(s).c(C1).o(OP.mul).o(OP.or).m(OP.store, W_SW);
}

/** fscale: ST(0) * 2^n, n = ST(1) (normal or zero) rounded toward zero (y's unbiased exponent ey), exact (fpu.ts scale); past 2^30 or out of range: 0. */
function fscale(a: Asm, xs: number, xe: number, ys: number, ey: number, ym: number, at: number, sw: number): void {
  const n = a.local(I32);
  a.get(ey).c(30).o(OP.gts).ret0();
  a.c(0).set(n);
  // (a zero y: ey is -16383)
  a.get(ey).c(0).o(OP.ges).if_();
  a.get(ym).c(63).get(ey).o(OP.sub).o(EXTU).o(SHRU64).o(WRAP).set(n);
  a.get(ys).if_().c(0).get(n).o(OP.sub).set(n).o(OP.end);
  a.o(OP.end);
  a.get(xe).get(n).o(OP.add).tee(n).c(1).o(OP.sub).c(0x7ffe).o(OP.geu).ret0();
  a.get(at).get(xs).c(15).o(OP.shl).get(n).o(OP.or).m(OP.store, S_X87 + 8);
  a.get(0).get(sw).c(~C1).o(OP.and).m(OP.store, W_SW);
}

/**
 * fprem: ST(0) := the exact remainder of ST(0) by ST(1) (significands xm, ym; biased exponents
 * xe, ye), the quotient truncated, its low three bits in C0 C3 C1 and C2 clear (float80.ts
 * prem); an exponent difference of 64 or more (a partial remainder) or a denormal result: 0.
 */
function fprem(a: Asm, xs: number, xe: number, xm: number, ye: number, ym: number, at: number, sw: number): void {
  const C0 = 0x100, C3 = 0x4000;
  const d = a.local(I32), z = a.local(I32), cc = a.local(I32), q = a.local(I64), r = a.local(I64), hi = a.local(I64), lo = a.local(I64);
  a.get(xe).get(ye).o(OP.sub).tee(d).c(64).o(OP.ges).ret0();
  a.c(0).set(cc);
  // (|x| < |y|: x itself, a quotient of 0)
  a.get(d).c(0).o(OP.ges).if_();
  {
    // xm 2^d (128 bits, the high half below ym) by ym
    a.get(d).o(OP.eqz).if_().c64(0).set(hi).o(OP.else).get(xm).c(64).get(d).o(OP.sub).o(EXTU).o(SHRU64).set(hi).o(OP.end);
    a.get(xm).get(d).o(EXTU).o(SHL64).set(lo);
    div128(a, hi, lo, ym, q, r);
    a.get(r).o(EQZ64).if_();
    // a zero of x's sign
    a.get(at).c64(0).m(S64, S_X87);
    a.get(at).get(xs).c(15).o(OP.shl).m(OP.store, S_X87 + 8);
    a.o(OP.else);
    // r 2^(ey - 63), normalized
    a.get(r).o(CLZ64).o(WRAP).set(z);
    a.get(ye).get(z).o(OP.sub).c(1).o(OP.lts).ret0();
    a.get(at).get(r).get(z).o(EXTU).o(SHL64).m(S64, S_X87);
    a.get(at).get(xs).c(15).o(OP.shl).get(ye).get(z).o(OP.sub).o(OP.or).m(OP.store, S_X87 + 8);
    a.o(OP.end);
    const bit = (n: number, flag: number): void => { a.get(q).o(WRAP).c(n).o(OP.shru).c(1).o(OP.and).c(flag).o(OP.mul); };
    bit(1, C3); bit(0, C1); a.o(OP.or); bit(2, C0); a.o(OP.or).set(cc);
  }
  a.o(OP.end);
  a.get(0).get(sw).c(~(C0 | C1 | C2 | C3)).o(OP.and).get(cc).o(OP.or).m(OP.store, W_SW);
}

/** 2^x - 1 for a normal |x| < 1 (e its unbiased exponent) into ST(0): fpu-trans.ts f2xm1DD, x = j/64 + t. */
function f2xm1(a: Asm, f: F, xs: number, e: number, m: number, at: number, sw: number): void {
  a.get(e).c(0).o(OP.ges).get(e).c(-900).o(OP.lts).o(OP.or).ret0();
  const [sh, sl] = f.sig(m);
  const sc = f.let(f.sel(f.neg(f.pow2(() => a.get(e))), f.pow2(() => a.get(e)), () => a.get(xs)));
  const xh = f.let(f.mul(sh, sc)), xl = f.let(f.mul(sl, sc));
  const j = f.let(() => { f.x(f.mul(xh, { k: 64 })); a.o(FNEAREST); });
  const t = f.twoSum(f.sub(xh, f.div(j, { k: 64 })), xl);
  const z = f.dmul(t[0], t[1], { k: D.LN2_H }, { k: D.LN2_L }), zh = z[0];
  const g = f.add({ k: 1 / 720 }, f.mul(zh, f.add({ k: 1 / 5040 }, f.mul(zh, f.add({ k: 1 / 40320 }, f.mul(zh,
    f.add({ k: 1 / 362880 }, f.mul(zh, f.add({ k: 1 / 3628800 }, f.div(zh, { k: 39916800 }))))))))));
  let h = f.dadd({ k: D.R120H }, { k: D.R120L }, f.mul(zh, g), { k: 0 });
  h = f.dmul(z[0], z[1], h[0], h[1]);
  h = f.dadd({ k: D.R24H }, { k: D.R24L }, h[0], h[1]);
  h = f.dmul(z[0], z[1], h[0], h[1]);
  h = f.dadd({ k: D.R6H }, { k: D.R6L }, h[0], h[1]);
  h = f.dmul(z[0], z[1], h[0], h[1]);
  h = f.dadd({ k: 0.5 }, { k: 0 }, h[0], h[1]);
  h = f.dmul(z[0], z[1], h[0], h[1]);
  h = f.dmul(z[0], z[1], h[0], h[1]);
  h = f.dadd(z[0], z[1], h[0], h[1]); // expm1(z)
  // 2^x - 1 = T + (1 + T) expm1(z), T = 2^(j/64) - 1 (0 for j = 0)
  const jx = f.let(f.add(j, { k: 64 }));
  const [T, Tl] = f.tab(T_EXPM1, jx);
  const p = f.dmul(T, Tl, h[0], h[1]);
  h = f.dadd(h[0], h[1], p[0], p[1]);
  h = f.dadd(T, Tl, h[0], h[1]);
  roundDD(f, h[0], h[1], zero(a), at, sw, false);
}

/** fsin (op TR_FSIN) or fcos of ST(0): fpu-trans.ts trigDD, arguments below 2^20 (else 0). */
function trig(a: Asm, f: F, xs: number, e: number, m: number, at: number, sw: number): void {
  const q = a.local(I32);
  const rh = a.local(F64), rl = a.local(F64);
  a.get(e).c(-900).o(OP.lts).get(e).c(19).o(OP.gts).o(OP.or).ret0();
  a.get(e).c(-1).o(OP.lts).if_();
  {
    const [h, l] = f.sig(m), sc = f.let(f.pow2(() => a.get(e)));
    f.x(f.mul(h, sc)); a.set(rh); f.x(f.mul(l, sc)); a.set(rl);
    a.c(0).set(q);
  }
  a.o(OP.else);
  {
    // |x| in units of 2^-65 as three 32-bit limbs, r = X - k pi/2 exactly (k < 2^21: the products stay below 2^53)
    const lo = a.local(I32), hi = a.local(I32), sh = a.local(I32);
    a.get(m).o(WRAP).set(lo); a.get(m).c64(32).o(SHRU64).o(WRAP).set(hi);
    a.get(e).c(2).o(OP.add).set(sh);
    const x0 = f.let(() => { a.get(lo).get(sh).o(OP.shl).o(CVT_I32_U); });
    const x1 = f.let(() => { a.get(hi).get(sh).o(OP.shl).get(lo).c(32).get(sh).o(OP.sub).o(OP.shru).o(OP.or).o(CVT_I32_U); });
    const x2 = f.let(() => { a.get(hi).c(32).get(sh).o(OP.sub).o(OP.shru).o(CVT_I32_U); });
    const k = f.let(() => {
      a.get(m).o(CVT_I64_U); f.x(f.pow2(() => { a.get(e).c(63).o(OP.sub); })); a.o(FMUL);
      f.x({ k: 2 / Math.PI }); a.o(FMUL, FNEAREST);
    });
    const T32 = { k: 4294967296 };
    const c = a.local(F64), cr = a.local(F64), r0 = a.local(F64), A = a.local(F64), ap = a.local(F64);
    a.o(OP.loop, 0x40);
    f.x(f.sub(x0, f.mul(k, { k: D.PH0 }))); a.set(c);
    f.x(f.div(c, T32)); a.o(FFLOOR).set(cr);
    f.x(f.sub(c, f.mul(cr, T32))); a.set(r0);
    f.x(f.add(f.sub(x1, f.mul(k, { k: D.PH1 })), cr)); a.set(c);
    const cr2 = f.let(() => { f.x(f.div(c, T32)); a.o(FFLOOR); });
    const r1 = f.let(f.sub(c, f.mul(cr2, T32)));
    const r2 = f.let(f.add(f.sub(x2, f.mul(k, { k: D.PH2 })), cr2));
    f.x(f.add(f.mul(r2, { k: 18446744073709551616 }), f.mul(r1, T32))); a.set(A);
    f.x(f.add(A, r0)); a.set(ap);
    a.get(ap); f.x({ k: D.PH_HALF }); a.o(FGT).if_();
    f.x(f.add(k, { k: 1 })); a.set(k).o(OP.br, 1);
    a.o(OP.end);
    a.get(ap); f.x({ k: -D.PH_HALF }); a.o(FLT).if_();
    f.x(f.sub(k, { k: 1 })); a.set(k).o(OP.br, 1);
    a.o(OP.end);
    a.o(OP.end);
    a.get(k).o(TRUNC_I32_S).c(3).o(OP.and).set(q);
    const [h, l] = f.twoSum(A, r0);
    f.x(f.mul(h, { k: 2 ** -65 })); a.set(rh); f.x(f.mul(l, { k: 2 ** -65 })); a.set(rl);
  }
  a.o(OP.end);
  // r < 0: the sine of -r, negated
  const rneg = a.local(I32);
  a.get(rh).c(0).o(CVT_I32_S).o(FLT).set(rneg);
  const ph = f.let(f.sel(f.neg(rh), rh, () => a.get(rneg))), pl = f.let(f.sel(f.neg(rl), rl, () => a.get(rneg)));
  const [sh0, sl0, ch, cl] = sinCos(f, ph, pl);
  const sh = f.let(f.sel(f.neg(sh0), sh0, () => a.get(rneg))), sl = f.let(f.sel(f.neg(sl0), sl0, () => a.get(rneg)));
  // of r + q pi/2: sin is (sin, cos, -sin, -cos) by quadrant, cos (cos, -sin, -cos, sin); then of -x
  // (q + op: the quadrant of sin(x + op pi/2), which is cos x for fcos)
  const odd = (): void => { a.get(q).get(1).o(OP.add).c(1).o(OP.and); };
  const vh = f.let(f.sel(ch, sh, odd)), vl = f.let(f.sel(cl, sl, odd));
  const negate = a.local(I32);
  a.get(q).get(1).o(OP.add).c(2).o(OP.and).c(0).o(OP.ne);
  a.get(xs).get(1).o(OP.eqz).o(OP.and).o(OP.xor).set(negate);
  roundDD(f, f.sel(f.neg(vh), vh, () => a.get(negate)), f.sel(f.neg(vl), vl, () => a.get(negate)), zero(a), at, sw, true);
}

function zero(a: Asm): number { const z = a.local(I32); a.c(0).set(z); return z; }

/** sin and cos of 0 <= r <= pi/4 (a little more is fine): fpu-trans.ts sinCosDD, both always. */
function sinCos(f: F, rh: number, rl: number): [number, number, number, number] {
  const j = f.let(() => { f.x(f.mul(rh, { k: 64 })); f.a.o(FNEAREST); });
  const t = f.twoSum(f.sub(rh, f.div(j, { k: 64 })), rl);
  const s = f.dmul(t[0], t[1], t[0], t[1]);
  const st = f.oddPoly(t, s, -D.R6H, -D.R6L, D.R120H, D.R120L, f.mul(s[0], f.add({ k: -1 / 5040 }, f.mul(s[0], f.sub({ k: 1 / 362880 }, f.div(s[0], { k: 39916800 }))))));
  let [h, l] = f.dadd({ k: D.R24H }, { k: D.R24L }, f.mul(s[0], f.add({ k: -1 / 720 }, f.mul(s[0], f.add({ k: 1 / 40320 }, f.mul(s[0], f.add({ k: -1 / 3628800 }, f.div(s[0], { k: 479001600 }))))))), { k: 0 });
  [h, l] = f.dmul(s[0], s[1], h, l);
  [h, l] = f.dadd({ k: -0.5 }, { k: 0 }, h, l);
  const cm = f.dmul(s[0], s[1], h, l); // cos t - 1
  const [sa, sal] = f.tab(T_SIN, j), [ca, cal] = f.tab(T_COS, j);
  // sin(a + t) = sa + (sa (cos t - 1) + ca sin t), cos(a + t) = ca + (ca (cos t - 1) - sa sin t)
  let x = f.dmul(sa, sal, cm[0], cm[1]), y = f.dmul(ca, cal, st[0], st[1]);
  let z = f.dadd(x[0], x[1], y[0], y[1]);
  const sn = f.dadd(sa, sal, z[0], z[1]);
  x = f.dmul(ca, cal, cm[0], cm[1]); y = f.dmul(sa, sal, st[0], st[1]);
  z = f.dadd(x[0], x[1], f.neg(y[0]), f.neg(y[1]));
  const cs = f.dadd(ca, cal, z[0], z[1]);
  return [sn[0], sn[1], cs[0], cs[1]];
}

/** atan2(y = ST(1), x = ST(0)) into ST(1): fpu-trans.ts fpatanDD and atanDD. */
function fpatan(a: Asm, f: F, xs: number, xe: number, xm: number, ys: number, ye: number, ym: number, at: number, sw: number): void {
  const xBig = a.local(I32), d = a.local(I32), bm = a.local(I64), sm = a.local(I64);
  a.get(xe).get(ye).o(OP.gtu).get(xe).get(ye).o(OP.eq).get(xm).get(ym).o(0x5a /* i64.ge_u */).o(OP.and).o(OP.or).set(xBig);
  a.get(xm).get(ym).get(xBig).o(OP.select).set(bm);
  a.get(ym).get(xm).get(xBig).o(OP.select).set(sm);
  a.get(ye).get(xe).get(xBig).o(OP.select).get(xe).get(ye).get(xBig).o(OP.select).o(OP.sub).tee(d).c(-900).o(OP.lts).ret0();
  const [bh, bl] = f.sig(bm), [s0, s1] = f.sig(sm), sc = f.let(f.pow2(() => a.get(d)));
  const sh = f.let(f.mul(s0, sc)), sl = f.let(f.mul(s1, sc));
  // q = s/b = j/128 + ...: atan q = atan(j/128) + atan(u), u = (s - c b)/(b + c s), c = j/128
  const j = f.let(() => { f.x(f.mul(f.div(sh, bh), { k: 128 })); a.o(FNEAREST); });
  const c = f.let(f.div(j, { k: 128 }));
  let n = f.dmul(bh, bl, f.neg(c), { k: 0 });
  n = f.dadd(sh, sl, n[0], n[1]);
  let dn = f.dmul(sh, sl, c, { k: 0 });
  dn = f.dadd(bh, bl, dn[0], dn[1]);
  const u = f.ddiv(n[0], n[1], dn[0], dn[1]);
  const s2 = f.dmul(u[0], u[1], u[0], u[1]), q = s2[0];
  let h = f.oddPoly(u, s2, -D.R3H, -D.R3L, D.R5H, D.R5L,
    f.mul(q, f.add({ k: -1 / 7 }, f.mul(q, f.add({ k: 1 / 9 }, f.mul(q, f.add({ k: -1 / 11 }, f.div(q, { k: 13 }))))))));
  const [th, tl] = f.tab(T_ATAN, j);
  h = f.dadd(th, tl, h[0], h[1]);
  // y larger: pi/2 - that; x negative: pi - that; y negative: negated
  const pick = (alt: DD, cond: () => void): DD => [f.let(f.sel(alt[0], h[0], cond)), f.let(f.sel(alt[1], h[1], cond))];
  h = pick(f.dadd({ k: D.PIO2_H }, { k: D.PIO2_L }, f.neg(h[0]), f.neg(h[1])), () => { a.get(xBig).o(OP.eqz); });
  h = pick(f.dadd({ k: D.PI_H }, { k: D.PI_L }, f.neg(h[0]), f.neg(h[1])), () => a.get(xs));
  h = pick([f.let(f.neg(h[0])), f.let(f.neg(h[1]))], () => a.get(ys));
  roundDD(f, h[0], h[1], zero(a), at, sw, false);
}

/** log2 c_j + 2 atanh(d / S) log2 e for d = m - c_j, S = m + c_j (j an f64 local; c_128 = 1): fpu-trans.ts log2U. */
function log2U(f: F, d: DD, S: DD, j: number): DD {
  const u = f.ddiv(d[0], d[1], S[0], S[1]);
  const s = f.dmul(u[0], u[1], u[0], u[1]), q = s[0];
  let h = f.oddPoly(u, s, D.R3H, D.R3L, D.R5H, D.R5L, f.mul(q, f.add({ k: 1 / 7 }, f.mul(q, f.add({ k: 1 / 9 }, f.div(q, { k: 11 }))))));
  h = f.dmul(h[0], h[1], { k: D.L2E2_H }, { k: D.L2E2_L });
  // (entry 128 is 0)
  const [th, tl] = f.tab(T_LOG2, j);
  return f.dadd(th, tl, h[0], h[1]);
}
/** log2 m for a double-double m in [0.70, 1.42], m = c (1 + ...), c = j/128: fpu-trans.ts log2DD. */
function log2DD(f: F, mh: number, ml: number): DD {
  const j = f.let(() => { f.x(f.mul(mh, { k: 128 })); f.a.o(FNEAREST); });
  const c = f.let(f.div(j, { k: 128 }));
  const d = f.twoSum(f.sub(mh, c), ml);
  const S = f.dadd(mh, ml, c, { k: 0 });
  return log2U(f, d, S, j);
}
/** h * y (y's significand ym, sign ys, unbiased exponent ey) rounded into the register at `at`: fpu-trans.ts yTimes. */
function yTimes(f: F, h: DD, ys: number, ey: number, ym: number, at: number, sw: number): void {
  const a = f.a, [yh, yl] = f.sig(ym);
  const p = f.dmul(h[0], h[1], yh, yl);
  roundDD(f, f.sel(f.neg(p[0]), p[0], () => a.get(ys)), f.sel(f.neg(p[1]), p[1], () => a.get(ys)), ey, at, sw, false);
}

/** E + log2 m for m (a double-double in [1, 2)) times 2^E (E an i32 local, changed): m halved into [0.70, 1.42] first. */
function log2Scaled(f: F, mh0: number, ml0: number, E: number): DD {
  const a = f.a, big = a.local(I32);
  f.x(mh0); f.x({ k: Math.SQRT2 }); a.o(FGT).tee(big).get(E).o(OP.add).set(E);
  const mh = f.let(f.sel(f.mul(mh0, { k: 0.5 }), mh0, () => a.get(big))), ml = f.let(f.sel(f.mul(ml0, { k: 0.5 }), ml0, () => a.get(big)));
  const h = log2DD(f, mh, ml);
  return f.dadd(() => { a.get(E).o(CVT_I32_S); }, { k: 0 }, h[0], h[1]);
}

/** y * log2(x) into ST(1) for x = ST(0) > 0, x != 1 (E its unbiased exponent), y = ST(1) (ey its): fpu-trans.ts fyl2xDD. */
function fyl2x(a: Asm, f: F, E: number, xm: number, ys: number, ey: number, ym: number, at: number, sw: number): void {
  const [mh0, ml0] = f.sig(xm);
  yTimes(f, log2Scaled(f, mh0, ml0, E), ys, ey, ym, at, sw);
}

/** y * log2(1 + x) into ST(1) for a normal x > -1 (e its unbiased exponent), y = ST(1): fpu-trans.ts fyl2xp1DD. */
function fyl2xp1(a: Asm, f: F, xs: number, e: number, xm: number, ys: number, ey: number, ym: number, at: number, sw: number): void {
  a.get(e).c(-900).o(OP.lts).get(e).c(900).o(OP.gts).o(OP.or).get(xs).get(e).c(0).o(OP.ges).o(OP.and).o(OP.or).ret0();
  const [sh, sl] = f.sig(xm);
  const sc = f.let(f.sel(f.neg(f.pow2(() => a.get(e))), f.pow2(() => a.get(e)), () => a.get(xs)));
  const xh = f.let(f.mul(sh, sc)), xl = f.let(f.mul(sl, sc));
  const hh = a.local(F64), hl = a.local(F64);
  a.get(e).c(-8).o(OP.lts).if_();
  {
    // 1 + x near 1: u = x / (2 + x) directly
    const S = f.dadd({ k: 2 }, { k: 0 }, xh, xl), j = f.let({ k: 128 });
    const h = log2U(f, [xh, xl], S, j);
    a.get(h[0]).set(hh).get(h[1]).set(hl);
  }
  a.o(OP.else);
  {
    // 1 + x (exact for x < 2^53) scaled into [0.70, 1.42]
    const m = f.dadd({ k: 1 }, { k: 0 }, xh, xl), E = a.local(I32);
    a.get(m[0]).o(I64_OF_F64).c64(52).o(SHRU64).o(WRAP).c(0x7ff).o(OP.and).c(1023).o(OP.sub).set(E);
    const s2 = f.let(f.pow2(() => { a.c(0).get(E).o(OP.sub); }));
    const h = log2Scaled(f, f.let(f.mul(m[0], s2)), f.let(f.mul(m[1], s2)), E);
    a.get(h[0]).set(hh).get(h[1]).set(hl);
  }
  a.o(OP.end);
  yTimes(f, [hh, hl], ys, ey, ym, at, sw);
}

/**
 * fsqrt of a positive normal ST(0), exactly: r = floor(sqrt(M)) for the significand M as 128 bits
 * (shifted to an even exponent), from a double's estimate and one Newton step, put right by at most
 * a few steps of 1 against the remainder M - r^2; to 64 bits rounded up when the remainder exceeds
 * r (never a tie: M = r^2 + r + 1/4 has no integer solution), inexact when it is not 0; to 53 or 24
 * bits (the precision control) as x87ArithFn rounds, the remainder's being 0 the bits below. Returns 1.
 */
function sqrt(a: Asm, f: F, xs: number, xe: number, xm: number, at: number, sw: number, cw: number): void {
  const i64 = (): number => a.local(I64);
  const e = a.local(I32), n = a.local(I32), up = a.local(I32);
  const Mh = i64(), Ml = i64(), t = i64(), Ph = i64(), Pl = i64(), Rh = i64(), Rl = i64(), Th = i64(), Tl = i64(), b = i64();
  a.get(xs).ret0();
  // x = M 2^(2k - 126): M = m << 63 for an even exponent, m << 64 for an odd one; the root's exponent k
  a.get(xe).c(BIAS).o(OP.sub).tee(e).c(1).o(OP.and).if_();
  a.get(xm).set(Mh).c64(0).set(Ml);
  a.o(OP.else);
  a.get(xm).c64(1).o(SHRU64).set(Mh).get(xm).c64(63).o(SHL64).set(Ml);
  a.o(OP.end);
  a.get(e).c(1).o(OP.shrs).c(BIAS).o(OP.add).set(e);
  /** R = M - t^2 (128 bits) */
  const remainder = (): void => {
    mul128(a, t, t, Ph, Pl);
    a.get(Ml).get(Pl).o(LTU64).o(EXTU).set(b);
    a.get(Ml).get(Pl).o(SUB64).set(Rl);
    a.get(Mh).get(Ph).o(SUB64).get(b).o(SUB64).set(Rh);
  };
  // the estimate (within about 2^12), one Newton step (t + R / 2t: within 1), then 2 below
  f.x(() => { a.get(Mh).o(CVT_I64_U); }); f.x({ k: 2 ** 64 }); a.o(FMUL, FSQRT); f.x({ k: 2 ** 64 - 2048 }); a.o(FMIN, TRUNC_I64_U).set(t);
  remainder();
  f.x(f.div(f.add(f.mul(() => { a.get(Rh).o(CVT_I64_S); }, { k: 2 ** 64 }), () => { a.get(Rl).o(CVT_I64_U); }),
    f.mul({ k: 2 }, () => { a.get(t).o(CVT_I64_U); })));
  a.o(FNEAREST, TRUNC_I64_S).get(t).o(ADD64).c64(2).o(SUB64).set(t);
  remainder();
  a.get(Rh).c64(0).o(LTS64).ret0();
  // while R >= 2t + 1: R -= 2t + 1, t += 1 (a few times at most)
  a.c(0).set(n);
  a.o(OP.loop, 0x40);
  a.get(t).c64(63).o(SHRU64).set(Th).get(t).c64(1).o(SHL64).c64(1).o(OR64).set(Tl);
  a.get(Rh).get(Th).o(GTU64).get(Rh).get(Th).o(EQ64).get(Rl).get(Tl).o(0x5a /* i64.ge_u */).o(OP.and).o(OP.or).if_();
  a.get(n).c(1).o(OP.add).tee(n).c(6).o(OP.gtu).ret0();
  a.get(Rl).get(Tl).o(LTU64).o(EXTU).set(b);
  a.get(Rl).get(Tl).o(SUB64).set(Rl);
  a.get(Rh).get(Th).o(SUB64).get(b).o(SUB64).set(Rh);
  a.get(t).c64(1).o(ADD64).set(t);
  a.o(OP.br, 1);
  a.o(OP.end);
  a.o(OP.end);
  // (the root has its top bit set)
  a.get(t).c64(0).o(GES64).ret0();
  const drop = a.local(I32), unit = i64();
  precisionDrop(a, cw, drop);
  a.get(drop).o(OP.eqz).if_();
  // to 64 bits: up when R > t; inexact when R is not 0
  a.get(Rh).c64(0).o(NE64).get(Rl).get(t).o(GTU64).o(OP.or).set(up);
  a.get(Rh).get(Rl).o(OR64).set(b);
  a.c64(1).set(unit);
  a.o(OP.else);
  // to 53 or 24 bits (the precision control): the bits dropped as the top of b, a 1 under them for a remainder; to nearest, even on a tie
  a.get(t).c(64).get(drop).o(OP.sub).o(EXTU).o(SHL64).get(Rh).get(Rl).o(OR64).c64(0).o(NE64).o(EXTU).o(OR64).set(b);
  a.c64(1).get(drop).o(EXTU).o(SHL64).set(unit);
  a.get(t).c64(-1).get(drop).o(EXTU).o(SHL64).o(AND64).set(t);
  a.get(b).c64(1).c64(63).o(SHL64).o(GTU64);
  a.get(b).c64(1).c64(63).o(SHL64).o(EQ64).get(t).get(unit).o(AND64).c64(0).o(NE64).o(OP.and).o(OP.or).set(up);
  a.o(OP.end);
  a.get(up).if_();
  a.get(t).get(unit).o(ADD64).tee(t).o(EQZ64).if_();
  a.c64(1).c64(63).o(SHL64).set(t).get(e).c(1).o(OP.add).set(e);
  a.o(OP.end, OP.end);
  a.get(at).get(t).m(S64, S_X87);
  a.get(at).get(e).m(OP.store, S_X87 + 8);
  statusAfter(a, sw, b, up, W_SW);
  a.c(1).o(OP.return);
}

/** x87TransFn's operation for instruction i (fsin, fcos, fpatan, fyl2x, fsqrt, f2xm1, fxam, fscale, fyl2xp1, fprem), else -1. */
export function transOp(i: Insn): number {
  if (i.m || i.faulty || i.lock || i.op !== 0xd9) return -1;
  switch (i.modrm) {
    case 0xfe: return TR_FSIN;
    case 0xff: return TR_FCOS;
    case 0xf3: return TR_FPATAN;
    case 0xf1: return TR_FYL2X;
    case 0xfa: return TR_FSQRT;
    case 0xf0: return TR_F2XM1;
    case 0xe5: return TR_FXAM;
    case 0xfd: return TR_FSCALE;
    case 0xf9: return TR_FYL2XP1;
    case 0xf8: return TR_FPREM;
    default: return -1;
  }
}
