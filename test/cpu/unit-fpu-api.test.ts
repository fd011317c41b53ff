// FPU object contract: save/restore images, clone, reset, fwait, undefined encodings, faults.
import test from 'ava';
import { FPU, FpuHost, FPU_UD, FPE_FLTDIV, FPE_FLTINV, SAVE_SIZE } from '../../src/cpu/fpu.js';
import { computeConstants, computeTables } from '../../src/cpu/fpu-trans.js';
import { TAB_SIN, TAB_COS, TAB_ATAN, TAB_LOG2, TAB_EXPM1, BF_PI, BF_LN2, BF_LN10 } from '../../src/cpu/fpu-tables.js';

class Host implements FpuHost {
  bytes = new Uint8Array(256);
  regs = new Int32Array(8);
  eflags = 0;
  private dv = new DataView(this.bytes.buffer);
  private chk(a: number, n: number) { if (a < 0 || a + n > this.bytes.length) throw new RangeError(`guest fault at ${a}`); return a; }
  mem = {
    read8: (a: number) => this.bytes[this.chk(a, 1)],
    read16: (a: number) => this.dv.getUint16(this.chk(a, 2), true),
    read32: (a: number) => this.dv.getUint32(this.chk(a, 4), true),
    write8: (a: number, v: number) => { this.bytes[this.chk(a, 1)] = v; },
    write16: (a: number, v: number) => this.dv.setUint16(this.chk(a, 2), v, true),
    write32: (a: number, v: number) => this.dv.setUint32(this.chk(a, 4), v >>> 0, true),
  };
  getEflags() { return this.eflags; }
  setFpuFlags(zf: boolean, pf: boolean, cf: boolean) { this.eflags = (zf ? 0x40 : 0) | (pf ? 4 : 0) | (cf ? 1 : 0); }
  f64(a: number, v?: number) { if (v !== undefined) this.dv.setFloat64(a, v, true); return this.dv.getFloat64(a, true); }
}

test('reset gives the finit state and save() a 108-byte image of it', (t) => {
  const f = new FPU();
  const h = new Host();
  h.f64(0, 2.5);
  f.exec(h, 0xdd, 0x00, 0, false); // fld qword [0]
  f.reset();
  const img = f.save();
  t.is(img.length, SAVE_SIZE);
  t.is(img[0] | (img[1] << 8), 0x037f);
  t.is(img[4] | (img[5] << 8), 0);
  t.is(img[8] | (img[9] << 8), 0xffff);
});

test('save/restore round-trips and does not reinitialise', (t) => {
  const f = new FPU();
  const h = new Host();
  h.f64(0, 1.5); h.f64(8, -3);
  f.exec(h, 0xdd, 0x00, 0, false);   // fld 1.5
  f.exec(h, 0xdd, 0x00, 8, false);   // fld -3
  f.exec(h, 0xd8, 0xf1, 0, false);   // fdiv st, st(1) -> -2
  const img = f.save();
  t.is(f.save().join(), img.join(), 'save() leaves the state alone');
  const g = new FPU();
  g.restore(img);
  t.is(g.save().join(), img.join());
  g.exec(h, 0xdd, 0x18, 16, false);  // fstp qword [16]
  t.is(h.f64(16), -2);
});

test('restore rejects a short image and leaves the state alone', (t) => {
  const f = new FPU();
  const before = f.save().join();
  t.throws(() => f.restore(new Uint8Array(94)), { instanceOf: RangeError, message: /108 bytes expected/ });
  t.is(f.save().join(), before);
});

test('clone is independent', (t) => {
  const f = new FPU();
  const h = new Host();
  h.f64(0, 7);
  f.exec(h, 0xdd, 0x00, 0, false);
  const c = f.clone();
  f.exec(h, 0xd9, 0xe0, 0, false);   // fchs on the original only
  c.exec(h, 0xdd, 0x18, 8, false);
  f.exec(h, 0xdd, 0x18, 16, false);
  t.is(h.f64(8), 7);
  t.is(h.f64(16), -7);
});

test('an unmasked exception is reported at the next waiting instruction', (t) => {
  const f = new FPU();
  const h = new Host();
  h.bytes[0] = 0x7b; h.bytes[1] = 0x03;      // CW 0x037b: ZE unmasked
  f.exec(h, 0xd9, 0x28, 0, false);           // fldcw
  h.f64(8, 1); h.f64(16, 0);
  f.exec(h, 0xdd, 0x00, 8, false);           // fld 1
  t.is(f.exec(h, 0xdc, 0x30, 16, false), 0); // fdiv qword 0.0: flags ZE, ES
  t.is(f.fwait(h), FPE_FLTDIV);
  t.is(f.exec(h, 0xd9, 0xe8, 0, false), FPE_FLTDIV, 'fld1 traps before executing');
  t.is(f.exec(h, 0xdf, 0xe0, 0, false), 0, 'fnstsw ax does not wait');
  t.is(h.regs[0] & 0x80ff, 0x8084);
  t.is(f.exec(h, 0xdb, 0xe2, 0, false), 0, 'fnclex');
  t.is(f.fwait(h), 0);
});

test('invalid operation under an unmasked IM maps to FPE_FLTINV', (t) => {
  const f = new FPU();
  const h = new Host();
  h.bytes[0] = 0x7e; h.bytes[1] = 0x03;      // IE unmasked
  f.exec(h, 0xd9, 0x28, 0, false);
  f.exec(h, 0xd9, 0xe8, 0, false);           // fld1
  f.exec(h, 0xd9, 0xe0, 0, false);           // fchs -> -1
  f.exec(h, 0xd9, 0xfa, 0, false);           // fsqrt(-1): IE
  t.is(f.fwait(h), FPE_FLTINV);
});

test('undefined encodings are reported, not executed', (t) => {
  const f = new FPU();
  const h = new Host();
  t.is(f.exec(h, 0xd9, 0x08, 0, false), FPU_UD);  // D9 /1
  t.is(f.exec(h, 0xd9, 0xd1, 0, false), FPU_UD);  // D9 D1
  t.is(f.exec(h, 0xdd, 0xf8, 0, false), FPU_UD);  // DD F8
  t.is(f.save()[8], 0xff);
});

test('memory faults propagate from the host accessors', (t) => {
  const f = new FPU();
  const h = new Host();
  t.throws(() => f.exec(h, 0xdd, 0x00, 1 << 20, false), { instanceOf: RangeError });
  t.is(f.save()[8] | (f.save()[9] << 8), 0xffff, 'nothing was pushed');
});

test('fcomi reports through setFpuFlags and fnstsw ax writes AX only', (t) => {
  const f = new FPU();
  const h = new Host();
  h.f64(0, 1); h.f64(8, 2);
  f.exec(h, 0xdd, 0x00, 0, false);
  f.exec(h, 0xdd, 0x00, 8, false);           // st0 = 2, st1 = 1
  f.exec(h, 0xdb, 0xf1, 0, false);           // fcomi st, st(1)
  t.is(h.eflags, 0);
  f.exec(h, 0xdb, 0xe8 + 1, 0, false);       // fucomi
  t.is(h.eflags, 0);
  h.regs[0] = 0x12340000 | 0;
  f.exec(h, 0xdf, 0xe0, 0, false);
  t.is(h.regs[0] >>> 16, 0x1234);
  t.is((h.regs[0] >> 11) & 7, 6);
});

test('the fast paths\' tables (fpu-tables.ts) are the exact code\'s (scripts/fpu/gen-tables.mjs)', (t) => {
  const want = computeTables();
  const have: Record<string, Float64Array> = { SIN: TAB_SIN, COS: TAB_COS, ATAN: TAB_ATAN, LOG2: TAB_LOG2, EXPM1: TAB_EXPM1 };
  for (const [name, v] of Object.entries(want)) t.deepEqual(Array.from(have[name]), v, name);
  // and the constants the exact code starts from: pi, ln 2, ln 10 by their series
  t.deepEqual(computeConstants(), { PI: BF_PI, LN2: BF_LN2, LN10: BF_LN10 });
});
