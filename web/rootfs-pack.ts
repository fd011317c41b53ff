// The root filesystem as one file for the page (rootfs.pack): a 4-byte
// little-endian length, a JSON index of that many bytes, then the files'
// bytes back to back. One request instead of hundreds, and the index keeps
// what a directory listing would (modes, symbolic links, the order).

export interface PackEntry {
  path: string;
  kind: 'dir' | 'file' | 'symlink';
  mode?: number;
  target?: string;
  /** a file's bytes: offset in the data part and length */
  off?: number;
  len?: number;
}

export interface PackIndex {
  entries: PackEntry[];
  /** busybox's applet list, if the rootfs has one */
  applets?: string;
}

export function writePack(index: PackIndex, data: Uint8Array[]): Uint8Array[] {
  const json = new TextEncoder().encode(JSON.stringify(index));
  const head = new Uint8Array(4);
  new DataView(head.buffer).setUint32(0, json.length, true);
  return [head, json, ...data];
}

export function readPack(bytes: Uint8Array): { index: PackIndex; data: Uint8Array } {
  if (bytes.length < 4) throw new Error('rootfs pack: truncated');
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + n > bytes.length) throw new Error('rootfs pack: truncated index');
  const index = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n))) as PackIndex;
  return { index, data: bytes.subarray(4 + n) };
}
