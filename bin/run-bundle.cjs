// Runs the CLI's bundle (dist/embox.cjs, scripts/bundle-cli.mjs) with V8's
// code cache: V8 compiles what a start runs the first time, and keeps it in
// $XDG_CACHE_HOME/embox-i386/code (~/.cache/...), so that later starts skip
// parsing and compiling the bundle's functions. The cache is made at the end
// of a start that had none (or one V8 rejected), for the bundle's file as it
// is (size, time, inode), this Node and its options; V8 checks it again
// before using it.
'use strict';
const fs = require('node:fs');
const { createRequire } = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

/** A 32-bit FNV-1a hash of a string, in hex (a file name's part, not a check). */
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

function cacheDir() {
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'embox-i386', 'code');
}

/** Run the bundle at `file` as the CLI's main module. */
function runBundle(file) {
  // the V8 flags of src/cpu/v8-flags.ts (as a script, dist/v8-flags.cjs, made with the bundle): what
  // bin/early.ts sets too, here first since V8 takes a code cache only under the flags it was made with
  require(path.join(path.dirname(file), 'v8-flags.cjs')).applyV8Flags();
  // latin1: the bundle is ASCII (scripts/bundle-cli.mjs), and this skips decoding it as UTF-8
  const source = fs.readFileSync(file, 'latin1');
  const st = fs.statSync(file, { bigint: true });
  // V8 takes a cache only under the flags it was made with: the options Node ran with are part of its name
  const cacheFile = path.join(cacheDir(), `${process.version}-${st.size}-${st.mtimeNs}-${st.ino}-${fnv1a(`${file}\0${process.execArgv.join('\0')}`)}.v8`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // none yet
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        const data = script.createCachedData();
        fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, data);
        fs.renameSync(tmp, cacheFile);
        // those of bundles gone (other builds) go after a week unused
        for (const f of fs.readdirSync(path.dirname(cacheFile))) {
          const p = path.join(path.dirname(cacheFile), f);
          if (f.endsWith('.v8') && Date.now() - fs.statSync(p).mtimeMs > 7 * 86400e3) fs.rmSync(p, { force: true });
        }
      } catch {
        // a cache that cannot be written: every start compiles
      }
    });
  }
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, path.dirname(file));
}

module.exports = { runBundle };
