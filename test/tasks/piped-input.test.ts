// Standard input that is not a terminal reaches programs the same with and
// without -c. Without -c the shell reads its command lines from it, and a
// program it starts reads the input that follows its line; what the program
// leaves unread is the shell's again: as bash reading a script from a pipe
// (the native answers are bash's, with busybox for the programs).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hostAnswer } from '../native.js';
import { ROOT, emboxRun, type Run } from './run-embox.js';

/** embox ARGS with `input` piped in, killed after timeout ms. */
const piped = (input: string, args: string[] = [], timeout = 60_000): Promise<Run> => emboxRun(args, { input, timeout });

/** What bash prints for `script` piped into it, each `load_app` a busybox applet run natively. */
function bash(script: string): { stdout: string; status: number | null } {
  const native = script.replace(/load_app /g, 'rootfs/bin/busybox ');
  return JSON.parse(hostAnswer('bash reads a script from a pipe', native, () => {
    const r = spawnSync('bash', [], { cwd: ROOT, input: native, encoding: 'latin1', timeout: 20_000 });
    if (r.error) throw r.error;
    return Buffer.from(JSON.stringify({ stdout: r.stdout, status: r.status }));
  }).toString()) as { stdout: string; status: number | null };
}

const scripts: Array<[string, string]> = [
  ['a program reads the line after its own (the issue: it hung)', 'load_app cat\nhello\n'],
  ['sh reads one line; the shell runs the next', "load_app sh -c 'read x; echo got $x'\nhello\necho after\n"],
  ['a program that reads nothing leaves the input to the shell', 'load_app true\necho one\necho two\n'],
  ['two programs read in turn', "load_app sh -c 'read x; echo 1:$x'\nfirst\nload_app sh -c 'read x; echo 2:$x'\nsecond\necho end\n"],
  ['a last line without a newline, then end of input', "load_app sh -c 'read x; echo got $x; read y; echo status $?'\npartial"],
  ['a program that reads to the end takes all', 'load_app wc -l\na\nb\nc\n'],
  ['sh started with no arguments reads its commands from what follows', 'load_app sh\necho in sh $((6*7))\nexit 3\necho not reached\n'],
];

for (const [what, script] of scripts) {
  test(`without -c: ${what}`, async (t) => {
    const want = bash(script);
    const r = await piped(script);
    t.is(r.stdout, want.stdout);
    t.is(r.status, want.status);
    t.is(r.stderr, '');
  });
}

// standard input a file (embox < FILE), which the CLI reads as fd 0 itself: the same answers
test('without -c, standard input a file: every script as bash answers it from a pipe', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embox-stdin-'));
  try {
    for (const [what, script] of scripts) {
      const file = path.join(dir, 'script');
      fs.writeFileSync(file, script);
      const want = bash(script);
      const r = await emboxRun([], { inputFile: file, timeout: 60_000 });
      t.is(r.stdout, want.stdout, what);
      t.is(r.status, want.status, what);
      t.is(r.stderr, '', what);
    }
    // a megabyte to a program that reads slowly, from the file itself (not a pipe)
    const file = path.join(dir, 'mb');
    fs.writeFileSync(file, ('x'.repeat(99) + '\n').repeat(10_000));
    const r = await emboxRun(['-c', "load_app sh -c 'sleep 1; wc -c; test -p /dev/stdin && echo pipe'; load_app cat"], { inputFile: file, timeout: 90_000 });
    t.is(r.stdout.replace(/^\s+/, ''), '1000000\npipe\n');
    t.is(r.status, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the issue\'s `load_app sh -c \'read x\'`: it reads the line and ends', async (t) => {
  const r = await piped("load_app sh -c 'read x'\n", [], 30_000);
  t.is(r.status, 1); // read at end of input fails
  t.is(r.stdout, '');
});

test('with -c, programs read standard input in turn; what one leaves, the next gets', async (t) => {
  const line = "load_app sh -c 'read x; echo 1:$x'; load_app cat";
  const want = JSON.parse(hostAnswer('bash -c with programs reading a pipe in turn', line, () => {
    const r = spawnSync('bash', ['-c', line.replace(/load_app /g, 'rootfs/bin/busybox ')], { cwd: ROOT, input: 'a\nb\nc\n', encoding: 'latin1', timeout: 20_000 });
    if (r.error) throw r.error;
    return Buffer.from(JSON.stringify({ stdout: r.stdout, status: r.status }));
  }).toString()) as { stdout: string; status: number | null };
  const r = await piped('a\nb\nc\n', ['-c', line]);
  t.is(r.stdout, want.stdout);
  t.is(r.status, want.status);
});

test('a megabyte piped through a program that reads slowly arrives whole, and standard input is a pipe', async (t) => {
  const data = 'x'.repeat(99) + '\n';
  const input = `load_app sh -c 'sleep 1; wc -c; test -p /dev/stdin && echo pipe'\n${data.repeat(10_000)}`;
  const r = await piped(input, [], 90_000);
  t.is(r.stdout.replace(/^\s+/, ''), '1000000\npipe\n');
  t.is(r.status, 0);
});
