// The SSE/x87 state across signals, fork, threads and execve.
// - Frame logic (src/int80/signal.ts) on a bare CPU: where Linux 6.1 puts the FXSR fpstate and
//   what it writes there, what a handler starts with, what sigreturn takes back.
// - rootfs/bin/sigxmm under load_app: stdout and exit status byte-identical to its native run
//   (test/cpu/programs-golden/sigxmm.txt, `zx scripts/build-fixtures.mjs --golden --only=sigxmm`),
//   interpreted and translated.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AddressSpace, PROT_READ, PROT_WRITE } from '../../src/cpu/memory.js';
import { CPU, ESP } from '../../src/cpu/cpu.js';
import { FPU } from '../../src/cpu/fpu.js';
import { F80 } from '../../src/cpu/float80.js';
import { AltStack, FP_XSTATE_MAGIC1, TrapInfo, initFpu, setupFrame, sigreturn, type PendingSignal } from '../../src/int80/signal.js';
import * as L from '../../src/int80/layouts.js';
import { offsets } from '../../src/int80/struct.js';
import { SA } from '../../src/uapi/linux.js';

// field offsets of the frame's parts, and each struct's size
const FPSTATE_32 = { ...offsets(L.FPSTATE_32), size: L.FPSTATE_32.size };
const FPX_SW_BYTES = offsets(L.FPX_SW_BYTES);
const RT_SIGFRAME = offsets(L.RT_SIGFRAME), SIGFRAME = offsets(L.SIGFRAME), UCONTEXT = offsets(L.UCONTEXT);
const SIGCONTEXT_32 = offsets(L.SIGCONTEXT_32);
const SA_SIGINFO = SA.SIGINFO;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

// ---------------------------------------------------------------- frame logic

const STACK = 0x40000, STACK_TOP = 0x50000, TRAMPOLINE = 0x1000;

function machine(): CPU {
  const mem = new AddressSpace();
  mem.map(STACK, STACK_TOP - STACK, PROT_READ | PROT_WRITE);
  const cpu = new CPU(mem);
  cpu.regs[ESP] = STACK_TOP - 0x123; // any alignment
  cpu.eip = 0x8048000;
  for (let k = 0; k < 32; k++) cpu.xi32[k] = (0x10000000 + k * 0x01010101) | 0;
  cpu.mxcsr = 0x3fa0;
  const f = cpu.fpu as FPU;
  f.cw = 0x027f;
  f.push(new F80(0, 0x3fff, 0x80000000, 0)); // 1.0
  return cpu;
}

function signal(sig: number, flags: number): PendingSignal {
  const oldmask = new Uint8Array([4, 0, 0, 0, 0x80, 0, 0, 0]);
  return { sig, info: new Uint8Array(128), handler: 0x8049000, flags, restorer: 0, oldmask };
}

/** Run the restorer's part: esp as the kernel finds it at (rt_)sigreturn. */
function returnFrom(cpu: CPU, rt: boolean): void {
  cpu.regs[ESP] = (cpu.regs[ESP]! + (rt ? 4 : 8)) | 0;
}

for (const rt of [true, false]) {
  const name = rt ? 'rt_sigframe' : 'sigframe';
  test(`${name}: the FXSR fpstate where and as Linux 6.1 writes it`, (t) => {
    const cpu = machine();
    const esp = cpu.regs[ESP]! >>> 0;
    const trap = new TrapInfo();
    trap.record({ trapno: 19, errorCode: 0, addr: 0 });
    t.true(setupFrame(cpu, signal(10, rt ? SA_SIGINFO : 0), TRAMPOLINE, new AltStack(), trap));
    const sp = cpu.regs[ESP]! >>> 0;
    const sc = sp + (rt ? RT_SIGFRAME.uc + UCONTEXT.mcontext : SIGFRAME.sc);
    const fp = cpu.mem.read32(sc + SIGCONTEXT_32.fpstate) >>> 0;
    // fpu__alloc_mathframe: FXSAVE image 64-byte aligned below the stack, the 112-byte header under it
    t.is(fp + FPSTATE_32.fxsr, (esp - 512) & ~63);
    t.is((sp + 4) % 16, 0);
    t.is(fp - sp, rt ? 276 : 740); // as measured natively by sigxmm
    t.is(cpu.mem.read32(sc + SIGCONTEXT_32.trapno), 19);
    if (!rt) t.is(cpu.mem.read32(sp + SIGFRAME.extramask), 0x80);
    const img = cpu.mem.readBytes(fp, FPSTATE_32.size);
    const v = new DataView(img.buffer);
    t.is(v.getUint32(FPSTATE_32.cw, true), 0xffff027f);
    t.is(v.getUint32(FPSTATE_32.tag, true), 0xffff3fff);
    t.is(v.getUint32(FPSTATE_32.cssel, true), 0x23);
    t.is(v.getUint32(FPSTATE_32.datasel, true), 0xffff002b);
    t.is(v.getUint16(FPSTATE_32.status, true), v.getUint16(FPSTATE_32.sw, true));
    t.is(v.getUint16(FPSTATE_32.magic, true), 0);
    t.is(v.getUint16(FPSTATE_32.st + 8, true), 0x3fff);
    t.is(v.getUint32(FPSTATE_32.mxcsr, true), 0x3fa0);
    t.is(v.getUint16(FPSTATE_32.fxsr, true), 0x027f);
    for (let k = 0; k < 32; k++) t.is(v.getInt32(FPSTATE_32.xmm + 4 * k, true), (0x10000000 + k * 0x01010101) | 0);
    const sw = FPSTATE_32.sw_reserved;
    t.is(v.getUint32(sw + FPX_SW_BYTES.magic1, true), FP_XSTATE_MAGIC1);
    t.is(v.getUint32(sw + FPX_SW_BYTES.extended_size, true), 512 + 4 + 112);
    t.is(v.getBigUint64(sw + FPX_SW_BYTES.xfeatures, true), 0n);
    t.is(v.getUint32(sw + FPX_SW_BYTES.xstate_size, true), 512);
    // the handler starts from init_fpstate
    t.is(cpu.mxcsr, 0x1f80);
    t.true(cpu.xi32.every((x) => x === 0));
    const f = cpu.fpu as FPU;
    t.is(f.cw, 0x37f);
    t.is(f.empty, 0xff);
    t.true([0, 1, 2, 3, 4, 5, 6, 7].map((p) => f.reg(p)).every((x) => x.e === 0 && x.hi === 0 && x.lo === 0));
  });

  test(`${name}: sigreturn takes xmm and MXCSR from the FXSAVE image, the x87 state from the header`, (t) => {
    const cpu = machine();
    t.true(setupFrame(cpu, signal(12, rt ? SA_SIGINFO : 0), TRAMPOLINE, new AltStack()));
    const sp = cpu.regs[ESP]! >>> 0;
    const fp = cpu.mem.read32(sp + (rt ? RT_SIGFRAME.uc + UCONTEXT.mcontext : SIGFRAME.sc) + SIGCONTEXT_32.fpstate) >>> 0;
    cpu.mem.write32(fp + FPSTATE_32.xmm + 48, 0xdeadbeef | 0);
    cpu.mem.write32(fp + FPSTATE_32.mxcsr, 0x7f80);
    cpu.mem.write16(fp + FPSTATE_32.cw, 0x0e7f);
    cpu.mem.write16(fp + FPSTATE_32.fxsr, 0x0c7f); // ignored
    cpu.xi32.fill(7);
    returnFrom(cpu, rt);
    const r = sigreturn(cpu, rt, new AltStack());
    t.true(r.ok);
    t.deepEqual([...r.mask!], [4, 0, 0, 0, 0x80, 0, 0, 0]);
    t.is(cpu.eip, 0x8048000);
    t.is(cpu.mxcsr, 0x7f80);
    t.is(cpu.xi32[12], 0xdeadbeef | 0);
    t.is(cpu.xi32[13], (0x10000000 + 13 * 0x01010101) | 0);
    const f = cpu.fpu as FPU;
    t.is(f.cw, 0x0e7f);
    t.is(f.top, 7);
    t.is(f.get(0).e, 0x3fff);
  });

  test(`${name}: reserved MXCSR bits make sigreturn fail (SIGSEGV, FPU reset) after the registers`, (t) => {
    const cpu = machine();
    t.true(setupFrame(cpu, signal(10, rt ? SA_SIGINFO : 0), TRAMPOLINE, new AltStack()));
    const sp = cpu.regs[ESP]! >>> 0;
    const fp = cpu.mem.read32(sp + (rt ? RT_SIGFRAME.uc + UCONTEXT.mcontext : SIGFRAME.sc) + SIGCONTEXT_32.fpstate) >>> 0;
    cpu.mem.write32(fp + FPSTATE_32.mxcsr, 0x11f80);
    cpu.xi32.fill(7);
    returnFrom(cpu, rt);
    const r = sigreturn(cpu, rt, new AltStack());
    t.false(r.ok);
    t.truthy(r.mask); // reinstated before the context, as Linux
    t.is(cpu.eip, 0x8048000);
    t.is(cpu.mxcsr, 0x1f80);
    t.true(cpu.xi32.every((x) => x === 0));
  });
}

test('a NULL fpstate at sigreturn resets the FPU to init_fpstate', (t) => {
  const cpu = machine();
  t.true(setupFrame(cpu, signal(10, SA_SIGINFO), TRAMPOLINE, new AltStack()));
  const sp = cpu.regs[ESP]! >>> 0;
  cpu.mem.write32(sp + RT_SIGFRAME.uc + UCONTEXT.mcontext + SIGCONTEXT_32.fpstate, 0);
  cpu.xi32.fill(7);
  cpu.mxcsr = 0x9fc0;
  returnFrom(cpu, true);
  t.true(sigreturn(cpu, true, new AltStack()).ok);
  t.is(cpu.mxcsr, 0x1f80);
  t.true(cpu.xi32.every((x) => x === 0));
  t.is((cpu.fpu as FPU).empty, 0xff);
});

test('the fpstate must fit as well as the frame: nothing is written otherwise', (t) => {
  const cpu = machine();
  cpu.regs[ESP] = STACK + 300; // no room for the fpstate (nor the frame) below it
  const before = cpu.mem.readBytes(STACK, 300);
  t.false(setupFrame(cpu, signal(10, SA_SIGINFO), TRAMPOLINE, new AltStack()));
  t.deepEqual(cpu.mem.readBytes(STACK, 300), before);
  t.is(cpu.mxcsr, 0x3fa0); // untouched
  t.is(cpu.regs[ESP], STACK + 300);
});

test('initFpu is init_fpstate; fork keeps the whole state (CPU.clone)', (t) => {
  const cpu = machine();
  const child = cpu.clone(cpu.mem);
  t.is(child.mxcsr, 0x3fa0);
  t.deepEqual([...child.xi32], [...cpu.xi32]);
  t.is((child.fpu as FPU).cw, 0x027f);
  t.is((child.fpu as FPU).empty, 0x7f);
  initFpu(cpu);
  t.is(cpu.mxcsr, 0x1f80);
  t.true(cpu.xi32.every((x) => x === 0));
  const f = cpu.fpu as FPU;
  t.is(f.cw, 0x37f);
  t.is(f.statusWord(), 0);
  t.is(f.empty, 0xff);
});

// ---------------------------------------------------------------- the fixture under load_app

function goldenStdout(): { stdout: string; exit: number } {
  const text = fs.readFileSync(path.join(ROOT, 'test/cpu/programs-golden/sigxmm.txt'), 'latin1');
  const exit = Number(/^exit: (\d+)$/m.exec(text)![1]);
  return { stdout: text.slice(text.indexOf('--- stdout\n') + 11), exit };
}

for (const [label, env] of [['interpreted', { EMBOX_JIT: '0' }], ['translated at once', { EMBOX_JIT: '1' }]] as const) {
  test(`sigxmm (${label}): stdout and exit status byte-identical to the native run`, (t) => {
    const g = goldenStdout();
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'embox.cjs'), '-c', 'load_app sigxmm'], {
      encoding: 'latin1', input: '', timeout: 180_000, env: { ...process.env, ...env },
    });
    t.is(r.stdout, g.stdout);
    t.is(r.status, g.exit);
  });
}
