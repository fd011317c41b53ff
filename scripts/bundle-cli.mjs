#!/usr/bin/env node
// The CLI as one file: dist/embox.cjs, an esbuild bundle of the compiled
// dist/bin/main.js and what it imports (the debug package included), which
// Node loads in one go instead of resolving and compiling a hundred modules.
// bin/embox.cjs runs it when it is newer than every file it was made from
// (dist/embox.inputs.json lists them), else dist/bin/main.js itself: a
// `tsc -p .` without this step never leaves a stale bundle in use (an
// installed package, where nothing rebuilds dist/, always runs it). It is a
// script (CommonJS), not a module: bin/run-bundle.cjs runs it with V8's code
// cache, which Node 20 offers for scripts only.
//
//   node scripts/bundle-cli.mjs      (npm run build, prepare, prepack, test and bench run it)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, 'embox.cjs');
const INPUTS = path.join(DIST, 'embox.inputs.json');

const result = await esbuild.build({
  entryPoints: [path.join(DIST, 'bin', 'main.js')],
  outfile: OUT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  metafile: true,
  logLevel: 'warning',
  // import.meta.url (a module finding the package's files) as the bundle's own URL
  define: { 'import.meta.url': '__emboxUrl' },
  banner: { js: "var __emboxUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// The V8 flags (src/cpu/v8-flags.ts) as a script of their own: bin/run-bundle.cjs sets them before V8
// compiles the bundle (it takes a code cache only under the flags it was made with)
await esbuild.build({
  entryPoints: [path.join(DIST, 'src', 'cpu', 'v8-flags.js')],
  outfile: path.join(DIST, 'v8-flags.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
// ASCII only: V8 keeps a script holding any other character (esbuild escapes them in code, not in
// the comments it keeps) as a two-byte string, twice the memory and slower to read and to hash
let code = fs.readFileSync(OUT, 'utf8');
if (/[^\0-\x7f]/.test(code)) code = code.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
// Node's own modules as objects inheriting from them (their `default` the module itself, as
// esbuild's node-mode interop gives it) instead of esbuild's __toESM copies, which define a getter
// for every export of every import at load: some 1,400 for the bundle's node:fs, node:path ...
// imports, a few ms of every start.
const TO_ESM = /__toESM\(require\("(node:[a-z0-9_/]+)"\), 1\)/g;
const imports = code.match(TO_ESM)?.length ?? 0;
code = code.replace(TO_ESM, '__nodeModule(require("$1"))');
if (imports > 0) {
  const helper = 'var __toESM = ';
  if (!code.includes(helper)) throw new Error(`bundle-cli: esbuild's ${helper.trim()} helper not found: its interop changed`);
  code = code.replace(helper, 'var __nodeModule = (m) => Object.create(m, { default: { value: m, enumerable: true } });\n' + helper);
}
fs.writeFileSync(OUT, code);
// What the bundle was made from in dist/, relative to it: bin/embox.cjs checks their times against
// the bundle's in a source tree. The debug package, from node_modules, is not listed.
const inputs = Object.keys(result.metafile.inputs).map((f) => path.relative(DIST, path.resolve(ROOT, f)).split(path.sep).join('/'))
  .filter((f) => !f.startsWith('../')).sort();
fs.writeFileSync(INPUTS, `${JSON.stringify(inputs, null, 1)}\n`);
if (process.argv.includes('--verbose')) console.log(`${path.relative(ROOT, OUT)}: ${(fs.statSync(OUT).size / 1024).toFixed(0)} KiB from ${inputs.length} files`);
