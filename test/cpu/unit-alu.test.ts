// add or adc sbb and sub xor cmp, test, inc/dec, neg/not: interpreter vs the real CPU.
import test from 'ava';
import { compare, values, type Case } from './unit-harness.js';

const le32 = (v: number) => [0, 8, 16, 24].map((s) => ((v >>> s) & 0xff).toString(16).padStart(2, '0')).join('');
const DATA_ADDR = le32(0x10100000);

function check(t: import('ava').ExecutionContext, cases: Case[]) {
  const bad = compare(cases).filter(Boolean);
  t.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${cases.length} cases differ`);
}

test('ALU ops, register forms, all sizes, CF in', (t) => {
  const vals = values(14, 1);
  const cases: Case[] = [];
  for (let op = 0; op < 8; op++) {
    for (const [pre, opc, modrm] of [['', 0, 'd8'], ['66', 1, 'd8'], ['', 1, 'd8'], ['', 0, 'f8' /* bh, al */], ['', 2, 'c3']] as const) {
      for (const a of vals) for (const b of vals) for (const cf of [0, 1]) {
        const code = `${pre}${(op * 8 + opc).toString(16).padStart(2, '0')}${modrm}`;
        cases.push({ code, regs: [a, 0, 0, b], flags: cf });
      }
    }
  }
  check(t, cases);
});

test('ALU ops with memory operands and immediates', (t) => {
  const vals = values(10, 2);
  const cases: Case[] = [];
  for (let op = 0; op < 8; op++) {
    const o = (op * 8).toString(16).padStart(2, '0');
    const o1 = (op * 8 + 1).toString(16).padStart(2, '0');
    const o3 = (op * 8 + 3).toString(16).padStart(2, '0');
    const reg = (op << 3) | 5;
    for (const a of vals) for (const b of vals) {
      const data = le32(a);
      cases.push({ code: `${o1}1d${DATA_ADDR}`, regs: [0, 0, 0, b], data, flags: 1 });          // op [m32], ebx
      cases.push({ code: `${o3}1d${DATA_ADDR}`, regs: [0, 0, 0, b], data });                    // op ebx, [m32]
      cases.push({ code: `66${o}1d${DATA_ADDR}`.replace(/^66/, ''), regs: [0, 0, 0, b], data }); // op [m8], bl
      cases.push({ code: `81${reg.toString(16).padStart(2, "0")}${DATA_ADDR}${le32(b)}`, data, flags: 1 });       // op dword [m], imm32
      cases.push({ code: `83${reg.toString(16).padStart(2, "0")}${DATA_ADDR}${(b & 0xff).toString(16).padStart(2, '0')}`, data });
      cases.push({ code: `6683${reg.toString(16).padStart(2, "0")}${DATA_ADDR}${(b & 0xff).toString(16).padStart(2, '0')}`, data });
      cases.push({ code: `80${reg.toString(16).padStart(2, "0")}${DATA_ADDR}${(b & 0xff).toString(16).padStart(2, '0')}`, data, flags: 1 });
      cases.push({ code: `${(op * 8 + 5).toString(16).padStart(2, '0')}${le32(b)}`, regs: [a] }); // op eax, imm32
      cases.push({ code: `${(op * 8 + 4).toString(16).padStart(2, '0')}${(b & 0xff).toString(16).padStart(2, '0')}`, regs: [a], flags: 1 });
    }
  }
  check(t, cases);
});

test('test, inc/dec, neg/not, lock prefix', (t) => {
  const vals = values(24, 3);
  const cases: Case[] = [];
  for (const a of vals) {
    for (const cf of [0, 1]) {
      for (const code of ['85d8', '84d8', '6685d8', 'a9ff00ff00', '40', '48', '6640', 'fec0', 'fec8', 'fec4',
        'f7d8', 'f6d8', '66f7d8', 'f7d0', 'f6d4', 'f7c3f0f0f0f0', 'f6c780']) {
        cases.push({ code, regs: [a, 0, 0, a ^ 0x5a5a5a5a], flags: cf });
      }
      cases.push({ code: `f0ff05${DATA_ADDR}`, data: le32(a), flags: cf });   // lock inc dword [m]
      cases.push({ code: `f0f71d${DATA_ADDR}`, data: le32(a), flags: cf });   // lock neg dword [m]
      cases.push({ code: `f001d8`, regs: [a] });                              // lock add eax, ebx: #UD
      cases.push({ code: `f089${'1d'}${DATA_ADDR}`, regs: [a] });             // lock mov: #UD
    }
  }
  check(t, cases);
});
