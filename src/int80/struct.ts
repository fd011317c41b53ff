// Guest structs as data, and the one way they cross between guest memory and
// the host. A layout names each field's offset and C type (the layouts
// themselves are declared once, in layouts.ts); getUser/putUser copy a whole
// struct and answer -EFAULT when any byte of it is not the guest's to read or
// write, so no handler catches a host exception (as qemu's
// lock_user_struct/__put_user).
import type { AddressSpace } from '../cpu/memory.js';
import { E } from '../uapi/errno.js';

type Kind = 'u8' | 's8' | 'u16' | 's16' | 'u32' | 's32' | 'u64' | 's64' | 'bytes';

/** A field: its offset, C type and size; V is what it decodes to. */
export interface Field<V> {
  readonly off: number;
  readonly kind: Kind;
  readonly len: number;
  /** type only */
  readonly value?: V;
}

export const u8 = (off: number): Field<number> => ({ off, kind: 'u8', len: 1 });
export const s8 = (off: number): Field<number> => ({ off, kind: 's8', len: 1 });
export const u16 = (off: number): Field<number> => ({ off, kind: 'u16', len: 2 });
export const s16 = (off: number): Field<number> => ({ off, kind: 's16', len: 2 });
export const u32 = (off: number): Field<number> => ({ off, kind: 'u32', len: 4 });
export const s32 = (off: number): Field<number> => ({ off, kind: 's32', len: 4 });
export const u64 = (off: number): Field<bigint> => ({ off, kind: 'u64', len: 8 });
export const s64 = (off: number): Field<bigint> => ({ off, kind: 's64', len: 8 });
/** A byte array (char[], a sigset, padding that matters): copied as is. */
export const bytes = (off: number, len: number): Field<Uint8Array> => ({ off, kind: 'bytes', len });

export type Fields = Record<string, Field<unknown>>;
/** A decoded struct: numbers for fields up to 32 bits, bigints for 64-bit ones. */
export type Values<F extends Fields> = { [K in keyof F]: F[K] extends Field<infer V> ? V : never };
/** What encode takes: any field may be missing (zero); 64-bit fields take numbers too. */
export type Input<F extends Fields> = {
  [K in keyof F]?: F[K] extends Field<infer V> ? (V extends bigint ? bigint | number : V) : never;
};

export class Struct<F extends Fields> {
  /** The fields as a list, made once (decode and encode run on every converted call). */
  private readonly list: ReadonlyArray<readonly [string, Field<unknown>]>;

  constructor(readonly name: string, readonly size: number, readonly fields: F) {
    this.list = Object.entries(fields);
    for (const [k, f] of this.list) {
      if (f.off < 0 || f.off + f.len > size) throw new Error(`${name}.${k}: outside the struct`);
    }
  }

  decode(b: Uint8Array): Values<F> {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const out: Record<string, unknown> = {};
    for (const [k, f] of this.list) {
      const o = f.off;
      switch (f.kind) {
        case 'u8': out[k] = v.getUint8(o); break;
        case 's8': out[k] = v.getInt8(o); break;
        case 'u16': out[k] = v.getUint16(o, true); break;
        case 's16': out[k] = v.getInt16(o, true); break;
        case 'u32': out[k] = v.getUint32(o, true); break;
        case 's32': out[k] = v.getInt32(o, true); break;
        case 'u64': out[k] = v.getBigUint64(o, true); break;
        case 's64': out[k] = v.getBigInt64(o, true); break;
        case 'bytes': out[k] = b.slice(o, o + f.len); break;
      }
    }
    return out as Values<F>;
  }

  /** The struct's bytes; values wider than a field are truncated, as a C assignment does. */
  encode(values: Input<F>, b: Uint8Array = new Uint8Array(this.size)): Uint8Array {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (const [k, f] of this.list) {
      const x = (values as Record<string, unknown>)[k];
      if (x === undefined) continue;
      const o = f.off;
      if (f.kind === 'bytes') {
        b.set((x as Uint8Array).subarray(0, f.len), o);
        continue;
      }
      if (f.kind === 'u64' || f.kind === 's64') {
        v.setBigUint64(o, BigInt.asUintN(64, typeof x === 'bigint' ? x : BigInt(Math.trunc(x as number))), true);
        continue;
      }
      const n = typeof x === 'bigint' ? Number(BigInt.asUintN(32, x)) : (x as number);
      if (f.len === 1) v.setUint8(o, n & 0xff);
      else if (f.len === 2) v.setUint16(o, n & 0xffff, true);
      else v.setUint32(o, n >>> 0, true);
    }
    return b;
  }
}

/** A layout: name, size in bytes, fields. */
export function struct<F extends Fields>(name: string, size: number, fields: F): Struct<F> {
  return new Struct(name, size, fields);
}

/** `len` bytes of guest memory at addr, or -EFAULT when any of them is not readable. */
export function getBytes(mem: AddressSpace, addr: number, len: number): Uint8Array | number {
  try {
    return mem.readBytes(addr >>> 0, len);
  } catch {
    return -E.EFAULT;
  }
}

/** Bytes into guest memory at addr: 0, or -EFAULT (nothing written) when any of it is not writable. */
export function putBytes(mem: AddressSpace, addr: number, data: Uint8Array): number {
  try {
    mem.writeBytes(addr >>> 0, data);
  } catch {
    return -E.EFAULT;
  }
  return 0;
}

/** A struct read from guest memory, or -EFAULT. */
export function getUser<F extends Fields>(mem: AddressSpace, addr: number, s: Struct<F>): Values<F> | number {
  const b = getBytes(mem, addr, s.size);
  return typeof b === 'number' ? b : s.decode(b);
}

/** A struct written to guest memory: 0, or -EFAULT (nothing written). */
export function putUser<F extends Fields>(mem: AddressSpace, addr: number, s: Struct<F>, values: Input<F>): number {
  return putBytes(mem, addr, s.encode(values));
}

/** Each field's offset, for code that addresses a field inside guest memory (a part of a signal frame, say). */
export function offsets<F extends Fields>(s: Struct<F>): { readonly [K in keyof F]: number } {
  const out: Record<string, number> = {};
  for (const [k, f] of Object.entries(s.fields)) out[k] = f.off;
  return out as { [K in keyof F]: number };
}
