// SIMD opcode entries in the manual's notation, merged into the opcode table (opcodes.ts).
// Each family file (simd-*.ts) exports a list of entries; an entry is
//   ['66 0F 38 00 /r', 'pshufb', 'Vx,Wx', handler, sub?, extra?]
// where the first part is the mandatory prefix (NP: none, 66, F3, F2), the opcode bytes
// (0F xx, 0F 38 xx, 0F 3A xx) and /r or /digit (a ModRM.reg group). Operand tokens:
// V W U xmm (reg, reg-or-memory, reg only), P Q N mm (same), E G general registers,
// M memory only, Ib an immediate byte. A register-only and a memory-only form of the
// same slot (movhlps / movlps) share it.
import type { Handler } from './decode.js';
import type { OpDef } from './opcodes.js';

export type SimdEntry = [
  encoding: string, name: string, ops: string, fn: Handler, sub?: number, extra?: Partial<OpDef>,
];

const PFX: Record<string, number> = { NP: 0, '66': 1, F3: 2, F2: 3 };

/** Merge entries into table T (0x400 slots: one-byte, 0F, 0F 38, 0F 3A). */
export function mergeSimd(T: (OpDef | undefined)[], entries: readonly SimdEntry[]): void {
  for (const [enc, name, ops, fn, sub, extra] of entries) {
    // (split by hand: the regular expressions took some 3 ms of every start, run cold)
    const parts = enc.split(' ').filter((w) => w !== '');
    const k = PFX[parts[0]!];
    if (k === undefined || parts[1] !== '0F') throw new Error(`simd table: bad encoding ${enc}`);
    let op: number, rest: string[];
    if (parts[2] === '38' || parts[2] === '3A') {
      op = (parts[2] === '38' ? 0x200 : 0x300) | parseInt(parts[3]!, 16);
      rest = parts.slice(4);
    } else {
      op = 0x100 | parseInt(parts[2]!, 16);
      rest = parts.slice(3);
    }
    const def: OpDef = { name, ops, fn, sub, simd: true, ...extra };
    const g = rest.find((r) => r.length === 2 && r[0] === '/' && r[1]! >= '0' && r[1]! <= '7');
    let holder = T[op];
    if (!holder) holder = T[op] = { name, ops: g ? 'M' : ops };
    if (g) {
      const reg = Number(g[1]);
      holder.group ??= [];
      holder = holder.group[reg] ??= { name, ops: 'M' };
    }
    const forms = (holder.pfx ??= [undefined, undefined, undefined, undefined]);
    const old = forms[k];
    if (!old) { forms[k] = def; continue; }
    // a register-only form next to a memory-only one (or the reverse)
    const isReg = (d: OpDef) => /(^|,)[UN]/.test(d.ops ?? '');
    if (isReg(def) && !isReg(old) && !old.mod3) old.mod3 = def;
    else if (isReg(old) && !isReg(def) && !def.mod3) { def.mod3 = old; forms[k] = def; }
    else throw new Error(`simd table: ${enc} (${name}) given twice`);
  }
}
