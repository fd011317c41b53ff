import test from 'ava';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { E, errno, errnoList, errnoName, strerror } from '../../src/uapi/errno.js';
import { hostAnswer } from '../native.js';

/** #define ENAME number from the kernel's uapi headers. */
function headerErrnos(): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of ['/usr/include/asm-generic/errno-base.h', '/usr/include/asm-generic/errno.h']) {
    const text = hostAnswer('uapi header', f, () => fs.readFileSync(f)).toString('utf8');
    for (const m of text.matchAll(/^#define\s+(E[A-Z0-9]+)\s+(\w+)/gm)) {
      const v = /^\d+$/.test(m[2]!) ? Number(m[2]) : out.get(m[2]!);
      if (v !== undefined) out.set(m[1]!, v);
    }
  }
  return out;
}

test('numbers match the Linux uapi headers, names included', (t) => {
  const hdr = headerErrnos();
  t.true(hdr.size > 120);
  for (const [name, n] of hdr) t.is(errno(name), n, name);
  for (const info of errnoList()) t.is(hdr.get(info.name), info.errno, info.name);
});

test('messages match the C library strerror() of this machine', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'errno-'));
  try {
    const src = path.join(dir, 'e.c');
    fs.writeFileSync(src, '#include <stdio.h>\n#include <string.h>\nint main(void){for(int i=1;i<=133;i++)printf("%d %s\\n",i,strerror(i));return 0;}\n');
    const lines = hostAnswer('strerror', fs.readFileSync(src), () => {
      execFileSync('gcc', ['-m32', '-o', path.join(dir, 'e'), src]);
      return Buffer.from(execFileSync(path.join(dir, 'e'), { encoding: 'utf8' }));
    }).toString('utf8').trim().split('\n');
    let compared = 0;
    for (const line of lines) {
      const sp = line.indexOf(' ');
      const n = Number(line.slice(0, sp));
      const msg = line.slice(sp + 1);
      if (msg.startsWith('Unknown error')) continue; // numbers Linux leaves unused (41, 58)
      t.is(strerror(n), msg, `errno ${n}`);
      t.is(strerror(-n), msg);
      compared++;
    }
    t.is(compared, errnoList().length);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('named constants and lookups agree with the table', (t) => {
  for (const [name, n] of Object.entries(E)) t.is(errno(name), n, name);
  t.is(errnoName(-2), 'ENOENT');
  t.is(errnoName(9999), 'E9999');
  t.is(strerror(9999), 'Unknown error 9999');
  t.is(errno('EWOULDBLOCK'), errno('EAGAIN'));
  t.throws(() => errno('ENOPE'), { message: /unknown errno name/ });
});
