// The SIMD state and ordering instructions: fences, prefetches, clflush, pause, ldmxcsr and
// stmxcsr, fxsave and fxrstor (with register and memory forms that do not exist), and what the
// modelled CPU does not have (rdpkru/wrpkru, 3DNow! femms) raising #UD.
import {
  DATA, randomRegs, memAbs, modrm, fxImage, randXmms, randMm, le32, FX_VENDOR_RANGES, EAX, ECX, EDX,
} from './common.mjs';

const F = 'simd-state';

export function genSimdState(cs, rng) {
  const add = (name, code, { fx, mem = [], memIgnore, regs } = {}) =>
    cs.add(F, name, { regs: regs ?? randomRegs(rng), eflags: rng.u32() & 0x8d5, seed: rng.u32(), code, mem, fx: fx ?? fxImage({ xmm: randXmms(rng) }), memIgnore });
  for (let k = 0; k < 4; k++) {
    add('lfence', [0x0f, 0xae, 0xe8 + k]);
    add('mfence', [0x0f, 0xae, 0xf0 + k]);
    add('sfence', [0x0f, 0xae, 0xf8 + k]);
    add('pause', [0xf3, 0x90]);
  }
  for (const [nm, r] of [['prefetchnta', 0], ['prefetcht0', 1], ['prefetcht1', 2], ['prefetcht2', 3]]) {
    add(`${nm} [m]`, [0x0f, 0x18, ...memAbs(r, 0x40 + 64 * rng.int(16))]);
    // a prefetch of an unmapped address does not fault
    add(`${nm} [unmapped]`, [0x0f, 0x18, modrm(0, r, 5), ...le32(0x70000000 + 64 * rng.int(64))]);
  }
  add('clflush [m]', [0x0f, 0xae, ...memAbs(7, 0x100)]);
  add('clflush [unmapped] #PF', [0x0f, 0xae, modrm(0, 7, 5), ...le32(0x70000040)]);
  add('clflush [code page]', [0x0f, 0xae, modrm(0, 7, 5), ...le32(0x20000000)]);
  // ldmxcsr / stmxcsr across values, misaligned, page end
  for (let k = 0; k < 40; k++) {
    const v = (rng.u32() & 0xffff) >>> 0;
    const off = 0x200 + rng.int(64) * 4 + (rng.int(4) === 0 ? 1 + rng.int(3) : 0);
    add('ldmxcsr [m]', [0x0f, 0xae, ...memAbs(2, off)], { mem: [[DATA + off, le32(v)]] });
    add('stmxcsr [m]', [0x0f, 0xae, ...memAbs(3, off)], { fx: fxImage({ xmm: randXmms(rng), mxcsr: v }) });
  }
  add('ldmxcsr [m] bit 31 #GP', [0x0f, 0xae, ...memAbs(2, 0x300)], { mem: [[DATA + 0x300, le32(0x80001f80)]] });
  add('ldmxcsr [page end] #PF', [0x0f, 0xae, ...memAbs(2, 0xffe)]);
  add('stmxcsr [page end] #PF', [0x0f, 0xae, ...memAbs(3, 0xffe)]);
  add('ldmxcsr reg form #UD', [0x0f, 0xae, modrm(3, 2, 1)]);
  add('fxsave reg form #UD', [0x0f, 0xae, modrm(3, 0, 1)]);
  // fxsave / fxrstor round trips of random states (x87 values, mm values, MXCSR)
  for (let k = 0; k < 30; k++) {
    const at = 0x400 + 16 * rng.int(32);
    const img = rng.bool() ? fxImage({ xmm: randXmms(rng), mm: Array.from({ length: 8 }, () => randMm(rng)), mxcsr: rng.u32() & 0xffff })
      : fxImage({ xmm: randXmms(rng), mxcsr: rng.u32() & 0xffff, fcw: 0x37f, fsw: (rng.int(8) << 11), st: [rng.bytes(10), rng.bytes(10)] });
    add('fxsave [m]', [0x0f, 0xae, ...memAbs(0, at)], { fx: img, memIgnore: FX_VENDOR_RANGES.map(([o, n]) => [DATA + at + o, n]) });
    const src = fxImage({ xmm: randXmms(rng), mm: Array.from({ length: 8 }, () => randMm(rng)), mxcsr: rng.u32() & 0xffff });
    add('fxrstor [m]', [0x0f, 0xae, ...memAbs(1, at)], { mem: [[DATA + at, [...src]]] });
  }
  // what the modelled CPU lacks
  add('rdpkru #UD', [0x0f, 0x01, 0xee], { regs: Object.assign(randomRegs(rng), { [ECX]: 0 }) });
  add('femms (3DNow!) #UD', [0x0f, 0x0e]);
  // rdtscp: not reported (rdtsc counts instructions here); the host has it, so the real CPU runs
  // ud2 in its place (a stand-in, see README)
  cs.add(F, 'rdtscp #UD', { regs: randomRegs(rng), eflags: 0, seed: rng.u32(), code: [0x0f, 0x01, 0xf9], nativeCode: [0x0f, 0x0b], mem: [], fx: fxImage({ xmm: randXmms(rng) }) });
  add('wrpkru #UD', [0x0f, 0x01, 0xef], { regs: Object.assign(randomRegs(rng), { [ECX]: 0, [EDX]: 0, [EAX]: 0 }) });
}

export const FAMILIES = [genSimdState];
