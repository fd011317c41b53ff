#!/usr/bin/env zx
// Writes docs/SYSCALLS.md, the i386 system call matrix, from the table in
// src/int80/abi.ts (run `npm run build` first). A test checks that the
// committed file equals what this script writes.
//
//   zx scripts/gen-syscall-docs.mjs
import { fs, path } from 'zx';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { syscallMatrix } = await import(path.join(root, 'dist/src/int80/matrix.js'));
await fs.writeFile(path.join(root, 'docs/SYSCALLS.md'), syscallMatrix());
console.error('docs/SYSCALLS.md written');
