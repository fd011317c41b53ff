// SSE/SSE2/SSE3/SSE4.1 floating-point golden cases: arithmetic, min/max, compares, conversions,
// moves and shuffles, horizontal ops, round/blend/dp/insertps, rcp/rsqrt. Operands mix random
// values and the edge values of F32_SPECIAL/F64_SPECIAL; MXCSR varies the rounding mode, DAZ,
// FTZ and the exception masks (all masked, all unmasked, one unmasked), so flags, faults (#XM ->
// SIGFPE) and results are all recorded.
import {
  DATA, randomRegs, memAbs, modrm, fxImage, randXmms, randMm, xmmU32, xmmU64, randF32, randF64,
  F32_SPECIAL, F64_SPECIAL, f32bits, f64bits, le32, EAX, ECX, EDX, EBX, EBP, ESI, EDI,
} from './common.mjs';

const PFX = [[], [0x66], [0xf3], [0xf2]];
const FORMS = ['ps', 'pd', 'ss', 'sd'];
const isSingle = (form) => form === 0 || form === 2;

function mxcsrFor(rng) {
  const k = rng.int(10);
  let m = 0x1f80;
  if (k === 0) m = 0; // every exception unmasked
  else if (k === 1) m = 0x1f80 & ~(0x80 << rng.int(6)); // one unmasked
  m |= rng.int(4) << 13; // rounding
  if (rng.int(4) === 0) m |= 0x40; // DAZ
  if (rng.int(4) === 0) m |= 0x8000; // FTZ
  if (rng.int(6) === 0) m |= rng.u32() & 0x3f; // sticky flags already set
  return m;
}
/** 16 bytes of lanes for a form: singles or doubles, random or special */
function lanes(rng, single, special) {
  if (single) {
    const v = Array.from({ length: 4 }, () => (special && rng.bool() ? rng.pick(F32_SPECIAL) >>> 0 : randF32(rng)));
    return xmmU32(v);
  }
  return xmmU64(Array.from({ length: 2 }, () => (special && rng.bool() ? rng.pick(F64_SPECIAL) : randF64(rng))));
}
/** values close to each other (so that subtraction cancels, comparisons tie, rounding matters) */
function nearLanes(rng, base, single) {
  const b = base.slice();
  const w = single ? 4 : 8;
  for (let o = 0; o < 16; o += w) {
    if (rng.bool()) continue;
    b[o] = (b[o] + rng.int(5) - 2) & 0xff; // tweak the low significand bits
    if (rng.int(3) === 0) b[o + w - 1] ^= 0x80; // and sometimes the sign
  }
  return b;
}

function mk(cs, fam, rng) {
  return (name, code, { xmm, mxcsr = 0x1f80, mem = [], regs, mm } = {}) => {
    const r = regs ?? randomRegs(rng);
    cs.add(fam, name, { regs: r, eflags: rng.u32() & 0x8d5, seed: rng.u32(), code, mem, fx: fxImage({ xmm, mxcsr, mm }) });
  };
}

/** reg and mem forms of `pfx 0F op /r [ib]` with lanes for both operands */
function binCases(rng, add, fam, { pfx, op, name, single, bytes, n, imm, special = true }) {
  for (let k = 0; k < n; k++) {
    const d = rng.int(8), s = rng.int(8);
    const xmm = randXmms(rng);
    xmm[d] = lanes(rng, single, special);
    xmm[s] = rng.int(4) === 0 ? nearLanes(rng, xmm[d], single) : lanes(rng, single, special);
    const mx = mxcsrFor(rng);
    const ib = imm === undefined ? [] : [typeof imm === 'function' ? imm(rng) : imm];
    const tag = ib.length ? ` ${ib[0]}` : '';
    if (rng.int(3) !== 0 || bytes === 0) {
      add(`${name} xmm${d},xmm${s}${tag}`, [...pfx, 0x0f, ...op, modrm(3, d, s), ...ib], { xmm, mxcsr: mx });
    } else {
      const off = 0x100 + rng.int(0x60) * 16;
      add(`${name} xmm${d},[m${bytes * 8}]${tag}`, [...pfx, 0x0f, ...op, ...memAbs(d, off), ...ib], { xmm, mxcsr: mx, mem: [[DATA + off, lanes(rng, single, special).slice(0, bytes)]] });
    }
  }
}

export function genSimdFpArith(cs, rng) {
  const fam = 'simd-fp-arith', add = mk(cs, fam, rng);
  const ops = [['add', 0x58], ['mul', 0x59], ['sub', 0x5c], ['min', 0x5d], ['div', 0x5e], ['max', 0x5f], ['sqrt', 0x51]];
  for (const [nm, op] of ops) for (let f = 0; f < 4; f++) {
    binCases(rng, add, fam, { pfx: PFX[f], op: [op], name: nm + FORMS[f], single: isSingle(f), bytes: [16, 16, 4, 8][f], n: 110 });
  }
  // page-boundary and alignment faults
  add('addps xmm1,[misaligned] #GP', [0x0f, 0x58, ...memAbs(1, 0x108)], { xmm: randXmms(rng) });
  add('addss xmm1,[misaligned m32]', [0xf3, 0x0f, 0x58, ...memAbs(1, 0x10a)], { xmm: randXmms(rng), mem: [[DATA + 0x10a, le32(f32bits(1.5))]] });
  add('addsd xmm1,[page end] #PF', [0xf2, 0x0f, 0x58, ...memAbs(1, 0xffc)], { xmm: randXmms(rng) });
  add('mulpd xmm2,[page end] #PF', [0x66, 0x0f, 0x59, ...memAbs(2, 0xff0 + 16)], { xmm: randXmms(rng) });
  // results at the underflow/overflow edges with each rounding mode, FTZ, masked/unmasked
  for (let k = 0; k < 200; k++) {
    const single = rng.bool();
    const d = 1, s = 2, xmm = randXmms(rng);
    const tiny = single ? [0x00800000, 0x00800001, 0x01000000, 0x00ffffff, 0x3f000001, 0x3f7fffff] : [0x0010000000000000n, 0x0010000000000001n, 0x3fe0000000000001n, 0x3fefffffffffffffn];
    const pick = () => rng.pick(tiny);
    if (single) { xmm[d] = xmmU32([pick(), pick(), 0x7f7fffff, 0x7f000000]); xmm[s] = xmmU32([pick(), 0x3f000000, 0x40000000, 0x3fffffff]); }
    else { xmm[d] = xmmU64([pick(), 0x7fefffffffffffffn]); xmm[s] = xmmU64([rng.pick([0x3fe0000000000000n, 0x3fefffffffffffffn, 0x3ff0000000000001n]), 0x4000000000000000n]); }
    const op = rng.pick([0x59, 0x5e, 0x58, 0x5c]);
    const pfx = single ? (rng.bool() ? [] : [0xf3]) : (rng.bool() ? [0x66] : [0xf2]);
    add(`edge ${op.toString(16)} ${single ? 's' : 'd'} mx`, [...pfx, 0x0f, op, modrm(3, d, s)], { xmm, mxcsr: mxcsrFor(rng) });
  }
}

export function genSimdFpCmp(cs, rng) {
  const fam = 'simd-fp-cmp', add = mk(cs, fam, rng);
  for (let f = 0; f < 4; f++) {
    binCases(rng, add, fam, { pfx: PFX[f], op: [0xc2], name: 'cmp' + FORMS[f], single: isSingle(f), bytes: [16, 16, 4, 8][f], n: 200, imm: (r) => r.int(8) });
  }
  // imm8 above 7 (reserved bits of the legacy encoding)
  binCases(rng, add, fam, { pfx: [], op: [0xc2], name: 'cmpps', single: true, bytes: 16, n: 30, imm: (r) => 8 + r.int(248) });
  for (const [nm, pfx, op, single] of [['ucomiss', [], 0x2e, true], ['comiss', [], 0x2f, true], ['ucomisd', [0x66], 0x2e, false], ['comisd', [0x66], 0x2f, false]]) {
    binCases(rng, add, fam, { pfx, op: [op], name: nm, single, bytes: single ? 4 : 8, n: 200 });
  }
}

export function genSimdFpCvt(cs, rng) {
  const fam = 'simd-fp-cvt', add = mk(cs, fam, rng);
  // xmm <- xmm/mem conversions
  const conv = [
    ['cvtps2pd', [], 0x5a, true, 8], ['cvtpd2ps', [0x66], 0x5a, false, 16], ['cvtss2sd', [0xf3], 0x5a, true, 4], ['cvtsd2ss', [0xf2], 0x5a, false, 8],
    ['cvtdq2ps', [], 0x5b, null, 16], ['cvtps2dq', [0x66], 0x5b, true, 16], ['cvttps2dq', [0xf3], 0x5b, true, 16],
    ['cvttpd2dq', [0x66], 0xe6, false, 16], ['cvtdq2pd', [0xf3], 0xe6, null, 8], ['cvtpd2dq', [0xf2], 0xe6, false, 16],
  ];
  for (const [nm, pfx, op, single, bytes] of conv) {
    for (let k = 0; k < 220; k++) {
      const d = rng.int(8), s = rng.int(8), xmm = randXmms(rng);
      const src = single === null ? xmmU32(Array.from({ length: 4 }, () => (rng.bool() ? rng.u32() : rng.pick([0, 1, -1, 0x7fffffff, 0x80000000, 0x1000001, 0xffffff, 0x7ffffff1]) >>> 0))) : lanes(rng, single, true);
      const mx = mxcsrFor(rng);
      if (rng.int(3)) { xmm[s] = src; if (s !== d) xmm[d] = randXmms(rng, 1)[0]; add(`${nm} xmm${d},xmm${s}`, [...pfx, 0x0f, op, modrm(3, d, s)], { xmm, mxcsr: mx }); }
      else { const off = 0x200 + rng.int(0x40) * 16; add(`${nm} xmm${d},[m${bytes * 8}]`, [...pfx, 0x0f, op, ...memAbs(d, off)], { xmm, mxcsr: mx, mem: [[DATA + off, src.slice(0, bytes)]] }); }
    }
  }
  // scalar to/from general registers
  const gprs = [EAX, ECX, EDX, EBX, EBP, ESI, EDI];
  for (const [nm, pfx, op, single] of [['cvtss2si', [0xf3], 0x2d, true], ['cvttss2si', [0xf3], 0x2c, true], ['cvtsd2si', [0xf2], 0x2d, false], ['cvttsd2si', [0xf2], 0x2c, false]]) {
    for (let k = 0; k < 220; k++) {
      const r = rng.pick(gprs), s = rng.int(8), xmm = randXmms(rng);
      xmm[s] = lanes(rng, single, true);
      const mx = mxcsrFor(rng);
      if (rng.int(3)) add(`${nm} r${r},xmm${s}`, [...pfx, 0x0f, op, modrm(3, r, s)], { xmm, mxcsr: mx });
      else { const off = 0x300 + rng.int(0x40) * 8; add(`${nm} r${r},[m]`, [...pfx, 0x0f, op, ...memAbs(r, off)], { xmm, mxcsr: mx, mem: [[DATA + off, xmm[s].slice(0, single ? 4 : 8)]] }); }
    }
  }
  for (const [nm, pfx] of [['cvtsi2ss', [0xf3]], ['cvtsi2sd', [0xf2]]]) {
    for (let k = 0; k < 150; k++) {
      const d = rng.int(8), r = rng.pick(gprs), regs = randomRegs(rng);
      regs[r] = rng.bool() ? rng.u32() : rng.pick([0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x1000001, 0x7fffffc0, 0x7fffffbf]);
      const mx = mxcsrFor(rng);
      if (rng.int(3)) add(`${nm} xmm${d},r${r}`, [...pfx, 0x0f, 0x2a, modrm(3, d, r)], { xmm: randXmms(rng), mxcsr: mx, regs });
      else { const off = 0x380 + rng.int(0x20) * 4; add(`${nm} xmm${d},[m32]`, [...pfx, 0x0f, 0x2a, ...memAbs(d, off)], { xmm: randXmms(rng), mxcsr: mx, mem: [[DATA + off, le32(regs[r])]] }); }
    }
  }
  // mm forms: cvtpi2ps/pd (mm source enters MMX state, a memory source does not), cvt(t)ps2pi/pd2pi
  const mmSet = () => Array.from({ length: 8 }, () => randMm(rng));
  for (const [nm, pfx] of [['cvtpi2ps', []], ['cvtpi2pd', [0x66]]]) {
    for (let k = 0; k < 80; k++) {
      const d = rng.int(8), s = rng.int(8), mx = mxcsrFor(rng);
      if (rng.bool()) add(`${nm} xmm${d},mm${s}`, [...pfx, 0x0f, 0x2a, modrm(3, d, s)], { xmm: randXmms(rng), mm: rng.int(3) ? mmSet() : undefined, mxcsr: mx });
      else { const off = 0x3c0 + rng.int(8) * 8; add(`${nm} xmm${d},[m64]`, [...pfx, 0x0f, 0x2a, ...memAbs(d, off)], { xmm: randXmms(rng), mxcsr: mx, mem: [[DATA + off, randMm(rng)]] }); }
    }
  }
  for (const [nm, pfx, op, single] of [['cvtps2pi', [], 0x2d, true], ['cvttps2pi', [], 0x2c, true], ['cvtpd2pi', [0x66], 0x2d, false], ['cvttpd2pi', [0x66], 0x2c, false]]) {
    for (let k = 0; k < 80; k++) {
      const d = rng.int(8), s = rng.int(8), xmm = randXmms(rng);
      xmm[s] = lanes(rng, single, true);
      add(`${nm} mm${d},xmm${s}`, [...pfx, 0x0f, op, modrm(3, d, s)], { xmm, mxcsr: mxcsrFor(rng), mm: rng.bool() ? mmSet() : undefined });
    }
  }
}

export function genSimdFpMove(cs, rng) {
  const fam = 'simd-fp-move', add = mk(cs, fam, rng);
  const rr = (nm, code, n = 25) => {
    for (let k = 0; k < n; k++) {
      const d = rng.int(8), s = rng.int(8);
      add(`${nm} xmm${d},xmm${s}`, [...code(), modrm(3, d, s)], { xmm: randXmms(rng) });
    }
  };
  const rm = (nm, code, bytes, { store = false, misalign = false, n = 20 } = {}) => {
    for (let k = 0; k < n; k++) {
      const r = rng.int(8);
      const off = 0x400 + rng.int(0x40) * 16 + (misalign ? 1 + rng.int(15) : 0);
      add(`${nm} ${store ? `[m${bytes * 8}],xmm${r}` : `xmm${r},[m${bytes * 8}]`}${misalign ? ' misaligned' : ''}`, [...code(), ...memAbs(r, off)],
        { xmm: randXmms(rng), mem: store ? [] : [[DATA + off, rng.bytes(bytes)]] });
    }
  };
  const P = (p, ...op) => () => [...p, 0x0f, ...op];
  for (const [nm, p] of [['movups', []], ['movupd', [0x66]]]) { rr(nm, P(p, 0x10)); rm(nm, P(p, 0x10), 16, { misalign: true }); rm(nm, P(p, 0x11), 16, { store: true, misalign: true }); }
  for (const [nm, p] of [['movaps', []], ['movapd', [0x66]]]) { rr(nm, P(p, 0x28)); rm(nm, P(p, 0x28), 16); rm(nm, P(p, 0x29), 16, { store: true }); rm(nm, P(p, 0x28), 16, { misalign: true, n: 4 }); rm(nm, P(p, 0x29), 16, { store: true, misalign: true, n: 4 }); }
  for (const [nm, p, b] of [['movss', [0xf3], 4], ['movsd', [0xf2], 8]]) { rr(nm, P(p, 0x10)); rr(nm + ' store-form', P(p, 0x11)); rm(nm, P(p, 0x10), b, { misalign: true }); rm(nm, P(p, 0x11), b, { store: true, misalign: true }); }
  rm('movlps', P([], 0x12), 8); rr('movhlps', P([], 0x12)); rm('movlpd', P([0x66], 0x12), 8); rm('movlps', P([], 0x13), 8, { store: true }); rm('movlpd', P([0x66], 0x13), 8, { store: true });
  rm('movhps', P([], 0x16), 8); rr('movlhps', P([], 0x16)); rm('movhpd', P([0x66], 0x16), 8); rm('movhps', P([], 0x17), 8, { store: true }); rm('movhpd', P([0x66], 0x17), 8, { store: true });
  rr('movsldup', P([0xf3], 0x12)); rm('movsldup', P([0xf3], 0x12), 16); rr('movshdup', P([0xf3], 0x16)); rm('movshdup', P([0xf3], 0x16), 16);
  rr('movddup', P([0xf2], 0x12)); rm('movddup', P([0xf2], 0x12), 8, { misalign: true });
  rm('lddqu', P([0xf2], 0xf0), 16, { misalign: true });
  rm('movntps', P([], 0x2b), 16, { store: true }); rm('movntpd', P([0x66], 0x2b), 16, { store: true }); rm('movntps', P([], 0x2b), 16, { store: true, misalign: true, n: 3 });
  for (const [nm, p, op] of [['unpcklps', [], 0x14], ['unpcklpd', [0x66], 0x14], ['unpckhps', [], 0x15], ['unpckhpd', [0x66], 0x15],
    ['andps', [], 0x54], ['andpd', [0x66], 0x54], ['andnps', [], 0x55], ['andnpd', [0x66], 0x55], ['orps', [], 0x56], ['orpd', [0x66], 0x56], ['xorps', [], 0x57], ['xorpd', [0x66], 0x57]]) {
    rr(nm, P(p, op)); rm(nm, P(p, op), 16); rm(nm, P(p, op), 16, { misalign: true, n: 2 });
  }
  for (const [nm, p] of [['shufps', []], ['shufpd', [0x66]]]) {
    for (let k = 0; k < 40; k++) {
      const d = rng.int(8), s = rng.int(8), ib = rng.int(256);
      add(`${nm} xmm${d},xmm${s},${ib}`, [...p, 0x0f, 0xc6, modrm(3, d, s), ib], { xmm: randXmms(rng) });
    }
  }
  for (const [nm, p] of [['movmskps', []], ['movmskpd', [0x66]]]) {
    for (let k = 0; k < 30; k++) {
      const r = rng.pick([EAX, ECX, EDX, EBX, EBP, ESI, EDI]), s = rng.int(8);
      add(`${nm} r${r},xmm${s}`, [...p, 0x0f, 0x50, modrm(3, r, s)], { xmm: randXmms(rng) });
    }
  }
  // memory-only and register-only forms used the other way: #UD
  add('movlps xmm,xmm form is movhlps', [0x0f, 0x12, modrm(3, 1, 2)], { xmm: randXmms(rng) });
  add('movlps store reg form #UD', [0x0f, 0x13, modrm(3, 1, 2)], { xmm: randXmms(rng) });
  add('movmskps mem form #UD', [0x0f, 0x50, ...memAbs(1, 0x40)], { xmm: randXmms(rng) });
  add('movntps reg form #UD', [0x0f, 0x2b, modrm(3, 1, 2)], { xmm: randXmms(rng) });
  add('lddqu reg form #UD', [0xf2, 0x0f, 0xf0, modrm(3, 1, 2)], { xmm: randXmms(rng) });
}

export function genSimdFpExt(cs, rng) {
  const fam = 'simd-fp-ext', add = mk(cs, fam, rng);
  for (const [nm, p, op, single] of [['haddpd', [0x66], 0x7c, false], ['haddps', [0xf2], 0x7c, true], ['hsubpd', [0x66], 0x7d, false], ['hsubps', [0xf2], 0x7d, true], ['addsubpd', [0x66], 0xd0, false], ['addsubps', [0xf2], 0xd0, true]]) {
    binCases(rng, add, fam, { pfx: p, op: [op], name: nm, single, bytes: 16, n: 120 });
  }
  for (const [nm, op, single, bytes] of [['roundps', 0x08, true, 16], ['roundpd', 0x09, false, 16], ['roundss', 0x0a, true, 4], ['roundsd', 0x0b, false, 8]]) {
    binCases(rng, add, fam, { pfx: [0x66], op: [0x3a, op], name: nm, single, bytes, n: 200, imm: (r) => r.int(16) });
  }
  for (const [nm, op, single] of [['blendps', 0x0c, true], ['blendpd', 0x0d, false]]) binCases(rng, add, fam, { pfx: [0x66], op: [0x3a, op], name: nm, single, bytes: 16, n: 40, imm: (r) => r.int(256) });
  for (const [nm, op, single] of [['blendvps', 0x14, true], ['blendvpd', 0x15, false]]) binCases(rng, add, fam, { pfx: [0x66], op: [0x38, op], name: nm, single, bytes: 16, n: 40 });
  binCases(rng, add, fam, { pfx: [0x66], op: [0x3a, 0x40], name: 'dpps', single: true, bytes: 16, n: 250, imm: (r) => r.int(256) });
  binCases(rng, add, fam, { pfx: [0x66], op: [0x3a, 0x41], name: 'dppd', single: false, bytes: 16, n: 200, imm: (r) => r.int(256) });
  binCases(rng, add, fam, { pfx: [0x66], op: [0x3a, 0x21], name: 'insertps', single: true, bytes: 4, n: 60, imm: (r) => r.int(256) });
  for (let k = 0; k < 40; k++) {
    const r = rng.pick([EAX, ECX, EDX, EBX, EBP, ESI, EDI]), s = rng.int(8), ib = rng.int(256);
    if (rng.bool()) add(`extractps r${r},xmm${s},${ib}`, [0x66, 0x0f, 0x3a, 0x17, modrm(3, s, r), ib], { xmm: randXmms(rng) });
    else add(`extractps [m32],xmm${s},${ib}`, [0x66, 0x0f, 0x3a, 0x17, ...memAbs(s, 0x500 + 4 * rng.int(32)), ib], { xmm: randXmms(rng) });
  }
}

export function genSimdFpApprox(cs, rng) {
  const fam = 'simd-fp-approx', add = mk(cs, fam, rng);
  for (const [nm, p, op] of [['rcpps', [], 0x53], ['rcpss', [0xf3], 0x53], ['rsqrtps', [], 0x52], ['rsqrtss', [0xf3], 0x52]]) {
    binCases(rng, add, fam, { pfx: p, op: [op], name: nm, single: true, bytes: p.length ? 4 : 16, n: 250 });
  }
}

// Every pair of operand classes (±0, ±denormal, ±normal, ±inf, QNaN, SNaN) through each
// arithmetic operation, scalar and packed, under MXCSR's default, DAZ, FTZ and DE/ZE/IE
// unmasked: which exception outranks which (x/0 with x denormal sets ZE alone, the NaN rules,
// DAZ before the zero test), result and flags lane by lane.
export function genSimdFpClasses(cs, rng) {
  const fam = 'simd-fp-classes', add = mk(cs, fam, rng);
  const S = [0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x3fc00000, 0xc0400000, 0x7f800000, 0xff800000, 0x7fc12345, 0xff800001];
  const D = [0n, 0x8000000000000000n, 1n, 0x800fffffffffffffn, 0x3ff8000000000000n, 0xc008000000000000n,
    0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000012345678n, 0xfff0000000000001n];
  const MX = [0x1f80, 0x1fc0, 0x9f80, 0x1f00, 0x1d80, 0x1e80 & ~0x200, 0x1f40 & ~0x100];
  const ops = [['add', 0x58], ['mul', 0x59], ['sub', 0x5c], ['min', 0x5d], ['div', 0x5e], ['max', 0x5f], ['sqrt', 0x51]];
  for (const [nm, op] of ops) for (const single of [true, false]) for (const mx of MX) {
    const V = single ? S : D, pfx = single ? [0xf3] : [0xf2];
    // scalar: each pair once (xmm1 = a, xmm2 = b)
    for (let i = 0; i < V.length; i++) for (let j = 0; j < V.length; j++) {
      if (nm === 'sqrt' && i > 0) continue; // unary: the source's class alone
      const xmm = randXmms(rng);
      xmm[1] = single ? xmmU32([S[i] >>> 0, 0, 0, 0]) : xmmU64([D[i], 0n]);
      xmm[2] = single ? xmmU32([S[j] >>> 0, 0, 0, 0]) : xmmU64([D[j], 0n]);
      add(`${nm}${single ? 'ss' : 'sd'} class ${i},${j} mx ${mx.toString(16)}`, [...pfx, 0x0f, op, modrm(3, 1, 2)], { xmm, mxcsr: mx });
    }
    // packed: lanes of random pairs, so flags from several lanes combine
    for (let k = 0; k < 6; k++) {
      const n = single ? 4 : 2, xmm = randXmms(rng);
      const a = Array.from({ length: n }, () => rng.pick(V)), b = Array.from({ length: n }, () => rng.pick(V));
      xmm[3] = single ? xmmU32(a.map((v) => v >>> 0)) : xmmU64(a);
      xmm[4] = single ? xmmU32(b.map((v) => v >>> 0)) : xmmU64(b);
      add(`${nm}${single ? 'ps' : 'pd'} classes mx ${mx.toString(16)}`, [...(single ? [] : [0x66]), 0x0f, op, modrm(3, 3, 4)], { xmm, mxcsr: mx });
    }
  }
}

export const FAMILIES = [genSimdFpClasses, genSimdFpArith, genSimdFpCmp, genSimdFpCvt, genSimdFpMove, genSimdFpExt, genSimdFpApprox];
void f64bits;
