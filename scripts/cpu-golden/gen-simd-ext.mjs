// Golden cases for SSSE3, the integer part of SSE4.1, SSE4.2 and POPCNT (src/cpu/simd-ext.ts).
// Families: simd-ssse3, simd-sse41-int, simd-sse42-str (pcmpestri/pcmpestrm/pcmpistri/pcmpistrm,
// every imm8 mode), simd-sse42-misc (crc32, pcmpgtq, popcnt, and the extensions the modelled CPU
// lacks: AES-NI, PCLMULQDQ, SHA, MOVBE, ADX stay #UD).
import {
  DATA, EAX, ECX, EDX, ESP, CF, PF, AF, ZF, SF, OF, le16, le32, modrm, memAbs, randomRegs, fxImage,
} from './common.mjs';

const ARITH = CF | PF | AF | ZF | SF | OF;
const UD2 = [0x0f, 0x0b];
const GPR = [0, 1, 2, 3, 5, 6, 7]; // ESP stays a stack pointer
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
const R8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'];
const hex2 = (v) => v.toString(16).padStart(2, '0');

// ---------------------------------------------------------------- values

/** edge values of a w-bit lane (as unsigned numbers) */
function laneEdges(w) {
  const m = w === 32 ? 0xffffffff : 2 ** w - 1, h = 2 ** (w - 1);
  return [0, 1, 2, m, m - 1, h, h - 1, h + 1, 0x55555555 % (m + 1), 0xaaaaaaaa % (m + 1)];
}
/** 16 (or n) bytes of lanes of lane bytes: random, with edge values mixed in (mode 0: mixed, 1: all edges, 2: random) */
function lanes(rng, lane, n = 16, mode = rng.int(3)) {
  const out = [];
  const w = lane * 8, ed = laneEdges(Math.min(w, 32));
  for (let k = 0; k < n / lane; k++) {
    const edge = mode === 1 || (mode === 0 && rng.int(3) === 0);
    if (lane === 8) {
      if (edge) out.push(...le32(rng.pick([0, 0xffffffff, 1, rng.u32()])), ...le32(rng.pick([0, 0xffffffff, 0x80000000, 0x7fffffff])));
      else out.push(...rng.bytes(8));
    } else {
      const v = edge ? rng.pick(ed) : rng.u32();
      for (let b = 0; b < lane; b++) out.push(Math.floor(v / 2 ** (8 * b)) & 0xff);
    }
  }
  return out;
}
const xmms = (rng, lane) => Array.from({ length: 8 }, () => lanes(rng, lane));
const mms = (rng, lane) => Array.from({ length: 8 }, () => lanes(rng, lane, 8));

/** random EFLAGS (status bits and DF) */
const flags = (rng) => (rng.u32() & (ARITH | 0x400)) >>> 0;

// x87 register image: a finite value with random significand
const st80 = (rng) => [...rng.bytes(7), 0x80 | rng.int(128), rng.u32() & 0xff, 0x3f + rng.int(2)];

// ---------------------------------------------------------------- case helpers

function adder(cs, rng, fam) {
  return (name, code, { fx, mem = [], regs, eflags, nativeCode } = {}) => cs.add(fam, name, {
    regs: regs ?? randomRegs(rng), eflags: eflags ?? flags(rng), seed: rng.u32(), code, mem, fx, nativeCode,
  });
}

/**
 * The forms of a two-operand instruction: register (distinct and same register), memory through
 * disp32 and through a base register, misaligned (#GP for an aligned 16-byte operand), across the
 * end of the data page (#PF), at an unmapped page, through cs:. `n`: memory operand bytes;
 * `make(rng)` gives { fx, dst/src lane content } per case.
 */
function forms(rng, n, aligned) {
  const out = [];
  const d = rng.int(8);
  let s = rng.int(8);
  if (rng.int(8) === 0) s = d;
  out.push({ tag: `r${d},r${s}`, reg: d, mod: [modrm(3, d, s)] });
  const off = aligned ? rng.int(0x100) * 16 : rng.int(0x1000 - n + 1);
  out.push({ tag: `r${d},[m]`, reg: d, mod: memAbs(d, off), at: off });
  // [base + disp8]
  const b = rng.pick([0, 1, 2, 3, 6, 7]);
  const off2 = aligned ? rng.int(0xf0) * 16 : rng.int(0xf00);
  const disp = rng.int(8) * (aligned ? 16 : 1);
  out.push({ tag: `r${d},[${R32[b]}+${disp}]`, reg: d, mod: [modrm(1, d, b), disp], at: off2 + disp, base: [b, DATA + off2] });
  return out;
}

/** the edge forms of a memory operand of n bytes: misaligned, page end, unmapped page, cs: */
function edgeForms(rng, n, aligned) {
  const d = rng.int(8);
  const out = [];
  const mis = 0x101 + rng.int(15);
  if (aligned) out.push({ tag: `r${d},[misaligned] #GP`, reg: d, mod: memAbs(d, mis) });
  else out.push({ tag: `r${d},[misaligned]`, reg: d, mod: memAbs(d, mis), at: mis });
  out.push({ tag: `r${d},[page end]`, reg: d, mod: memAbs(d, 0x1000 - n), at: 0x1000 - n });
  if (n > 1) out.push({ tag: `r${d},[across page end] #${aligned && n === 16 ? 'GP' : 'PF'}`, reg: d, mod: memAbs(d, 0x1000 - n + 1 + rng.int(n - 1)) });
  out.push({ tag: `r${d},[unmapped] #PF`, reg: d, mod: [modrm(0, d, 5), ...le32(DATA + 0x1000)] });
  out.push({ tag: `r${d},cs:[m]`, reg: d, mod: memAbs(d, 0x200), at: 0x200, cs: true });
  return out;
}

/** emit one case of a form: code = [cs?] pre + modrm bytes + imm */
function emit(add, rng, name, pre, f, { fx, imm, memBytes, regs }) {
  const r = regs ?? randomRegs(rng);
  if (f.base) r[f.base[0]] = f.base[1];
  const mem = f.at !== undefined && memBytes ? [[DATA + f.at, memBytes]] : [];
  const code = [...(f.cs ? [0x2e] : []), ...pre, ...f.mod, ...(imm !== undefined ? [imm] : [])];
  add(`${name} ${f.tag}${imm !== undefined ? ` imm=${hex2(imm)}` : ''}`, code, { fx, mem, regs: r });
}

// ---------------------------------------------------------------- SSSE3

const SSSE3 = [
  // [name, 0F 38 opcode, lane bytes for values]
  ['pshufb', 0x00, 1], ['phaddw', 0x01, 2], ['phaddd', 0x02, 4], ['phaddsw', 0x03, 2], ['pmaddubsw', 0x04, 1],
  ['phsubw', 0x05, 2], ['phsubd', 0x06, 4], ['phsubsw', 0x07, 2], ['psignb', 0x08, 1], ['psignw', 0x09, 2],
  ['psignd', 0x0a, 4], ['pmulhrsw', 0x0b, 2], ['pabsb', 0x1c, 1], ['pabsw', 0x1d, 2], ['pabsd', 0x1e, 4],
];

/** operands for an SSSE3 instruction: lanes plus the values that matter for it */
function ssse3Vals(rng, name, lane, n) {
  if (name === 'pshufb') {
    // control bytes: indexes with bits 4-6 set (ignored), bit 7 (zero)
    return Array.from({ length: n }, () => (rng.int(4) === 0 ? 0x80 | rng.int(128) : rng.int(4) === 0 ? rng.u32() & 0x7f : rng.int(n)));
  }
  if (name === 'phaddsw' || name === 'phsubsw' || name === 'pmulhrsw') {
    // saturation: pairs near the limits
    return Array.from({ length: n / 2 }, () => le16(rng.pick([0x7fff, 0x8000, 0x7ffe, 0x8001, 1, 0xffff, 0, rng.u32() & 0xffff, 0x4000, 0xc000]))).flat();
  }
  if (name === 'pmaddubsw') return Array.from({ length: n }, () => rng.pick([0xff, 0x80, 0x7f, 0, 1, 0xfe, rng.u32() & 0xff]));
  if (name.startsWith('psign')) {
    // sources: negative, zero, positive lanes; destinations: min values included
    return lanes(rng, lane, n, rng.int(2));
  }
  return lanes(rng, lane, n);
}

export function genSimdSsse3(cs, rng) {
  const add = adder(cs, rng, 'simd-ssse3');
  for (const [name, op, lane] of SSSE3) {
    // xmm (66) and mm (NP) forms
    for (const mmForm of [false, true]) {
      const n = mmForm ? 8 : 16;
      const pre = mmForm ? [0x0f, 0x38, op] : [0x66, 0x0f, 0x38, op];
      const nm = `${name} ${mmForm ? 'mm' : 'xmm'}`;
      const image = () => (mmForm
        ? fxImage({ mm: Array.from({ length: 8 }, () => ssse3Vals(rng, name, lane, 8)), xmm: xmms(rng, lane) })
        : fxImage({ xmm: Array.from({ length: 8 }, () => ssse3Vals(rng, name, lane, 16)) }));
      for (let t = 0; t < (mmForm ? 24 : 36); t++) {
        for (const f of forms(rng, n, !mmForm)) emit(add, rng, nm, pre, f, { fx: image(), memBytes: ssse3Vals(rng, name, lane, n) });
      }
      for (const f of edgeForms(rng, n, !mmForm)) emit(add, rng, nm, pre, f, { fx: image(), memBytes: ssse3Vals(rng, name, lane, n) });
      mmxState(add, rng, nm, pre, mmForm, n, () => ssse3Vals(rng, name, lane, n));
      badPrefixes(add, rng, nm, pre, mmForm);
    }
  }
  // palignr: every shift count up to past both operands, and random ones
  for (const mmForm of [false, true]) {
    const n = mmForm ? 8 : 16;
    const pre = mmForm ? [0x0f, 0x3a, 0x0f] : [0x66, 0x0f, 0x3a, 0x0f];
    const nm = `palignr ${mmForm ? 'mm' : 'xmm'}`;
    const image = () => (mmForm ? fxImage({ mm: mms(rng, 1), xmm: xmms(rng, 1) }) : fxImage({ xmm: xmms(rng, 1) }));
    const imms = [...Array.from({ length: 2 * n + 2 }, (_, k) => k), 0x7f, 0x80, 0xff, ...Array.from({ length: 8 }, () => rng.u32() & 0xff)];
    for (const imm of imms) {
      for (const f of forms(rng, n, !mmForm)) emit(add, rng, nm, pre, f, { fx: image(), imm, memBytes: rng.bytes(n) });
    }
    for (const f of edgeForms(rng, n, !mmForm)) emit(add, rng, nm, pre, f, { fx: image(), imm: rng.int(2 * n), memBytes: rng.bytes(n) });
    mmxState(add, rng, nm, pre, mmForm, n, () => rng.bytes(n), 3);
    badPrefixes(add, rng, nm, pre, mmForm, 5);
  }
}

/**
 * MMX forms and the x87 state: from an x87 stack (TOP 5, some registers empty) the instruction
 * makes TOP 0 and every tag valid; a pending unmasked x87 exception is #MF before anything
 * (also before a memory fault); a memory fault leaves the x87 state as it was.
 */
function mmxState(add, rng, nm, pre, mmForm, n, val, imm) {
  if (!mmForm) return;
  const x87 = (o = {}) => fxImage({ fcw: 0x37f, fsw: 0x2800, st: [st80(rng), st80(rng), null, st80(rng), st80(rng)], xmm: xmms(rng, 1), ...o });
  const r = modrm(3, rng.int(8), rng.int(8));
  const tail = imm !== undefined ? [imm] : [];
  add(`${nm} r,r (x87 stack, top 5)`, [...pre, r, ...tail], { fx: x87() });
  add(`${nm} r,r (x87 empty)`, [...pre, r, ...tail], { fx: fxImage({ xmm: xmms(rng, 1) }) });
  add(`${nm} r,[m] (x87 stack, top 5)`, [...pre, ...memAbs(1, 0x300), ...tail], { fx: x87(), mem: [[DATA + 0x300, val()]] });
  add(`${nm} r,[across page end] #PF (x87 stack kept)`, [...pre, ...memAbs(2, 0xffc), ...tail], { fx: x87() });
  // pending invalid-operation exception, unmasked: #MF (SIGFPE) before the operand is read
  const pend = { fcw: 0x37e, fsw: 0x2800 | 0x81 };
  add(`${nm} r,r #MF (pending x87 exception)`, [...pre, r, ...tail], { fx: x87(pend) });
  add(`${nm} r,[unmapped] #MF before #PF`, [...pre, modrm(0, 3, 5), ...le32(DATA + 0x1000), ...tail], { fx: x87(pend) });
}

/** lock is #UD; an F2/F3 prefix the instruction has no form for is #UD (measured) */
function badPrefixes(add, rng, nm, pre, mmForm, imm) {
  const r = modrm(3, rng.int(8), rng.int(8));
  const tail = imm !== undefined ? [imm] : [];
  const img = () => (mmForm ? fxImage({ mm: mms(rng, 1) }) : fxImage({ xmm: xmms(rng, 1) }));
  add(`${nm} lock #UD`, [0xf0, ...pre, ...memAbs(0, 0x40), ...tail], { fx: img() });
  add(`${nm} F3 #UD`, [0xf3, ...pre, r, ...tail], { fx: img() });
  add(`${nm} F2 #UD`, [0xf2, ...pre, r, ...tail], { fx: img() });
}

// ---------------------------------------------------------------- SSE4.1 integer

const S41_BIN = [
  // [name, 0F 38 opcode, lane bytes]
  ['ptest', 0x17, 4], ['pmuldq', 0x28, 4], ['pcmpeqq', 0x29, 8], ['packusdw', 0x2b, 4],
  ['pminsb', 0x38, 1], ['pminsd', 0x39, 4], ['pminuw', 0x3a, 2], ['pminud', 0x3b, 4],
  ['pmaxsb', 0x3c, 1], ['pmaxsd', 0x3d, 4], ['pmaxuw', 0x3e, 2], ['pmaxud', 0x3f, 4],
  ['pmulld', 0x40, 4], ['phminposuw', 0x41, 2], ['pblendvb', 0x10, 1],
];
const PMOV = [
  // [name, opcode, bytes read]
  ['pmovsxbw', 0x20, 8], ['pmovsxbd', 0x21, 4], ['pmovsxbq', 0x22, 2], ['pmovsxwd', 0x23, 8], ['pmovsxwq', 0x24, 4], ['pmovsxdq', 0x25, 8],
  ['pmovzxbw', 0x30, 8], ['pmovzxbd', 0x31, 4], ['pmovzxbq', 0x32, 2], ['pmovzxwd', 0x33, 8], ['pmovzxwq', 0x34, 4], ['pmovzxdq', 0x35, 8],
];

/** special register pairs for some instructions: [dst, src] 16-byte arrays */
function s41Pair(rng, name, lane) {
  const a = lanes(rng, lane), b = lanes(rng, lane);
  switch (name) {
    case 'ptest': {
      const k = rng.int(5);
      if (k === 0) return [a, a.map(() => 0)];
      if (k === 1) return [a, a.map((x) => x & (rng.u32() & 0xff))]; // src within dst: CF
      if (k === 2) return [a, a.map((x) => ~x & (rng.u32() & 0xff) & 0xff)]; // disjoint: ZF
      if (k === 3) return [a.map(() => 0), b];
      return [a, b];
    }
    case 'pcmpeqq': {
      const c = b.slice();
      if (rng.bool()) c.splice(0, 8, ...a.slice(0, 8));
      if (rng.bool()) c.splice(8, 8, ...a.slice(8, 16));
      if (rng.bool()) c.splice(4, 4, ...a.slice(4, 8)); // high halves equal, low differ
      return [a, c];
    }
    case 'phminposuw': {
      if (rng.bool()) { const v = rng.pick([0, 0xffff, rng.u32() & 0xffff]); for (let k = 0; k < 8; k++) if (rng.bool()) b.splice(2 * k, 2, ...le16(v)); }
      return [a, b];
    }
    case 'packusdw':
      return [lanes(rng, 4, 16, rng.int(3)).map((x, k) => (rng.int(6) === 0 && k % 4 < 2 ? 0 : x)), b];
    default:
      return [a, b];
  }
}

export function genSimdSse41Int(cs, rng) {
  const add = adder(cs, rng, 'simd-sse41-int');
  for (const [name, op, lane] of S41_BIN) {
    const pre = [0x66, 0x0f, 0x38, op];
    for (let t = 0; t < 40; t++) {
      for (const f of forms(rng, 16, true)) {
        const [x, y] = s41Pair(rng, name, lane);
        const xm = xmms(rng, lane);
        xm[f.reg] = x;
        if (f.mod.length === 1 && (f.mod[0] & 7) !== f.reg) xm[f.mod[0] & 7] = y;
        if (name === 'pblendvb' && rng.int(4) === 0) xm[0] = rng.bytes(16).map((v) => v & 0x80);
        emit(add, rng, name, pre, f, { fx: fxImage({ xmm: xm }), memBytes: y });
      }
    }
    for (const f of edgeForms(rng, 16, true)) emit(add, rng, name, pre, f, { fx: fxImage({ xmm: xmms(rng, lane) }), memBytes: lanes(rng, lane) });
    badPrefixes(add, rng, name, pre, false);
  }
  // ptest: every input flag state, the result clears the others
  for (let k = 0; k < 16; k++) {
    const [x, y] = s41Pair(rng, 'ptest', 4);
    add(`ptest flags in=${k}`, [0x66, 0x0f, 0x38, 0x17, modrm(3, 1, 2)], { fx: fxImage({ xmm: [null, x, y] }), eflags: ARITH | (k & 1 ? 0x400 : 0) });
  }
  // pblendw: every imm8
  for (let imm = 0; imm < 256; imm++) {
    const f = rng.int(4) === 0 ? forms(rng, 16, true)[1] : forms(rng, 16, true)[0];
    emit(add, rng, 'pblendw', [0x66, 0x0f, 0x3a, 0x0e], f, { fx: fxImage({ xmm: xmms(rng, 2) }), imm, memBytes: lanes(rng, 2) });
  }
  for (const f of edgeForms(rng, 16, true)) emit(add, rng, 'pblendw', [0x66, 0x0f, 0x3a, 0x0e], f, { fx: fxImage({ xmm: xmms(rng, 2) }), imm: rng.u32() & 0xff, memBytes: lanes(rng, 2) });
  badPrefixes(add, rng, 'pblendw', [0x66, 0x0f, 0x3a, 0x0e], false, 0x5a);
  // mpsadbw: every imm8 (bits 3-7 ignored)
  for (let imm = 0; imm < 256; imm += rng.int(3) + 1) {
    for (const f of forms(rng, 16, true).slice(0, 2)) emit(add, rng, 'mpsadbw', [0x66, 0x0f, 0x3a, 0x42], f, { fx: fxImage({ xmm: xmms(rng, 1) }), imm, memBytes: lanes(rng, 1) });
  }
  for (let imm = 0; imm < 8; imm++) {
    for (const f of forms(rng, 16, true)) emit(add, rng, 'mpsadbw', [0x66, 0x0f, 0x3a, 0x42], f, { fx: fxImage({ xmm: xmms(rng, 1) }), imm, memBytes: lanes(rng, 1, 16, 1) });
  }
  for (const f of edgeForms(rng, 16, true)) emit(add, rng, 'mpsadbw', [0x66, 0x0f, 0x3a, 0x42], f, { fx: fxImage({ xmm: xmms(rng, 1) }), imm: rng.int(8), memBytes: lanes(rng, 1) });
  // pmovsx / pmovzx: the memory form reads only 8, 4 or 2 bytes (at the very end of the page: no fault)
  for (const [name, op, n] of PMOV) {
    const pre = [0x66, 0x0f, 0x38, op];
    for (let t = 0; t < 30; t++) {
      for (const f of forms(rng, n, false)) emit(add, rng, name, pre, f, { fx: fxImage({ xmm: xmms(rng, n === 2 ? 1 : rng.pick([1, 2, 4])) }), memBytes: lanes(rng, 1, n, 0) });
    }
    for (const f of edgeForms(rng, n, false)) emit(add, rng, name, pre, f, { fx: fxImage({ xmm: xmms(rng, 1) }), memBytes: lanes(rng, 1, n, 0) });
    badPrefixes(add, rng, name, pre, false);
  }
  // pextrb / pextrw (0F 3A 15) / pextrd: to r32 (zero-extended) or memory; every lane index with ignored high bits
  for (const [name, op, n, lanesN] of [['pextrb', 0x14, 1, 16], ['pextrw', 0x15, 2, 8], ['pextrd', 0x16, 4, 4]]) {
    const pre = [0x66, 0x0f, 0x3a, op];
    for (let t = 0; t < 48; t++) {
      const imm = t < lanesN ? t : rng.u32() & 0xff;
      const x = rng.int(8), g = rng.pick(GPR);
      add(`${name} ${R32[g]},xmm${x} imm=${hex2(imm)}`, [...pre, modrm(3, x, g), imm], { fx: fxImage({ xmm: xmms(rng, 1) }) });
      const off = rng.int(0x1000 - n + 1);
      add(`${name} [m],xmm${x} imm=${hex2(imm)}`, [...pre, ...memAbs(x, off), imm], { fx: fxImage({ xmm: xmms(rng, 1) }) });
    }
    add(`${name} [page end],xmm1`, [...pre, ...memAbs(1, 0x1000 - n), 3], { fx: fxImage({ xmm: xmms(rng, 1) }) });
    if (n > 1) add(`${name} [across page end],xmm1 #PF`, [...pre, ...memAbs(1, 0xfff), 3], { fx: fxImage({ xmm: xmms(rng, 1) }) });
    add(`${name} [unmapped],xmm1 #PF`, [...pre, modrm(0, 1, 5), ...le32(DATA + 0x1000), 3], { fx: fxImage({ xmm: xmms(rng, 1) }) });
    add(`${name} cs:[m],xmm1 #GP`, [0x2e, ...pre, ...memAbs(1, 0x80), 3], { fx: fxImage({ xmm: xmms(rng, 1) }) });
    badPrefixes(add, rng, name, pre, false, 1);
  }
  // pinsrb / pinsrd: from r32 (its low byte for pinsrb) or memory
  for (const [name, op, n, lanesN] of [['pinsrb', 0x20, 1, 16], ['pinsrd', 0x22, 4, 4]]) {
    const pre = [0x66, 0x0f, 0x3a, op];
    for (let t = 0; t < 48; t++) {
      const imm = t < lanesN ? t : rng.u32() & 0xff;
      const x = rng.int(8), g = rng.pick([...GPR, ESP]);
      add(`${name} xmm${x},${R32[g]} imm=${hex2(imm)}`, [...pre, modrm(3, x, g), imm], { fx: fxImage({ xmm: xmms(rng, 1) }) });
      const off = rng.int(0x1000 - n + 1);
      add(`${name} xmm${x},[m] imm=${hex2(imm)}`, [...pre, ...memAbs(x, off), imm], { fx: fxImage({ xmm: xmms(rng, 1) }), mem: [[DATA + off, rng.bytes(n)]] });
    }
    add(`${name} xmm1,[page end]`, [...pre, ...memAbs(1, 0x1000 - n), 2], { fx: fxImage({ xmm: xmms(rng, 1) }) });
    if (n > 1) add(`${name} xmm1,[across page end] #PF`, [...pre, ...memAbs(1, 0xffe), 2], { fx: fxImage({ xmm: xmms(rng, 1) }) });
    add(`${name} xmm1,cs:[m]`, [0x2e, ...pre, ...memAbs(1, 0x80), 2], { fx: fxImage({ xmm: xmms(rng, 1) }) });
    badPrefixes(add, rng, name, pre, false, 1);
  }
  // movntdqa: aligned memory only
  const nt = [0x66, 0x0f, 0x38, 0x2a];
  for (let t = 0; t < 24; t++) {
    const f = forms(rng, 16, true)[1 + rng.int(2)];
    emit(add, rng, 'movntdqa', nt, f, { fx: fxImage({ xmm: xmms(rng, 1) }), memBytes: rng.bytes(16) });
  }
  for (const f of edgeForms(rng, 16, true)) emit(add, rng, 'movntdqa', nt, f, { fx: fxImage({ xmm: xmms(rng, 1) }), memBytes: rng.bytes(16) });
  add('movntdqa xmm0,xmm1 #UD', [...nt, modrm(3, 0, 1)], { fx: fxImage({ xmm: xmms(rng, 1) }) });
  badPrefixes(add, rng, 'movntdqa', nt, false);
}

// ---------------------------------------------------------------- SSE4.2 string compares

const STR_OPS = [['pcmpestrm', 0x60, true], ['pcmpestri', 0x61, true], ['pcmpistrm', 0x62, false], ['pcmpistri', 0x63, false]];
// explicit lengths: in range, saturated, negative (absolute value), the extremes
const LENS = [0, 1, 2, 3, 5, 7, 8, 9, 12, 15, 16, 17, 31, 100, -1, -2, -7, -8, -9, -15, -16, -17, -100, 0x7fffffff, -0x80000000];

/** element values of a string: a small alphabet so that elements match, signed edges included */
function alphabet(rng, words) {
  const pool = words
    ? [0x61, 0x62, 0x63, 0x7fff, 0x8000, 0xffff, 0x0061, 0x6100, 0x0001, 0x80, 0xff]
    : [0x61, 0x62, 0x63, 0x7f, 0x80, 0xff, 0x01, 0x41, 0x5a, 0x20];
  const n = 2 + rng.int(5);
  return Array.from({ length: n }, () => rng.pick(pool));
}
/** a string of n elements (16 bytes), null-terminated at `nul` (or not when nul >= n) */
function strElems(rng, n, alpha, nul) {
  const e = Array.from({ length: n }, () => rng.pick(alpha));
  if (nul < n) { e[nul] = 0; for (let k = nul + 1; k < n; k++) e[k] = rng.int(3) === 0 ? 0 : rng.pick(alpha); }
  return e;
}
const toBytes = (e, words) => (words ? e.flatMap((v) => le16(v)) : e.map((v) => v & 0xff));
/** where a string ends: nowhere (no null), at 0, at the last element, anywhere */
function nulAt(rng, n) {
  const k = rng.int(8);
  return k < 3 ? n : k === 3 ? 0 : k === 4 ? n - 1 : rng.int(n);
}

/** operands for one case of a string compare with imm8 `imm`: [xmm1 elements, xmm2 elements] */
function strPair(rng, imm) {
  const words = (imm & 1) !== 0, n = words ? 8 : 16, agg = (imm >> 2) & 3;
  const alpha = alphabet(rng, words);
  let a = strElems(rng, n, alpha, nulAt(rng, n));
  const b = strElems(rng, n, alpha, nulAt(rng, n));
  if (agg === 1 && rng.bool()) {
    // ranges: sorted pairs, some empty (lo > hi), signed-edge bounds
    const edge = words ? [0, 1, 0x61, 0x7a, 0x7fff, 0x8000, 0xffff] : [0, 1, 0x61, 0x7a, 0x7f, 0x80, 0xff];
    a = Array.from({ length: n }, () => rng.pick([...edge, ...alpha]));
    for (let k = 0; k + 1 < n; k += 2) if (rng.int(4) && a[k] > a[k + 1]) [a[k], a[k + 1]] = [a[k + 1], a[k]];
    const nul = nulAt(rng, n);
    if (nul < n) a[nul] = 0;
  } else if (agg === 3 && rng.bool()) {
    // equal ordered: the needle is a piece of the string (matches inside, at the start, running off the end)
    const from = rng.pick([0, n - 1, n - 2, n - 3, rng.int(n)]), len = 1 + rng.int(5);
    a = Array.from({ length: n }, (_, k) => (k < len && from + k < n ? b[from + k] : rng.pick(alpha)));
    if (rng.int(3)) a[Math.min(len, n - 1)] = 0;
    if (rng.int(4) === 0) a[0] = 0; // empty needle
  } else if (agg === 2 && rng.bool()) {
    // equal each: mostly equal strings
    a = b.map((v) => (rng.int(5) === 0 ? rng.pick(alpha) : v));
    if (rng.bool()) { const k = rng.int(n); a[k] = 0; }
  }
  return [toBytes(a, words), toBytes(b, words)];
}

export function genSimdSse42Str(cs, rng) {
  const add = adder(cs, rng, 'simd-sse42-str');
  for (const [name, op, explicit] of STR_OPS) {
    const pre = [0x66, 0x0f, 0x3a, op];
    for (let imm = 0; imm < 128; imm++) {
      for (let t = 0; t < 7; t++) {
        const words = (imm & 1) !== 0, n = words ? 8 : 16;
        const [x, y] = strPair(rng, imm);
        const regs = randomRegs(rng);
        if (explicit) {
          // lengths matching the strings' null positions, or anything
          regs[EAX] = (rng.int(3) === 0 ? rng.int(n + 1) : rng.pick(LENS)) >>> 0;
          regs[EDX] = (rng.int(3) === 0 ? rng.int(n + 1) : rng.pick(LENS)) >>> 0;
        }
        const xm = xmms(rng, 1);
        const f = t === 6 ? forms(rng, 16, false)[1 + rng.int(2)] : forms(rng, 16, false)[0];
        // imm8 bit 7 is ignored: set it now and then
        const code = rng.int(8) === 0 ? imm | 0x80 : imm;
        xm[f.reg] = x;
        if (f.mod.length === 1) { const s = f.mod[0] & 7; if (s !== f.reg) xm[s] = y; }
        else if (rng.int(4) === 0) xm[rng.int(8)] = toBytes(Array.from({ length: n }, () => 0), words);
        emit(add, rng, name, pre, f, { fx: fxImage({ xmm: xm }), imm: code, memBytes: y, regs });
      }
    }
    // memory: misaligned (allowed), across the page end (#PF), unmapped, cs:
    for (const f of edgeForms(rng, 16, false)) {
      const imm = rng.int(128), [x, y] = strPair(rng, imm);
      const xm = xmms(rng, 1); xm[f.reg] = x;
      const regs = randomRegs(rng); regs[EAX] = rng.pick(LENS) >>> 0; regs[EDX] = rng.pick(LENS) >>> 0;
      emit(add, rng, name, pre, f, { fx: fxImage({ xmm: xm }), imm, memBytes: y, regs });
    }
    // the mask output lands in xmm0 also when xmm0 is an operand; the index in ecx also when ecx is not a length
    for (let t = 0; t < 8; t++) {
      const imm = rng.int(128), [x, y] = strPair(rng, imm);
      const d = t & 1 ? 0 : rng.int(8), s = t & 2 ? 0 : rng.int(8);
      const xm = xmms(rng, 1); xm[d] = x; if (s !== d) xm[s] = y;
      const regs = randomRegs(rng); regs[EAX] = rng.pick(LENS) >>> 0; regs[EDX] = rng.pick(LENS) >>> 0;
      add(`${name} xmm${d},xmm${s} imm=${hex2(imm)} (xmm0 operand)`, [...pre, modrm(3, d, s), imm], { fx: fxImage({ xmm: xm }), regs });
    }
    badPrefixes(add, rng, name, pre, false, 0x0c);
  }
}

// ---------------------------------------------------------------- crc32, pcmpgtq, popcnt, #UD

/** CRC-32C seeds and data: zero, all ones, random */
const crcVal = (rng) => rng.pick([0, 0xffffffff, 0x80000000, 1, rng.u32(), rng.u32(), rng.u32()]) >>> 0;

export function genSimdSse42Misc(cs, rng) {
  const add = adder(cs, rng, 'simd-sse42-misc');
  // crc32 r32, r/m8 (F0), r/m16 (66 F1), r/m32 (F1)
  const CRC = [['crc32b', [0xf2, 0x0f, 0x38, 0xf0], 1], ['crc32w', [0x66, 0xf2, 0x0f, 0x38, 0xf1], 2], ['crc32d', [0xf2, 0x0f, 0x38, 0xf1], 4]];
  for (const [name, pre, n] of CRC) {
    for (let t = 0; t < 60; t++) {
      const regs = randomRegs(rng);
      const d = rng.pick(GPR), s = n === 1 ? rng.int(8) : rng.pick(GPR);
      regs[d] = crcVal(rng);
      if (s !== d && rng.bool()) regs[s & 3] = crcVal(rng);
      const src = n === 1 ? R8[s] : n === 2 ? R16[s] : R32[s];
      add(`${name} ${R32[d]},${src}`, [...pre, modrm(3, d, s)], { regs });
      const off = rng.int(0x1000 - n + 1), r2 = randomRegs(rng);
      r2[d] = crcVal(rng);
      add(`${name} ${R32[d]},[m${8 * n}]`, [...pre, ...memAbs(d, off)], { regs: r2, mem: [[DATA + off, le32(crcVal(rng)).slice(0, n)]] });
    }
    if (n > 1) add(`${name} eax,[across page end] #PF`, [...pre, ...memAbs(EAX, 0xfff)]);
    add(`${name} eax,cs:[m]`, [0x2e, ...pre, ...memAbs(EAX, 0x10)]);
    add(`${name} lock #UD`, [0xf0, ...pre, ...memAbs(EAX, 0x10)]);
  }
  // prefixes: 66 on the byte form changes nothing; the last of F2/F3 decides (F3 last: #UD)
  for (let t = 0; t < 6; t++) {
    const regs = randomRegs(rng);
    add('crc32b 66 eax,cl', [0x66, 0xf2, 0x0f, 0x38, 0xf0, modrm(3, EAX, ECX)], { regs });
    add('crc32d F3 F2 eax,ecx', [0xf3, 0xf2, 0x0f, 0x38, 0xf1, modrm(3, EAX, ECX)], { regs });
  }
  add('crc32d F2 F3 #UD', [0xf2, 0xf3, 0x0f, 0x38, 0xf1, modrm(3, EAX, ECX)]);
  add('crc32b F3 #UD', [0xf3, 0x0f, 0x38, 0xf0, modrm(3, EAX, ECX)]);
  add('crc32d 66 F3 #UD', [0x66, 0xf3, 0x0f, 0x38, 0xf1, modrm(3, EAX, ECX)]);
  // a sequence's worth of data: the eight bits of every byte position
  for (let b = 0; b < 32; b++) {
    const regs = randomRegs(rng); regs[EAX] = rng.bool() ? 0 : 0xffffffff; regs[ECX] = (2 ** b) >>> 0;
    add(`crc32d eax,ecx (bit ${b})`, [0xf2, 0x0f, 0x38, 0xf1, modrm(3, EAX, ECX)], { regs });
  }

  // pcmpgtq: signed 64-bit lanes
  const gt = [0x66, 0x0f, 0x38, 0x37];
  const q = (rng) => {
    const k = rng.int(6);
    if (k === 0) return [0, 0, 0, 0, 0, 0, 0, 0];
    if (k === 1) return [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    if (k === 2) return [0, 0, 0, 0, 0, 0, 0, 0x80];
    if (k === 3) return [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
    return rng.bytes(8);
  };
  for (let t = 0; t < 80; t++) {
    for (const f of forms(rng, 16, true)) {
      const x = [...q(rng), ...q(rng)];
      let y = [...q(rng), ...q(rng)];
      if (rng.int(3) === 0) y = [...x.slice(0, 4), ...y.slice(4, 8), ...x.slice(8, 12), ...y.slice(12)]; // low halves equal
      if (rng.int(3) === 0) y = [...y.slice(0, 4), ...x.slice(4, 8), ...y.slice(8, 12), ...x.slice(12)]; // high halves equal: unsigned low compare
      if (rng.int(6) === 0) y = x.slice();
      const xm = xmms(rng, 8);
      xm[f.reg] = x;
      if (f.mod.length === 1 && (f.mod[0] & 7) !== f.reg) xm[f.mod[0] & 7] = y;
      emit(add, rng, 'pcmpgtq', gt, f, { fx: fxImage({ xmm: xm }), memBytes: y });
    }
  }
  for (const f of edgeForms(rng, 16, true)) emit(add, rng, 'pcmpgtq', gt, f, { fx: fxImage({ xmm: xmms(rng, 8) }), memBytes: rng.bytes(16) });
  badPrefixes(add, rng, 'pcmpgtq', gt, false);

  // popcnt r16/r32, register and memory; zero sets ZF, every other status flag cleared
  for (const w of [16, 32]) {
    const pre = w === 16 ? [0x66, 0xf3, 0x0f, 0xb8] : [0xf3, 0x0f, 0xb8];
    const rn = w === 16 ? R16 : R32;
    const vals = [0, 1, 0xffffffff, 0x80000000, 0x8000, 0xffff, 0x10000, 0x55555555, 0xaaaaaaaa,
      ...Array.from({ length: 32 }, (_, b) => (2 ** b) >>> 0), ...Array.from({ length: 40 }, () => rng.u32())];
    for (const v of vals) {
      const regs = randomRegs(rng), d = rng.pick(GPR), s = rng.pick(GPR);
      regs[s] = v;
      add(`popcnt ${rn[d]},${rn[s]}`, [...pre, modrm(3, d, s)], { regs, eflags: ARITH & ~ZF | (rng.bool() ? ZF : 0) });
      const off = rng.int(0x1000 - w / 8 + 1);
      add(`popcnt ${rn[d]},[m${w}]`, [...pre, ...memAbs(d, off)], { mem: [[DATA + off, le32(v).slice(0, w / 8)]], eflags: flags(rng) });
    }
    add(`popcnt ${rn[0]},[across page end] #PF`, [...pre, ...memAbs(EAX, 0xfff)]);
    add(`popcnt ${rn[0]},cs:[m]`, [0x2e, ...pre, ...memAbs(EAX, 0x20)]);
    add(`popcnt ${rn[0]} lock #UD`, [0xf0, ...pre, ...memAbs(EAX, 0x20)]);
  }
  add('popcnt F2 F3 (last F3)', [0xf2, 0xf3, 0x0f, 0xb8, modrm(3, EAX, ECX)]);
  add('popcnt F3 F2 #UD', [0xf3, 0xf2, 0x0f, 0xb8, modrm(3, EAX, ECX)]);
  add('0F B8 #UD', [0x0f, 0xb8, modrm(3, EAX, ECX)]);

  // Extensions the host has and the modelled CPU does not report: the real CPU runs ud2 in their
  // place (a CPU without them raises #UD before reading any operand).
  const absent = [
    ['aesenc', [0x66, 0x0f, 0x38, 0xdc]], ['aesenclast', [0x66, 0x0f, 0x38, 0xdd]], ['aesdec', [0x66, 0x0f, 0x38, 0xde]],
    ['aesdeclast', [0x66, 0x0f, 0x38, 0xdf]], ['aesimc', [0x66, 0x0f, 0x38, 0xdb]], ['aeskeygenassist', [0x66, 0x0f, 0x3a, 0xdf], 1],
    ['pclmulqdq', [0x66, 0x0f, 0x3a, 0x44], 0x11], ['sha1rnds4', [0x0f, 0x3a, 0xcc], 1], ['sha1nexte', [0x0f, 0x38, 0xc8]],
    ['sha1msg1', [0x0f, 0x38, 0xc9]], ['sha1msg2', [0x0f, 0x38, 0xca]], ['sha256rnds2', [0x0f, 0x38, 0xcb]],
    ['sha256msg1', [0x0f, 0x38, 0xcc]], ['sha256msg2', [0x0f, 0x38, 0xcd]],
    ['movbe r,m', [0x0f, 0x38, 0xf0], undefined, true], ['movbe m,r', [0x0f, 0x38, 0xf1], undefined, true],
    ['adcx', [0x66, 0x0f, 0x38, 0xf6]], ['adox', [0xf3, 0x0f, 0x38, 0xf6]],
  ];
  for (const [name, pre, imm, memOnly] of absent) {
    const tail = imm !== undefined ? [imm] : [];
    const img = fxImage({ xmm: xmms(rng, 1) });
    if (!memOnly) add(`${name} r,r #UD`, [...pre, modrm(3, 1, 2), ...tail], { fx: img, nativeCode: UD2 });
    add(`${name} r,[m] #UD`, [...pre, ...memAbs(1, 0x40), ...tail], { fx: img, nativeCode: UD2 });
    add(`${name} r,[unmapped] #UD`, [...pre, modrm(0, 1, 5), ...le32(DATA + 0x1000), ...tail], { fx: img, nativeCode: UD2 });
  }
}

export const FAMILIES = [genSimdSsse3, genSimdSse41Int, genSimdSse42Str, genSimdSse42Misc];
