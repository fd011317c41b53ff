// EFLAGS bits and the lazy-flags encoding shared by the handlers.
export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100, IF = 0x200, DF = 0x400, OF = 0x800;
export const NT = 0x4000, RF = 0x10000, AC = 0x40000, ID = 0x200000;
/** the six arithmetic status flags */
export const STATUS = CF | PF | AF | ZF | SF | OF;
/** bits a user-mode popf may change (IF/IOPL silently kept at CPL 3) */
export const POPF_MASK = STATUS | TF | DF | NT | AC | ID;
/** bit 1 is always set */
export const FIXED1 = 0x2;

/** How the status flags are to be derived from the last result (CPU.fop). */
export const F_NONE = 0, F_ADD = 1, F_ADC = 2, F_SUB = 3, F_SBB = 4, F_LOGIC = 5, F_INC = 6, F_DEC = 7;

/** PARITY[b] = PF for a result whose low byte is b. */
export const PARITY = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  let n = 0;
  for (let v = b; v; v >>= 1) n += v & 1;
  PARITY[b] = n & 1 ? 0 : PF;
}

const NAMES: Record<string, number> = { CF, PF, AF, ZF, SF, OF };

/** 'OF AF' -> OF|AF */
export function flagMask(names: string): number {
  let m = 0;
  for (const n of names.split(/[\s,|]+/).filter(Boolean)) {
    const v = NAMES[n];
    if (v === undefined) throw new Error(`unknown flag name ${n}`);
    m |= v;
  }
  return m;
}
