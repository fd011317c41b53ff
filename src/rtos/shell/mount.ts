// Mount commands: mount, umount, sync.

import { MNT, MS } from '../../uapi/linux.js';
import { ErrnoError, readFile } from '../sys.js';
import { registerCommand, type CommandContext } from './registry.js';
import { fail, failErrno, manPage } from './util.js';

/** mount -o words that are mount(2) flags: [word, flag bits to set, bits to clear]. */
const MOUNT_OPTIONS: ReadonlyArray<readonly [string, number, number]> = [
  ['ro', MS.RDONLY, 0],
  ['rw', 0, MS.RDONLY],
  ['nosuid', MS.NOSUID, 0],
  ['suid', 0, MS.NOSUID],
  ['nodev', MS.NODEV, 0],
  ['dev', 0, MS.NODEV],
  ['noexec', MS.NOEXEC, 0],
  ['exec', 0, MS.NOEXEC],
  ['sync', MS.SYNCHRONOUS, 0],
  ['async', 0, MS.SYNCHRONOUS],
  ['remount', MS.REMOUNT, 0],
  ['dirsync', MS.DIRSYNC, 0],
  ['noatime', MS.NOATIME, 0],
  ['nodiratime', MS.NODIRATIME, 0],
  ['relatime', MS.RELATIME, 0],
  ['strictatime', MS.STRICTATIME, 0],
  ['lazytime', MS.LAZYTIME, 0],
  ['bind', MS.BIND, 0],
  ['rbind', MS.BIND | MS.REC, 0],
  ['move', MS.MOVE, 0],
  ['defaults', 0, 0],
];

/** Split "-o" text into mount(2) flags and the filesystem's own option string. */
export function parseMountOptions(text: string): { flags: number; data: string } {
  let flags = 0;
  const data: string[] = [];
  for (const word of text.split(',')) {
    if (word === '') continue;
    const known = MOUNT_OPTIONS.find(([w]) => w === word);
    if (known) flags = (flags | known[1]) & ~known[2];
    else data.push(word);
  }
  return { flags, data: data.join(',') };
}

async function mount(ctx: CommandContext): Promise<number> {
  if (ctx.args.length === 0) {
    let text: Uint8Array;
    try {
      text = await readFile(ctx.sys, '/proc/mounts');
    } catch (e) {
      if (e instanceof ErrnoError) return failErrno(ctx, '/proc/mounts', e.errno);
      throw e;
    }
    await ctx.stdout.write(text);
    return 0;
  }
  let fstype = '';
  const optionWords: string[] = [];
  const operands: string[] = [];
  const args = ctx.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-t' || a === '-o') {
      const v = args[++i];
      if (v === undefined) return fail(ctx, `option requires an argument -- '${a[1]}'`);
      if (a === '-t') fstype = v;
      else optionWords.push(v);
    } else if (a === '-r') {
      optionWords.push('ro');
    } else if (a === '-w') {
      optionWords.push('rw');
    } else if (a.startsWith('-') && a.length > 1) {
      return fail(ctx, `invalid option -- '${a.slice(1)}'`);
    } else {
      operands.push(a);
    }
  }
  if (operands.length !== 2) return fail(ctx, 'usage: mount [-t TYPE] [-o OPTIONS] SOURCE DIR');
  const { flags, data } = parseMountOptions(optionWords.join(','));
  if (fstype === '' && !(flags & (MS.BIND | MS.MOVE | MS.REMOUNT))) {
    return fail(ctx, 'filesystem type required: mount -t TYPE SOURCE DIR');
  }
  const [source, target] = operands as [string, string];
  const r = await ctx.sys.mount(source, target, fstype, flags, data);
  if (r < 0) return failErrno(ctx, `mounting ${source} on ${target} failed`, r);
  return 0;
}

async function umount(ctx: CommandContext): Promise<number> {
  let flags = 0;
  const targets: string[] = [];
  for (const a of ctx.args) {
    if (a === '-f') flags |= MNT.FORCE;
    else if (a === '-l') flags |= MNT.DETACH;
    else if (a.startsWith('-') && a.length > 1) return fail(ctx, `invalid option -- '${a.slice(1)}'`);
    else targets.push(a);
  }
  if (targets.length === 0) return fail(ctx, 'usage: umount [-fl] DIR...');
  let status = 0;
  for (const t of targets) {
    const r = await ctx.sys.umount2(t, flags);
    if (r < 0) status = await failErrno(ctx, t, r);
  }
  return status;
}

async function sync(ctx: CommandContext): Promise<number> {
  const r = await ctx.sys.sync();
  return r < 0 ? failErrno(ctx, 'sync', r) : 0;
}

registerCommand({
  name: 'mount',
  help: 'mount a filesystem, or list mounts',
  man: manPage('mount', 'mount a filesystem', 'mount\nmount -t TYPE [-o OPTIONS] [-r] SOURCE DIR',
    'Without arguments, prints the mount table (/proc/mounts).\n' +
    'Otherwise mounts SOURCE (a device such as /dev/vda, or "none") of filesystem\n' +
    'TYPE (ext4, ext2, tmpfs, proc, ...) on the directory DIR.\n' +
    '-o  comma-separated options: ro, rw, nosuid, nodev, noexec, sync, remount,\n' +
    '    noatime, bind, ...; others are passed to the filesystem\n' +
    '-r  mount read-only (same as -o ro)'),
  run: mount,
});

registerCommand({
  name: 'umount',
  help: 'unmount filesystems',
  man: manPage('umount', 'unmount filesystems', 'umount [-fl] DIR...',
    'Unmounts the filesystem mounted on each DIR.\n-f  force\n-l  lazy: detach now, clean up when no longer busy'),
  run: umount,
});

registerCommand({
  name: 'sync',
  help: 'write cached data to the disks',
  man: manPage('sync', 'write cached data to the disks', 'sync', 'Writes all modified filesystem data and metadata to the block devices.'),
  run: sync,
});
