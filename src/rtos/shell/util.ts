// Helpers shared by the builtins: error lines, manual pages, directory listings
// (whole files are read with readFile from ../sys.ts).

import { strerror } from '../../uapi/errno.js';
import type { Dirent, Sys } from '../sys.js';
import { AT_FDCWD, O } from '../../uapi/linux.js';
import type { CommandContext } from './registry.js';

/** Print "cmd: message" on stderr; returns 1 so commands can `return fail(...)`. */
export async function fail(ctx: CommandContext, message: string): Promise<number> {
  await ctx.stderr.write(`${ctx.argv[0]}: ${message}\n`);
  return 1;
}

/** "cmd: what: strerror(errno)" on stderr; returns 1. */
export function failErrno(ctx: CommandContext, what: string, err: number): Promise<number> {
  return fail(ctx, `${what}: ${strerror(err)}`);
}

/** Manual page text in one layout for every command. */
export function manPage(name: string, summary: string, synopsis: string, description: string): string {
  const indent = (s: string) => s.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
  return `NAME\n    ${name} - ${summary}\n\nSYNOPSIS\n${indent(synopsis)}\n\nDESCRIPTION\n${indent(description)}\n`;
}

/** All entries of a directory (with "." and ".."), or -errno. */
export async function listDir(sys: Sys, path: string): Promise<Dirent[] | number> {
  const fd = await sys.openat(AT_FDCWD, path, O.RDONLY | O.DIRECTORY | O.LARGEFILE, 0);
  if (fd < 0) return fd;
  const all: Dirent[] = [];
  try {
    for (;;) {
      const batch = await sys.getdents64(fd);
      if (typeof batch === 'number') return batch;
      if (batch.length === 0) break;
      all.push(...batch);
    }
  } finally {
    await sys.close(fd);
  }
  return all;
}

/** dir + "/" + name without doubling the slash. */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** Byte-order comparison (as LC_ALL=C). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
