#!/usr/bin/env node
// Throughput of common x87 operations through FPU.exec (build first: npm run build).
// Usage: node scripts/fpu/bench.mjs
import { FPU } from '../../dist/src/cpu/fpu.js';

const mem = new Uint8Array(64);
const dv = new DataView(mem.buffer);
const host = {
  regs: new Int32Array(8),
  mem: {
    read8: (a) => mem[a], read16: (a) => dv.getUint16(a, true), read32: (a) => dv.getUint32(a, true),
    write8: (a, v) => { mem[a] = v; }, write16: (a, v) => dv.setUint16(a, v, true), write32: (a, v) => dv.setUint32(a, v, true),
  },
  getEflags: () => 0, setFpuFlags: () => {},
};
dv.setFloat64(0, 1.0000001, true);
dv.setFloat64(8, 0.9999999, true);

function bench(name, ops) {
  const f = new FPU();
  f.exec(host, 0xdd, 0x00, 0, false);  // fld m64 [0]
  f.exec(host, 0xdd, 0x00, 8, false);  // fld m64 [8]
  const N = Number(process.env.N ?? 1000000);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) for (const [op, modrm, addr] of ops) f.exec(host, op, modrm, addr, false);
  const ns = Number(process.hrtime.bigint() - t0);
  console.log(`${name.padEnd(28)} ${(N * ops.length / ns * 1e3).toFixed(2)} M ops/s`);
}
// Operands stay ordinary numbers over the run (st0 starts at 0.9999999, st1 at 1.0000001).
bench('fadd st,st(1)', [[0xd8, 0xc1]]);
bench('fsub st,st(1)', [[0xd8, 0xe1]]);
bench('fmul st,st(1)', [[0xd8, 0xc9]]);
bench('fdiv st,st(1)', [[0xd8, 0xf1]]);
bench('fadd m64', [[0xdc, 0x00, 0]]);
bench('fsqrt (+fld m64)', [[0xdd, 0x00, 0], [0xd9, 0xfa], [0xdd, 0xd8]]);
bench('fld m64 (+fstp st0)', [[0xdd, 0x00, 0], [0xdd, 0xd8]]);
bench('fld m64 / fstp m64', [[0xdd, 0x00, 16], [0xdd, 0x18, 16]]);
bench('fxch', [[0xd9, 0xc9]]);
bench('fcomi', [[0xdb, 0xf1]]);
bench('fsin (+fld m64)', [[0xdd, 0x00, 0], [0xd9, 0xfe], [0xdd, 0xd8]]);
bench('f2xm1 (+fld m64)', [[0xdd, 0x00, 8], [0xd9, 0xf0], [0xdd, 0xd8]]);
bench('fyl2x (+fld m64)', [[0xdd, 0x00, 0], [0xd9, 0xf1]]);
bench('fpatan (+fld m64)', [[0xdd, 0x00, 0], [0xd9, 0xf3]]);
bench('fist m32 (+fld m64)', [[0xdd, 0x00, 0], [0xdb, 0x18, 24]]);
bench('fild m32 (+fstp st0)', [[0xdb, 0x00, 24], [0xdd, 0xd8]]);
