// A few hand-written SIMD cases that exercise the golden infrastructure itself: the FXSAVE image
// in and out, faults (their state taken from the signal frame), MMX aliasing of the x87 registers,
// MXCSR flags and an image stored to / loaded from memory.
import {
  DATA, randomRegs, memAbs, modrm, fxImage, randXmms, randMm, xmmF32, xmmU32, f32bits,
  FX_VENDOR_RANGES, MX_IE, MX_PE, MX_IM, MXCSR_DEFAULT, le32,
} from './common.mjs';

const F = 'simd-smoke';

export function genSimdSmoke(cs, rng) {
  const add = (name, code, { fx, mem = [], memIgnore, fxIgnore } = {}) =>
    cs.add(F, name, { regs: randomRegs(rng), eflags: 0, seed: rng.u32(), code, mem, fx, memIgnore, fxIgnore });
  const img = (o = {}) => fxImage({ xmm: randXmms(rng), ...o });

  // the image in and out with instructions the interpreter had before SIMD: nop, x87
  const st = (k) => [...rng.bytes(7), 0x80 | rng.int(128), rng.u32() & 0xff, 0x3f + rng.int(2)];
  add('nop (image round trip)', [0x90], { fx: img({ mxcsr: 0xffff & ~0x40 }) });
  add('nop (image round trip, daz)', [0x90], { fx: img({ mxcsr: 0x1fff }) });
  add('nop (mm state)', [0x90], { fx: img({ mm: Array.from({ length: 8 }, () => randMm(rng)) }) });
  add('nop (x87 state, top 5)', [0x90], { fx: img({ fcw: 0x27f, fsw: 0x2800 | 0x4100, st: [st(0), st(1), null, st(3)] }) });
  add('fld1 (x87 state, top 5)', [0xd9, 0xe8], { fx: img({ fsw: 0x2800, st: [st(0), st(1), null, st(3)] }) });
  add('fninit (x87 state, mxcsr kept)', [0xdb, 0xe3], { fx: img({ mxcsr: 0x3fa1, fsw: 0x2800, st: [st(0), st(1)] }) });

  // movaps: register copy, aligned load, misaligned load (#GP), store
  add('movaps xmm1,xmm2', [0x0f, 0x28, modrm(3, 1, 2)], { fx: img() });
  add('movaps xmm7,xmm0', [0x0f, 0x28, modrm(3, 7, 0)], { fx: img() });
  add('movaps xmm3,[aligned]', [0x0f, 0x28, ...memAbs(3, 0x100)], { fx: img() });
  add('movaps xmm3,[misaligned] #GP', [0x0f, 0x28, ...memAbs(3, 0x104)], { fx: img() });
  add('movaps [aligned],xmm5', [0x0f, 0x29, ...memAbs(5, 0x300)], { fx: img() });

  // movdqu: misaligned is fine; across the end of the data page it is a page fault
  add('movdqu xmm2,[misaligned]', [0xf3, 0x0f, 0x6f, ...memAbs(2, 0x107)], { fx: img() });
  add('movdqu xmm2,[page end] #PF', [0xf3, 0x0f, 0x6f, ...memAbs(2, 0xff9)], { fx: img() });
  add('movdqu [misaligned],xmm6', [0xf3, 0x0f, 0x7f, ...memAbs(6, 0x205)], { fx: img() });

  // pxor: self (zero), two registers, memory; MMX form with the mm registers in the x87 stack
  add('pxor xmm0,xmm0', [0x66, 0x0f, 0xef, modrm(3, 0, 0)], { fx: img() });
  add('pxor xmm4,xmm1', [0x66, 0x0f, 0xef, modrm(3, 4, 1)], { fx: img() });
  add('pxor xmm4,[aligned]', [0x66, 0x0f, 0xef, ...memAbs(4, 0x120)], { fx: img() });
  add('pxor mm2,mm5', [0x0f, 0xef, modrm(3, 2, 5)], { fx: img({ mm: Array.from({ length: 8 }, () => randMm(rng)) }) });
  // from an empty x87 state (fninit): the MMX instruction sets TOP 0 and all tags valid
  add('pxor mm1,mm1 (x87 empty)', [0x0f, 0xef, modrm(3, 1, 1)], { fx: img() });

  // emms: all tags empty
  add('emms', [0x0f, 0x77], { fx: img({ mm: Array.from({ length: 8 }, () => randMm(rng)) }) });

  // ldmxcsr / stmxcsr (0F AE /2 /3)
  const mx = (v) => [[DATA + 0x40, le32(v)]];
  add('ldmxcsr [m] rc=up ftz', [0x0f, 0xae, ...memAbs(2, 0x40)], { fx: img(), mem: mx(0x9f80 | 0x4000) });
  add('ldmxcsr [m] flags', [0x0f, 0xae, ...memAbs(2, 0x40)], { fx: img(), mem: mx(0x1f80 | 0x3f) });
  add('ldmxcsr [m] reserved bit 16 #GP', [0x0f, 0xae, ...memAbs(2, 0x40)], { fx: img(), mem: mx(0x11f80) });
  add('stmxcsr [m]', [0x0f, 0xae, ...memAbs(3, 0x44)], { fx: img({ mxcsr: 0x7fa5 }) });

  // fxsave / fxrstor (0F AE /0 /1). The stored image's FOP/FIP/FDP and MXCSR_MASK are vendor or
  // host data: not compared.
  const at = 0x200;
  add('fxsave [aligned]', [0x0f, 0xae, ...memAbs(0, at)], {
    fx: img({ mxcsr: 0x3f80 | MX_PE, fcw: 0x27f, fsw: 0x3800 | 0x20, st: [[1, 2, 3, 4, 5, 6, 7, 0x80, 0xff, 0x3f]] }),
    memIgnore: FX_VENDOR_RANGES.map(([o, n]) => [DATA + at + o, n]),
  });
  add('fxsave [misaligned] #GP', [0x0f, 0xae, ...memAbs(0, at + 8)], { fx: img() });
  const src = fxImage({ xmm: randXmms(rng), mm: Array.from({ length: 8 }, () => randMm(rng)), mxcsr: 0x5f80 | MX_IE });
  add('fxrstor [aligned]', [0x0f, 0xae, ...memAbs(1, at)], { fx: img(), mem: [[DATA + at, [...src]]] });
  const bad = src.slice(); bad[24 + 2] = 0x01; // MXCSR bit 16: reserved
  add('fxrstor [aligned] bad mxcsr #GP', [0x0f, 0xae, ...memAbs(1, at)], { fx: img(), mem: [[DATA + at, [...bad]]] });

  // addps: plain, inexact (PE), invalid masked (IE, default NaN), invalid unmasked (#XM -> SIGFPE)
  const ps = (...v) => xmmF32(v);
  add('addps xmm1,xmm2', [0x0f, 0x58, modrm(3, 1, 2)], { fx: fxImage({ xmm: [null, ps(1, 2, 3, 4), ps(0.5, -2, 1e30, -4)] }) });
  add('addps xmm1,xmm2 inexact', [0x0f, 0x58, modrm(3, 1, 2)], { fx: fxImage({ xmm: [null, ps(1, 2, 3, 4), ps(2 ** -30, 1, 1, 1)] }) });
  const inf = f32bits(Infinity), ninf = f32bits(-Infinity);
  add('addps xmm1,xmm2 inf-inf masked', [0x0f, 0x58, modrm(3, 1, 2)], { fx: fxImage({ xmm: [null, xmmU32([inf, 0, 0, 0]), xmmU32([ninf, 0, 0, 0])] }) });
  add('addps xmm1,xmm2 inf-inf unmasked #XM', [0x0f, 0x58, modrm(3, 1, 2)], {
    fx: fxImage({ mxcsr: MXCSR_DEFAULT & ~MX_IM, xmm: [null, xmmU32([inf, 0, 0, 0]), xmmU32([ninf, 0, 0, 0])] }),
  });
  add('addps xmm3,[misaligned] #GP', [0x0f, 0x58, ...memAbs(3, 0x108)], { fx: img() });
}

export const FAMILIES = [genSimdSmoke];
