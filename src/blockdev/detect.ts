// Filesystem detection on a block device: the ext2/3/4 superblock (1024 bytes
// at offset 1024, magic 0xEF53 at offset 1080) and its feature flags decide
// whether the image can be mounted and as which type.

import { BlockDevError, type BlockDevice } from './blockdev.js';

export const SUPERBLOCK_OFFSET = 1024;
export const SUPERBLOCK_SIZE = 1024;
export const EXT_MAGIC = 0xef53;
/** Offset of s_magic on the device (SUPERBLOCK_OFFSET + 56). */
export const EXT_MAGIC_OFFSET = 1080;

type FieldType = 'u16' | 'u32' | 'bytes16' | 'bytes64';

/** struct ext4_super_block fields used here: [name, offset in the superblock, type]. */
const SUPERBLOCK_FIELDS = [
  ['inodesCount', 0x00, 'u32'],
  ['blocksCountLo', 0x04, 'u32'],
  ['freeBlocksCountLo', 0x0c, 'u32'],
  ['freeInodesCount', 0x10, 'u32'],
  ['firstDataBlock', 0x14, 'u32'],
  ['logBlockSize', 0x18, 'u32'],
  ['blocksPerGroup', 0x20, 'u32'],
  ['inodesPerGroup', 0x28, 'u32'],
  ['mtime', 0x2c, 'u32'],
  ['wtime', 0x30, 'u32'],
  ['magic', 0x38, 'u16'],
  ['state', 0x3a, 'u16'],
  ['revLevel', 0x4c, 'u32'],
  ['inodeSize', 0x58, 'u16'],
  ['featureCompat', 0x5c, 'u32'],
  ['featureIncompat', 0x60, 'u32'],
  ['featureRoCompat', 0x64, 'u32'],
  ['uuid', 0x68, 'bytes16'],
  ['volumeName', 0x78, 'bytes16'],
  ['lastMounted', 0x88, 'bytes64'],
  ['blocksCountHi', 0x150, 'u32'],
  ['freeBlocksCountHi', 0x158, 'u32'],
] as const satisfies ReadonlyArray<readonly [string, number, FieldType]>;

type FieldValue<T extends FieldType> = T extends 'u16' | 'u32' ? number : Uint8Array;
export type RawSuperblock = {
  [F in (typeof SUPERBLOCK_FIELDS)[number] as F[0]]: FieldValue<F[2]>;
};

export function decodeSuperblock(sb: Uint8Array): RawSuperblock {
  if (sb.length < SUPERBLOCK_SIZE) throw new BlockDevError('superblock buffer too short', 'EINVAL');
  const dv = new DataView(sb.buffer, sb.byteOffset, sb.byteLength);
  const out: Record<string, number | Uint8Array> = {};
  for (const [name, off, type] of SUPERBLOCK_FIELDS) {
    switch (type) {
      case 'u16': out[name] = dv.getUint16(off, true); break;
      case 'u32': out[name] = dv.getUint32(off, true); break;
      case 'bytes16': out[name] = sb.slice(off, off + 16); break;
      case 'bytes64': out[name] = sb.slice(off, off + 64); break;
    }
  }
  return out as RawSuperblock;
}

/** Feature bits by name (names as mke2fs/dumpe2fs spell them). */
export const COMPAT_FEATURES: ReadonlyArray<readonly [string, number]> = [
  ['dir_prealloc', 0x1], ['imagic_inodes', 0x2], ['has_journal', 0x4], ['ext_attr', 0x8],
  ['resize_inode', 0x10], ['dir_index', 0x20], ['sparse_super2', 0x200], ['fast_commit', 0x400],
  ['stable_inodes', 0x800], ['orphan_file', 0x1000],
];
export const INCOMPAT_FEATURES: ReadonlyArray<readonly [string, number]> = [
  ['compression', 0x1], ['filetype', 0x2], ['needs_recovery', 0x4], ['journal_dev', 0x8],
  ['meta_bg', 0x10], ['extent', 0x40], ['64bit', 0x80], ['mmp', 0x100], ['flex_bg', 0x200],
  ['ea_inode', 0x400], ['dirdata', 0x1000], ['metadata_csum_seed', 0x2000], ['large_dir', 0x4000],
  ['inline_data', 0x8000], ['encrypt', 0x10000], ['casefold', 0x20000],
];
export const RO_COMPAT_FEATURES: ReadonlyArray<readonly [string, number]> = [
  ['sparse_super', 0x1], ['large_file', 0x2], ['btree_dir', 0x4], ['huge_file', 0x8],
  ['uninit_bg', 0x10], ['dir_nlink', 0x20], ['extra_isize', 0x40], ['quota', 0x100],
  ['bigalloc', 0x200], ['metadata_csum', 0x400], ['read-only', 0x1000], ['project', 0x2000],
  ['verity', 0x8000], ['orphan_present', 0x10000],
];

/** Features ext3 already had; anything else in incompat/ro_compat makes it ext4 (as blkid decides). */
const EXT3_INCOMPAT = 0x2 | 0x4 | 0x10;
const EXT3_RO_COMPAT = 0x1 | 0x2 | 0x4;
const INCOMPAT_JOURNAL_DEV = 0x8;
const INCOMPAT_64BIT = 0x80;
const COMPAT_HAS_JOURNAL = 0x4;
const INCOMPAT_RECOVER = 0x4;

export interface ExtInfo {
  /** Filesystem type to mount with. */
  type: 'ext2' | 'ext3' | 'ext4';
  /** An external journal device, not a mountable filesystem. */
  journalDevice: boolean;
  blockSize: number;
  blocksCount: number;
  freeBlocksCount: number;
  inodesCount: number;
  freeInodesCount: number;
  inodeSize: number;
  revLevel: number;
  /** Bytes the filesystem spans (blocksCount × blockSize). */
  sizeBytes: number;
  /** Unmounted cleanly (s_state bit 0). */
  clean: boolean;
  /** The journal has transactions to replay. */
  needsRecovery: boolean;
  features: string[];
  uuid: string;
  label: string;
  lastMounted: string;
}

function names(bits: number, table: ReadonlyArray<readonly [string, number]>): string[] {
  const out = table.filter(([, b]) => (bits & b) !== 0).map(([n]) => n);
  const known = table.reduce((m, [, b]) => m | b, 0);
  const unknown = (bits & ~known) >>> 0;
  for (let b = 0; b < 32; b++) if (unknown & (1 << b)) out.push(`FEATURE_${b}`);
  return out;
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

function uuidString(b: Uint8Array): string {
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Interpret a superblock; null when the magic is not 0xEF53. */
export function parseExtSuperblock(sb: Uint8Array): ExtInfo | null {
  const raw = decodeSuperblock(sb);
  if (raw.magic !== EXT_MAGIC) return null;
  const is64 = (raw.featureIncompat & INCOMPAT_64BIT) !== 0;
  const blockSize = 1024 * 2 ** raw.logBlockSize;
  const blocksCount = raw.blocksCountLo + (is64 ? raw.blocksCountHi * 2 ** 32 : 0);
  const freeBlocksCount = raw.freeBlocksCountLo + (is64 ? raw.freeBlocksCountHi * 2 ** 32 : 0);
  const ext4 = (raw.featureIncompat & ~EXT3_INCOMPAT) !== 0 || (raw.featureRoCompat & ~EXT3_RO_COMPAT) !== 0;
  const type = ext4 ? 'ext4' : raw.featureCompat & COMPAT_HAS_JOURNAL ? 'ext3' : 'ext2';
  return {
    type,
    journalDevice: (raw.featureIncompat & INCOMPAT_JOURNAL_DEV) !== 0,
    blockSize,
    blocksCount,
    freeBlocksCount,
    inodesCount: raw.inodesCount,
    freeInodesCount: raw.freeInodesCount,
    inodeSize: raw.revLevel === 0 ? 128 : raw.inodeSize,
    revLevel: raw.revLevel,
    sizeBytes: blocksCount * blockSize,
    clean: (raw.state & 1) !== 0,
    needsRecovery: (raw.featureIncompat & INCOMPAT_RECOVER) !== 0,
    features: [
      ...names(raw.featureCompat, COMPAT_FEATURES),
      ...names(raw.featureIncompat, INCOMPAT_FEATURES),
      ...names(raw.featureRoCompat, RO_COMPAT_FEATURES),
    ],
    uuid: uuidString(raw.uuid),
    label: cString(raw.volumeName),
    lastMounted: cString(raw.lastMounted),
  };
}

/** Read the superblock of a device; null if it is too small or not ext2/3/4. */
export function detectExt(dev: BlockDevice): ExtInfo | null {
  if (dev.capacity() < SUPERBLOCK_OFFSET + SUPERBLOCK_SIZE) return null;
  const sb = new Uint8Array(SUPERBLOCK_SIZE);
  dev.read(SUPERBLOCK_OFFSET, sb);
  return parseExtSuperblock(sb);
}
