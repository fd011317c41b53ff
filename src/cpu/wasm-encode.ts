// WebAssembly binary encoding: LEB128 numbers, the opcodes the translator
// uses, sections, names, the import of frames.ts's memory.
import { MEMORY_MAX_PAGES, MEMORY_SHARED } from './frames.js';


export function uleb(out: number[], v: number): void {
  v >>>= 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
}
export function sleb(out: number[], v: number): void {
  v |= 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

export const I32 = 0x7f;
export const OP = {
  unreachable: 0x00, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, brTable: 0x0e, return: 0x0f, call: 0x10, returnCall: 0x12, drop: 0x1a, select: 0x1b,
  get: 0x20, set: 0x21, tee: 0x22,
  load: 0x28, load8u: 0x2d, load16u: 0x2f, store: 0x36, store8: 0x3a, store16: 0x3b,
  const: 0x41, eqz: 0x45, eq: 0x46, ne: 0x47, lts: 0x48, ltu: 0x49, gts: 0x4a, gtu: 0x4b,
  les: 0x4c, leu: 0x4d, ges: 0x4e, geu: 0x4f,
  add: 0x6a, sub: 0x6b, mul: 0x6c, and: 0x71, or: 0x72, xor: 0x73, shl: 0x74, shrs: 0x75, shru: 0x76, rotl: 0x77, rotr: 0x78,
  i64ne: 0x52, i64mul: 0x7e, i64extend32s: 0xac,
  clz: 0x67, ctz: 0x68, i64const: 0x42, i64add: 0x7c, i64divs: 0x7f, i64divu: 0x80, i64rems: 0x81, i64remu: 0x82,
  i64or: 0x84, i64shl: 0x86, i64shru: 0x88, i64wrap: 0xa7, i64extend32u: 0xad,
  ext8: 0xc0, ext16: 0xc1,
} as const;



export function section(out: number[], id: number, body: number[]): void {
  out.push(id);
  uleb(out, body.length);
  for (const x of body) out.push(x);
}
/** The import of frames.ts's memory, as 'e' 'm' */
export function memoryImport(imp: number[]): void {
  name(imp, 'e'); name(imp, 'm');
  imp.push(0x02, MEMORY_SHARED ? 0x03 : 0x01);
  uleb(imp, 0);
  uleb(imp, MEMORY_MAX_PAGES);
}
export function name(out: number[], s: string): void {
  uleb(out, s.length);
  for (let k = 0; k < s.length; k++) out.push(s.charCodeAt(k));
}


/** The unsigned LEB128 number at bytes[p]: its value and the offset after it. */
export function readUleb(bytes: Uint8Array, p: number): [number, number] {
  let v = 0, mul = 1, x: number;
  do { x = bytes[p++]!; v += (x & 0x7f) * mul; mul *= 128; } while (x & 0x80);
  return [v, p];
}

/** A module's sections: id, where each starts (its id byte), where its content starts, where it ends. */
export function wasmSections(bytes: Uint8Array): { id: number; at: number; content: number; end: number }[] {
  const out = [];
  for (let p = 8; p < bytes.length;) {
    const [len, content] = readUleb(bytes, p + 1);
    out.push({ id: bytes[p]!, at: p, content, end: content + len });
    p = content + len;
  }
  return out;
}
