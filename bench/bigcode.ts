// A program with a lot of code, each piece run a few times: what the interpreter spends a real
// program's start and gcc's cc1 on (code that never gets hot enough to be translated). Generated
// C (no libc: rootfs/src/nolibc.h), FUNCTIONS small functions of integer arithmetic, globals and
// branches, called ROUNDS times each through a table; built with the host's gcc -m32 at bench
// time, about 690,000 distinct instructions. Its decoded instructions do not fit in any cache,
// so the figure follows how much memory the interpreter touches per instruction.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FUNCTIONS = 12000, ROUNDS = 10;

/** The program's C source (the same every time: a fixed pseudo-random sequence). */
export function bigCodeSource(nolibc: string, functions = FUNCTIONS, rounds = ROUNDS): string {
  let x = 7;
  const rnd = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  const ops = ['+', '-', '^', '|', '&'];
  const op = (): string => ops[rnd(ops.length)]!;
  const out = [`#include "${nolibc}"`, 'NOLIBC_START', 'static u32 g[64];'];
  for (let f = 0; f < functions; f++) {
    const body = [`static __attribute__((noinline)) u32 f${f}(u32 a, u32 b) { u32 x = a, y = b, z = ${1 + rnd(1000)};`];
    for (let k = 0; k < 12; k++) {
      const i = rnd(64), j = rnd(64);
      switch (rnd(6)) {
        case 0: body.push(` x = x ${op()} g[${i}];`); break;
        case 1: body.push(` g[${i}] = y ${op()} ${1 + rnd(99999)}u;`); break;
        case 2: body.push(` if (x > y) z += x >> ${1 + rnd(7)}; else z ^= y << ${1 + rnd(7)};`); break;
        case 3: body.push(` y = y * ${3 + rnd(97)}u + g[${j}];`); break;
        case 4: body.push(` z = (z << 3) ^ (x ${op()} y);`); break;
        default: body.push(` x += (y & 0xff) == ${rnd(256)} ? 7u : g[${i}] >> 2;`);
      }
    }
    body.push(' return x ^ y ^ z; }');
    out.push(body.join(''));
  }
  out.push('typedef u32 (*fp)(u32, u32);');
  out.push(`static fp table[${functions}] = {${Array.from({ length: functions }, (_, f) => `f${f}`).join(',')}};`);
  out.push(String.raw`static void put(u32 v) { char b[12]; int n = 0; do { b[10 - n] = '0' + v % 10; v /= 10; n++; } while (v); b[11] = '\n'; sys3(SYS_write, 1, (int)(b + 11 - n), n + 1); }`);
  out.push(`void cmain(u32 *sp) { u32 s = 1; for (int r = 0; r < ${rounds}; r++) for (int k = 0; k < ${functions}; k++) s = table[k](s, r + k); put(s); sys_exit(0); }`);
  return `${out.join('\n')}\n`;
}

/** Build the program in dir with gcc -m32; its path, or why it could not be built. */
export function buildBigCode(dir: string, root: string): { bin: string } | { error: string } {
  const src = path.join(dir, 'bigcode.c'), bin = path.join(dir, 'bigcode');
  fs.writeFileSync(src, bigCodeSource(path.join(root, 'rootfs/src/nolibc.h')));
  const r = spawnSync('gcc', ['-m32', '-O1', '-static', '-nostdlib', '-ffreestanding', '-fno-tree-loop-distribute-patterns',
    '-Wno-unused-function', '-fno-pie', '-no-pie', '-o', bin, src], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return { error: `gcc -m32 failed (gcc-multilib): ${(r.stderr ?? r.error?.message ?? '').trim().slice(0, 200)}` };
  return { bin };
}
