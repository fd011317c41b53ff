// Branches, calls, stack, string instructions, data movement and faults: interpreter vs the real CPU.
import test from 'ava';
import { compare, values, type Case } from './unit-harness.js';

const h2 = (n: number) => (n & 0xff).toString(16).padStart(2, '0');
const le32 = (v: number) => [0, 8, 16, 24].map((s) => h2(v >>> s)).join('');
const CODE = 0x10000000, DATA = 0x10100000;
const D = le32(DATA);
const pattern = Array.from({ length: 64 }, (_, k) => h2((k * 29 + 7) ^ (k << 2))).join('');

function check(t: import('ava').ExecutionContext, cases: Case[]) {
  const bad = compare(cases).filter(Boolean);
  t.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${cases.length} cases differ`);
}

test('jcc/setcc/cmovcc for every condition after cmp, test, add, sahf', (t) => {
  const vals = values(10, 41);
  const cases: Case[] = [];
  for (let cc = 0; cc < 16; cc++) {
    for (const a of vals) for (const b of vals.slice(0, 6)) {
      for (const first of ['39d8', '6639d8', '38d8', '85d8', '01d8', '29d8', '40', '48']) {
        cases.push({ code: `${first}${h2(0x70 + cc)}05b901000000`, regs: [a, 0, 0, b] });
      }
      cases.push({ code: `39d80f${h2(0x80 + cc)}05000000b901000000`, regs: [a, 0, 0, b] });
      cases.push({ code: `39d80f${h2(0x90 + cc)}c1`, regs: [a, 0xffffff00, 0, b] });
      cases.push({ code: `39d80f${h2(0x40 + cc)}cb`, regs: [a, 0x77, 0, b] });
    }
    for (let ah = 0; ah < 256; ah += 3) cases.push({ code: `9e0f${h2(0x90 + cc)}c1`, regs: [ah << 8] });
  }
  check(t, cases);
});

test('loop/jecxz, call/ret, indirect and far transfers', (t) => {
  const cases: Case[] = [];
  for (const ecx of [0, 1, 5, 0x10001]) {
    for (const fl of [0, 0x40]) {
      if (ecx !== 0) {
        // with ecx = 0 these run 2^32 times
        cases.push({ code: 'e2fe', regs: [0, ecx], flags: fl });
        cases.push({ code: 'e1fe', regs: [0, ecx], flags: fl });
        cases.push({ code: 'e0fe', regs: [0, ecx], flags: fl });
      }
      cases.push({ code: '67e2fe', regs: [0, ecx], flags: fl });
      cases.push({ code: 'e305b901000000', regs: [0, ecx], flags: fl });
      cases.push({ code: '67e305b901000000', regs: [0, ecx], flags: fl });
    }
  }
  cases.push({ code: 'e80000000058' });                               // call next; pop eax
  cases.push({ code: 'e801000000ccc3' });                             // call; ret to int3
  cases.push({ code: `bb${le32(CODE + 8)}ffd3cc5a` });                // call ebx
  cases.push({ code: `bb${le32(CODE + 8)}ffe3cc40` });                // jmp ebx
  cases.push({ code: `ff25${D}cc40`, data: le32(CODE + 7) });         // jmp [m]
  cases.push({ code: `ff15${D}cc59`, data: le32(CODE + 7) });         // call [m]
  cases.push({ code: 'e802000000eb0bc20800' });                       // call; ret 8
  cases.push({ code: `6a0068${le32(CODE + 8)}c3cc` });               // push; ret
  cases.push({ code: `ea${le32(CODE + 8)}2300cc40` });                // jmp far 0x23:..
  cases.push({ code: `9a${le32(CODE + 8)}2300cc5859` });              // call far; pop eax; pop ecx
  cases.push({ code: `ea${le32(CODE + 8)}2b00cc40` });                // jmp far to a data selector: #GP
  check(t, cases);
});

test('push/pop, pusha/popa, pushf/popf, enter/leave, segment registers', (t) => {
  const cases: Case[] = [];
  const regs = [0x11111111, 0x22222222, 0x33333333, 0x44444444, 0x1020ff80, 0x66666666, 0x77777777];
  for (const code of [
    '505b', '6aff58', '6668ffff58', '68785634125a', `ff35${D}5e`, `8f05${D}`, '6050b8000000006158', '54', '5c',
    '6650665b', '60cc', '6661', '9c58', '669c58', '68d54c2400' + '9d9c58', '68fffeffff9d9c58', '66680000' + '669d9c58',
    'c8100000c9', 'c8080001c9', 'c8080003', '66c80800005b', 'c9', '66c9',
    '0e58', '1e07', '8cd8', '8cd9668cda', '06', '0fa0', '0fa8', `8c1d${D}`, '6a2b1f', '6a001f', '6a0017', '6a2b17',
    'b82b0000008ed0', 'b82b0000008ed8', 'b8230000008ed8', 'b8230000008ed0', 'b8000000008ec0', 'b8080000008ec0', 'b8330000008ec0',
    'b8230000008ec8', 'b8120000008ec0', 'b86b0000008ee8', 'b8730000008ee0', 'b86f0000008ee0', 'b80c0000008ee0', `c43d${D}`, `0fb23d${D}`,
    '8f442404', `ff74240c`, '8f0424',
  ]) cases.push({ code, regs, data: pattern.slice(0, 8) + '2b00' + pattern.slice(12) });
  // TF: the instruction after the popf that sets it runs, then #DB (SIGTRAP TRAP_TRACE)
  for (const code of ['68020300009d9c58', '68020300009d40', '68020300009d6802020000' + '9d40']) cases.push({ code, regs });
  cases.push({ code: 'bc0000002050', regs });       // push to an unmapped stack: fault, esp unchanged
  cases.push({ code: 'bc1000201060', regs });       // pusha crossing into unmapped memory
  cases.push({ code: 'bc00002110c3', regs });       // ret from unmapped
  check(t, cases);
});

test('string instructions with rep prefixes, DF, address size and faults', (t) => {
  const cases: Case[] = [];
  const long = Array.from({ length: 256 }, (_, k) => h2((k * 29 + 7) ^ (k << 2))).join('');
  for (const [code, df] of [
    ['f3a4', 0], ['f3a5', 0], ['f3a4', 1], ['f3a5', 1], ['66f3a5', 0], ['a4', 0], ['a5', 1],
    ['f3aa', 0], ['f3ab', 1], ['66f3ab', 0], ['aa', 0], ['ac', 0], ['ad', 1], ['f3ac', 0],
    ['f3a6', 0], ['f2a6', 0], ['f3a7', 1], ['a6', 0], ['f3ae', 0], ['f2ae', 0], ['f2af', 1], ['ae', 0],
    ['67f3a4', 0], ['67aa', 0], ['64a4', 0], ['26a5', 0], ['2ea4', 0],
  ] as const) {
    for (const ecx of [0, 1, 7, 16]) {
      const flags = (df ? 0x400 : 0) | 0x41;
      // descending runs start high enough to stay inside the data page
      const at = df ? 200 : 24;
      cases.push({ code, regs: [0x33, ecx, 0, 0, 0, DATA + at, DATA + at + 8], flags, data: long });
      cases.push({ code, regs: [0x1e, ecx, 0, 0, 0, DATA + at, DATA + at], flags, data: long });
    }
  }
  // faults in the middle of a rep: registers show the progress
  cases.push({ code: 'f3a5', regs: [0, 100, 0, 0, 0, DATA + 0xff0, DATA], data: pattern });
  cases.push({ code: 'f3ab', regs: [0, 100, 0, 0, 0, 0, DATA + 0xff8] });
  // counts beyond one dispatch chunk (the interpreter re-executes the rep), ending in a fault
  cases.push({ code: 'f3aa', regs: [0x5a, 0x18000, 0, 0, 0, 0, 0x10200000] });
  cases.push({ code: 'f3a4', regs: [0, 0x14000, 0, 0, 0, 0x10200000, 0x10204000] });
  cases.push({ code: 'f3ab', regs: [7, 0x3fc0, 0, 0, 0, 0, 0x10200000] });
  check(t, cases);
});

test('mov forms, lea addressing, xchg/xadd/cmpxchg/cmpxchg8b, extension, flag instructions', (t) => {
  const vals = values(8, 44);
  const cases: Case[] = [];
  for (const a of vals) {
    const regs = [a, 0x11223344, 0x55667788, DATA, 0x10, 0x8, 0x99aabbcc];
    for (const code of [
      '8d440b04', '8d8488ffffff7f', '8d04cd10000000', '8d0424', '8d4500', '8d05ffffffff', '678d00', '678d4002', '678d4302', '678d06cdab',
      '66678d4702', '8d1c9b',
      '89c1', '88e1', '88c5', '668b0b', '8a0b', '8b4b04', '8a6b3f', `a1${D}`, `a0${D}`, `a3${D}`, `66a3${D}`, `a2${D}`,
      'c6430801', 'c7430cffffffff', '66c743100100', 'b0ff', 'b4ff', '66b8ffff', 'b9efbeadde',
      '87c1', '86e0', '87430c', '92', '6693', 'f0874308', '0fc1c1', '0fc0e0', '0fc14304', 'f00fc14304',
      '0fb1d1', '0fb1c1', '0fb0e1', '0fb14b04', '0fb10b', 'f00fb10b', '0fc70b', 'f00fc74b08', '0fc7c8',
      '0fb6c0', '0fb6c4', '0fbec0', '0fbfc0', '660fb6c4', '660fbec0', '0fb703', '0fbf03', '0fbe4304',
      '98', '6698', '99', '6699',
      'f5', 'f8', 'f9', 'fc', 'fd9c58fc', '9e', '9f', 'd6', 'f9d6', 'd7', '26d7', '60d7',
      '0f1f00', '0f1f440000', '660f1f840000000000', 'f30f1efb', '0f1800', '0f0d08', 'f390', '90', '0fae' + 'f0', '0faee8',
      '6202', '6203', '666202', '63c8', '6343fc', '26a4', '64a4', '658d00', '648d4004',
    ]) cases.push({ code, regs, data: pattern, flags: a & 0x8d5 });
  }
  check(t, cases);
});

test('faults: #UD, #GP, #DE, #BP, #OF, page faults, exec permission', (t) => {
  const cases: Case[] = [
    { code: '0f0b' }, { code: '0fff' }, { code: '0fb9c0' }, { code: 'fe' + 'd0' }, { code: 'ff' + 'f8' }, { code: '8fc8' },
    { code: '8dc0' }, { code: 'c4c0' }, { code: '0f0e' },
    { code: 'f4' }, { code: 'fa' }, { code: 'fb' }, { code: 'e460' }, { code: 'ee' }, { code: '6c' }, { code: '0f20c0' },
    { code: '0f22d8' }, { code: '0f30' }, { code: '0f32' }, { code: '0f06' }, { code: '0f09' }, { code: '0f00d0' },
    // the host has these extensions, the modelled CPU does not: they must be #UD like ud2
    ...['0f01d0', '0fc7f0', '0f01f9'].map((code) => ({ code, nativeCode: '0f0b' })),
    // MMX/SSE/FXSR, which both have
    { code: '0f77' }, { code: '0f1000' }, { code: '0fae00' }, { code: '660f6fc0' },
    // popcnt (F3 0F B8; the modelled CPU has it): 16-bit, memory, a page fault; 0F B8 and F2 0F B8 are #UD
    { code: '66f30fb8c0' }, { code: 'f30fb800' }, { code: `f30fb805${le32(0x20000000)}` },
    { code: '0fb8c0' }, { code: 'f20fb8c0' },
    { code: 'cd21' }, { code: 'cdff' }, { code: 'cd03' }, { code: 'cc' }, { code: 'cd04' },
    { code: 'ce', flags: 0x800 }, { code: 'ce' },
    { code: 'f7f1', regs: [1, 0] }, { code: 'f6f1', regs: [0x1000, 2] }, { code: 'd400' },
    { code: '8b0500000000', regs: [1, 2, 3] }, { code: `c705${le32(0x30000000)}01000000` },
    { code: `a1${le32(DATA + 0xffe)}` }, { code: `a3${le32(DATA + 0xffe)}`, regs: [0x12345678] },
    { code: `c705${le32(DATA + 0xffe)}44332211` }, { code: `ff05${le32(DATA + 0xffd)}` },
    { code: `b8${le32(DATA)}ffe0` },                 // jump into non-exec data
    { code: `b8${le32(0x20000000)}ffe0` },           // jump to unmapped
    { code: `b8${le32(CODE + 0xfffe)}ffe0` },        // run off the end of the code mapping
    { code: 'f0' + '01c0' }, { code: 'f00fa3c0' }, { code: `f0ff25${D}` },
    { code: '66' .repeat(14) + '90' }, { code: '66'.repeat(15) + '90' },
    { code: '6202', regs: [5], data: '0000000004000000' },
    // writes through cs: are #GP, reads are fine
    ...['2e890b', '2e8b0b', '2e8346f842', '2e837bf842', '2e0fab0b', '2e0fa30b', '2ec60301', '2ea3' + le32(DATA), '2ea1' + le32(DATA)]
      .map((code) => ({ code, regs: [1, 2, 3, DATA, 4, DATA + 8, 6], data: pattern })),
    // cmps reads es:[edi] before the source; fs: with a null selector only faults when accessed
    { code: 'a6', regs: [0, 0, 0, 0, 0, 0x30000000, 0x31000000] }, { code: 'a7', regs: [0, 0, 0, 0, 0, DATA, 0x31000000] },
    { code: '64a6', regs: [0, 0, 0, 0, 0, DATA, 0x31000000] }, { code: '64a6', regs: [0, 0, 0, 0, 0, DATA, DATA] },
    { code: '64f3a4', regs: [0, 0, 0, 0, 0, DATA, DATA] }, { code: '64f3a6', regs: [0, 0, 0, 0, 0, DATA, DATA] },
  ];
  check(t, cases);
});
