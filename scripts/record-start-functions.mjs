#!/usr/bin/env zx
// Records lkl/start-functions.json: the functions of lkl/lkl.wasm a start of
// the system runs (a restored snapshot, the second part of the boot, the
// commands below, power off), which the Node host has V8 compile with the
// module instead of one by one at their first calls (src/boot/package-files.ts
// readKernel, src/cpu/v8-flags.ts); and (`disk`) what a start with a disk runs
// besides: the tests' Debian root image as / (test/images/debian-root.img.gz),
// used when the CLI has --vda or --root. Run it again after lkl.wasm changes
// (check-artifacts.mjs says when): a list for another build is not used.
//
//   npx zx scripts/record-start-functions.mjs           record
//   npx zx scripts/record-start-functions.mjs --check   is the list lkl.wasm's? (check-artifacts.mjs)
import { $, argv, fs, path, os } from 'zx';
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const KERNEL = path.join(ROOT, 'lkl', 'lkl.wasm');
const OUT = path.join(ROOT, 'lkl', 'start-functions.json');
/** What a start is: the README's first command, a shell pipeline, a dynamically linked program. */
const COMMANDS = process.env.START_COMMANDS ?? 'load_app linux_echo hi; load_app sh -c "ls / | wc -l"; load_app expr 6 "*" 7';
/** ... and with a disk: a Debian root's programs, read from it, and a file written to it. */
const DISK_COMMANDS = 'load_app /bin/true; load_app sh -c "ls / | wc -l; echo x > /tmp/x; cat /tmp/x"';
const DISK_IMAGE = path.join(ROOT, 'test', 'images', 'debian-root.img.gz');

const bytes = fs.readFileSync(KERNEL);
const { wasmSections, readUleb } = await import(path.join(ROOT, 'dist', 'src', 'cpu', 'wasm-encode.js'));
const fnSection = wasmSections(bytes).find((s) => s.id === 3);
const functions = readUleb(bytes, fnSection.content)[0];
const sha256 = createHash('sha256').update(bytes).digest('hex');

if (argv.check) {
  // (a list is not recorded again here: timers make each start's a little different)
  let list;
  try {
    list = JSON.parse(fs.readFileSync(OUT, 'utf8'));
  } catch (e) {
    console.error(`${path.relative(ROOT, OUT)}: ${e.message}: record it with npx zx scripts/record-start-functions.mjs`);
    process.exit(1);
  }
  if (list.kernel?.sha256 !== sha256 || list.kernel?.bytes !== bytes.length || list.kernel?.functions !== functions) {
    console.error(`${path.relative(ROOT, OUT)} is for another lkl.wasm (${list.kernel?.sha256}, not ${sha256}): record it again with npx zx scripts/record-start-functions.mjs`);
    process.exit(1);
  }
  console.log(`${path.relative(ROOT, OUT)}: lkl.wasm's (${list.eager.length} functions, ${list.disk?.length ?? 0} more with a disk)`);
  process.exit(0);
}

const imported = WebAssembly.Module.imports(new WebAssembly.Module(bytes)).filter((i) => i.kind === 'function').length;

// without a list, every function is compiled at its first call: what the trace shows is what a start runs
/** The declared functions of lkl.wasm a traced run compiled (V8 11's --trace-wasm-compilation-times lines). */
function* compiled(run) {
  for (const m of run.stdout.matchAll(/^Compiled function 0x[0-9a-f]+#(\d+) using Liftoff/gm)) {
    const f = Number(m[1]) - imported;
    if (f >= 0 && f < functions) yield f;
  }
}

fs.rmSync(OUT, { force: true });
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'embox-start-'));
try {
  const env = { ...process.env, XDG_CACHE_HOME: cache };
  $.verbose = false;
  // the first start makes the snapshot, the second V8's code cache of the CLI; the later ones are the starts to record
  await $({ env })`node ${path.join(ROOT, 'bin', 'embox.cjs')} -c ${COMMANDS}`;
  await $({ env })`node ${path.join(ROOT, 'bin', 'embox.cjs')} -c ${COMMANDS}`;
  // what three starts ran (timers and writeback make each a little different)
  const eager = new Set();
  for (let run = 0; run < 3; run++) {
    for (const f of compiled(await $({ env })`node --trace-wasm-compilation-times ${path.join(ROOT, 'bin', 'embox.cjs')} -c ${COMMANDS}`)) eager.add(f);
  }
  if (eager.size === 0) throw new Error('no function compiled at its first call: is the trace format still V8 11\'s?');
  const list = {
    kernel: { sha256, bytes: bytes.length, functions },
    commands: COMMANDS,
    eager: [...eager].sort((a, b) => a - b),
  };
  // with a disk: the functions compiled beside the list, with the list in place (a copy of the image:
  // the runs write to it)
  fs.writeFileSync(OUT, JSON.stringify(list) + '\n');
  const img = path.join(cache, 'root.img');
  const disk = new Set();
  for (let run = 0; run < 5; run++) {
    fs.writeFileSync(img, zlib.gunzipSync(fs.readFileSync(DISK_IMAGE)));
    const out = await $({ env })`node --trace-wasm-compilation-times ${path.join(ROOT, 'bin', 'embox.cjs')} --root ${img} -c ${DISK_COMMANDS}`;
    // (the first two make the snapshot and the code cache as above, with the list in place)
    if (run < 2) continue;
    for (const f of compiled(out)) if (!eager.has(f)) disk.add(f);
  }
  Object.assign(list, { diskCommands: `--root ${path.relative(ROOT, DISK_IMAGE)} -c ${DISK_COMMANDS}`, disk: [...disk].sort((a, b) => a - b) });
  fs.writeFileSync(OUT, JSON.stringify(list) + '\n');
  console.log(`${OUT}: ${eager.size} of ${functions} functions, and ${disk.size} more with a disk`);
} finally {
  fs.rmSync(cache, { recursive: true, force: true });
}
