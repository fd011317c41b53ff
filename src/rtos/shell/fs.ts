// File and directory commands: ls, cat, echo, mkdir, rm, cd, pwd.

import { E } from '../../uapi/errno.js';
import type { Stat, Sys } from '../sys.js';
import { AT, AT_FDCWD, O, S } from '../../uapi/linux.js';
import { getopt } from './parser.js';
import { registerCommand, type CommandContext } from './registry.js';
import { compareNames, fail, failErrno, joinPath, listDir, manPage } from './util.js';

/** Type letter of ls -l by file type bits. */
const TYPE_CHARS: ReadonlyArray<readonly [number, string]> = [
  [S.IFDIR, 'd'], [S.IFREG, '-'], [S.IFLNK, 'l'], [S.IFCHR, 'c'],
  [S.IFBLK, 'b'], [S.IFIFO, 'p'], [S.IFSOCK, 's'],
];

/** "drwxr-xr-x" from st_mode, with setuid/setgid/sticky letters. */
export function modeString(mode: number): string {
  const type = TYPE_CHARS.find(([bits]) => (mode & S.IFMT) === bits)?.[1] ?? '?';
  let s = type;
  const special = [0o4000, 0o2000, 0o1000];
  const specialChar = ['s', 's', 't'];
  for (let who = 0; who < 3; who++) {
    const bits = (mode >> (6 - 3 * who)) & 7;
    s += bits & 4 ? 'r' : '-';
    s += bits & 2 ? 'w' : '-';
    const x = (bits & 1) !== 0;
    if (mode & special[who]!) s += x ? specialChar[who] : specialChar[who]!.toUpperCase();
    else s += x ? 'x' : '-';
  }
  return s;
}

function pad2(n: number): string {
  return n.toString().padStart(2, '0');
}

/** Modification time as "YYYY-MM-DD HH:MM" in UTC (the system has no time zone). */
export function formatTime(sec: number): string {
  const d = new Date(sec * 1000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

async function longLine(sys: Sys, path: string, display: string, st: Stat): Promise<string> {
  const type = st.mode & S.IFMT;
  const size = type === S.IFCHR || type === S.IFBLK
    ? `${(st.rdev >>> 8) & 0xfff}, ${(st.rdev & 0xff) | ((st.rdev >>> 12) & 0xfff00)}`
    : String(st.size);
  let line = `${modeString(st.mode)} ${String(st.nlink).padStart(4)} ${String(st.uid).padEnd(8)} ${String(st.gid).padEnd(8)} ${size.padStart(9)} ${formatTime(st.mtime)} ${display}`;
  if (type === S.IFLNK) {
    const target = await sys.readlinkat(AT_FDCWD, path);
    if (typeof target === 'string') line += ` -> ${target}`;
  }
  return line;
}

async function ls(ctx: CommandContext): Promise<number> {
  const opts = getopt(ctx.args, 'la');
  if (!opts.ok) return fail(ctx, `invalid option -- '${opts.bad}'`);
  const long = opts.flags.has('l');
  const all = opts.flags.has('a');
  const operands = opts.operands.length > 0 ? opts.operands : ['.'];
  let status = 0;
  const files: Array<{ path: string; st: Stat }> = [];
  const dirs: string[] = [];
  for (const p of operands) {
    // ls -l shows a symlink operand itself; plain ls follows it into a directory.
    const st = await ctx.sys.fstatat(AT_FDCWD, p, long ? AT.SYMLINK_NOFOLLOW : 0);
    if (typeof st === 'number') {
      await failErrno(ctx, `cannot access '${p}'`, st);
      status = 1;
    } else if ((st.mode & S.IFMT) === S.IFDIR) {
      dirs.push(p);
    } else {
      files.push({ path: p, st });
    }
  }
  files.sort((a, b) => compareNames(a.path, b.path));
  dirs.sort(compareNames);
  for (const f of files) {
    await ctx.stdout.write(`${long ? await longLine(ctx.sys, f.path, f.path, f.st) : f.path}\n`);
  }
  const headers = operands.length > 1;
  for (let i = 0; i < dirs.length; i++) {
    const dir = dirs[i]!;
    if (headers) await ctx.stdout.write(`${files.length > 0 || i > 0 ? '\n' : ''}${dir}:\n`);
    const entries = await listDir(ctx.sys, dir);
    if (typeof entries === 'number') {
      await failErrno(ctx, `cannot open directory '${dir}'`, entries);
      status = 1;
      continue;
    }
    const names = entries.map((e) => e.name).filter((n) => all || !n.startsWith('.')).sort(compareNames);
    for (const name of names) {
      if (!long) {
        await ctx.stdout.write(`${name}\n`);
        continue;
      }
      const path = joinPath(dir, name);
      const st = await ctx.sys.fstatat(AT_FDCWD, path, AT.SYMLINK_NOFOLLOW);
      if (typeof st === 'number') {
        await failErrno(ctx, `cannot access '${path}'`, st);
        status = 1;
        continue;
      }
      await ctx.stdout.write(`${await longLine(ctx.sys, path, name, st)}\n`);
    }
  }
  return status;
}

async function cat(ctx: CommandContext): Promise<number> {
  if (ctx.args.length === 0) return fail(ctx, 'missing operand');
  let status = 0;
  const buf = new Uint8Array(65536);
  for (const path of ctx.args) {
    const fd = await ctx.sys.openat(AT_FDCWD, path, O.RDONLY | O.LARGEFILE, 0);
    if (fd < 0) {
      status = await failErrno(ctx, path, fd);
      continue;
    }
    for (;;) {
      const n = await ctx.sys.read(fd, buf);
      if (n < 0) { status = await failErrno(ctx, path, n); break; }
      if (n === 0) break;
      // Copy: the buffer is reused for the next read while the output may keep a reference.
      await ctx.stdout.write(buf.slice(0, n));
    }
    await ctx.sys.close(fd);
  }
  return status;
}

async function echo(ctx: CommandContext): Promise<number> {
  let args = ctx.args;
  let newline = true;
  if (args[0] === '-n') { newline = false; args = args.slice(1); }
  await ctx.stdout.write(args.join(' ') + (newline ? '\n' : ''));
  return 0;
}

async function isDir(sys: Sys, path: string): Promise<boolean> {
  const st = await sys.fstatat(AT_FDCWD, path, 0);
  return typeof st !== 'number' && (st.mode & S.IFMT) === S.IFDIR;
}

async function mkdir(ctx: CommandContext): Promise<number> {
  const opts = getopt(ctx.args, 'p');
  if (!opts.ok) return fail(ctx, `invalid option -- '${opts.bad}'`);
  if (opts.operands.length === 0) return fail(ctx, 'missing operand');
  const parents = opts.flags.has('p');
  let status = 0;
  for (const path of opts.operands) {
    if (!parents) {
      const r = await ctx.sys.mkdirat(AT_FDCWD, path, 0o777);
      if (r < 0) status = await failErrno(ctx, `cannot create directory '${path}'`, r);
      continue;
    }
    // -p: create each missing component; existing directories are fine.
    const parts = path.split('/');
    let prefix = path.startsWith('/') ? '/' : '';
    for (const part of parts) {
      if (part === '') continue;
      prefix = prefix === '' || prefix.endsWith('/') ? prefix + part : `${prefix}/${part}`;
      const r = await ctx.sys.mkdirat(AT_FDCWD, prefix, 0o777);
      if (r === -E.EEXIST && (await isDir(ctx.sys, prefix))) continue;
      if (r < 0) {
        status = await failErrno(ctx, `cannot create directory '${prefix}'`, r === -E.EEXIST ? -E.ENOTDIR : r);
        break;
      }
    }
  }
  return status;
}

async function removeTree(ctx: CommandContext, path: string, recursive: boolean, force: boolean): Promise<number> {
  const st = await ctx.sys.fstatat(AT_FDCWD, path, AT.SYMLINK_NOFOLLOW);
  if (typeof st === 'number') {
    if (force && st === -E.ENOENT) return 0;
    return failErrno(ctx, `cannot remove '${path}'`, st);
  }
  if ((st.mode & S.IFMT) !== S.IFDIR) {
    const r = await ctx.sys.unlinkat(AT_FDCWD, path, 0);
    return r < 0 ? failErrno(ctx, `cannot remove '${path}'`, r) : 0;
  }
  if (!recursive) return failErrno(ctx, `cannot remove '${path}'`, -E.EISDIR);
  const entries = await listDir(ctx.sys, path);
  if (typeof entries === 'number') return failErrno(ctx, `cannot remove '${path}'`, entries);
  let status = 0;
  for (const e of entries) {
    if (e.name === '.' || e.name === '..') continue;
    if ((await removeTree(ctx, joinPath(path, e.name), true, force)) !== 0) status = 1;
  }
  if (status !== 0) return status; // the directory is not empty: its own error was printed
  const r = await ctx.sys.unlinkat(AT_FDCWD, path, AT.REMOVEDIR);
  return r < 0 ? failErrno(ctx, `cannot remove '${path}'`, r) : 0;
}

async function rm(ctx: CommandContext): Promise<number> {
  const opts = getopt(ctx.args, 'rRf');
  if (!opts.ok) return fail(ctx, `invalid option -- '${opts.bad}'`);
  const force = opts.flags.has('f');
  if (opts.operands.length === 0) return force ? 0 : fail(ctx, 'missing operand');
  const recursive = opts.flags.has('r') || opts.flags.has('R');
  let status = 0;
  for (const path of opts.operands) {
    const last = path.replace(/\/+$/, '').split('/').pop();
    if (last === '.' || last === '..') {
      status = await fail(ctx, `refusing to remove '.' or '..' directory: skipping '${path}'`);
      continue;
    }
    if (/^\/+$/.test(path)) {
      status = await fail(ctx, "it is dangerous to operate recursively on '/'");
      continue;
    }
    if ((await removeTree(ctx, path, recursive, force)) !== 0) status = 1;
  }
  return status;
}

async function cd(ctx: CommandContext): Promise<number> {
  if (ctx.args.length > 1) return fail(ctx, 'too many arguments');
  const path = ctx.args[0] ?? '/';
  const r = await ctx.sys.chdir(path);
  return r < 0 ? failErrno(ctx, path, r) : 0;
}

async function pwd(ctx: CommandContext): Promise<number> {
  const r = await ctx.sys.getcwd();
  if (typeof r === 'number') return failErrno(ctx, 'getcwd', r);
  await ctx.stdout.write(`${r}\n`);
  return 0;
}

registerCommand({
  name: 'ls',
  help: 'list directory contents',
  man: manPage('ls', 'list directory contents', 'ls [-la] [FILE]...',
    'Lists each directory FILE (default: the current directory), one name per line,\n' +
    'sorted by name. A FILE that is not a directory is listed itself.\n' +
    '-a  include names starting with "."\n' +
    '-l  long format: mode, links, uid, gid, size, modification time (UTC), name'),
  run: ls,
});

registerCommand({
  name: 'cat',
  help: 'print files',
  man: manPage('cat', 'concatenate files and print them', 'cat FILE...', 'Writes the contents of each FILE to standard output, in order.'),
  run: cat,
});

registerCommand({
  name: 'echo',
  help: 'print arguments',
  man: manPage('echo', 'print arguments', 'echo [-n] [ARG]...',
    'Prints the ARGs separated by single spaces, followed by a newline.\n-n  do not print the newline'),
  run: echo,
});

registerCommand({
  name: 'mkdir',
  help: 'create directories',
  man: manPage('mkdir', 'create directories', 'mkdir [-p] DIR...',
    'Creates each DIR.\n-p  create missing parent directories; an existing directory is not an error'),
  run: mkdir,
});

registerCommand({
  name: 'rm',
  help: 'remove files or directories',
  man: manPage('rm', 'remove files or directories', 'rm [-rf] FILE...',
    'Removes each FILE. Directories are removed only with -r.\n' +
    '-r  remove directories and their contents recursively (also -R)\n' +
    '-f  ignore missing files'),
  run: rm,
});

registerCommand({
  name: 'cd',
  help: 'change the working directory',
  man: manPage('cd', 'change the working directory', 'cd [DIR]', 'Makes DIR (default: /) the working directory of the shell.'),
  run: cd,
});

registerCommand({
  name: 'pwd',
  help: 'print the working directory',
  man: manPage('pwd', 'print the working directory', 'pwd', 'Prints the absolute path of the working directory.'),
  run: pwd,
});
