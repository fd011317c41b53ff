#!/usr/bin/env node
// Launcher for the compiled CLI (`npm run build` produces dist/): the bundle
// dist/embox.cjs when it is newer than every file it was made from
// (scripts/bundle-cli.mjs), run with V8's code cache (run-bundle.cjs), else
// dist/bin/main.js. A CommonJS script: Node starts one without its ES module
// loader (some 6 ms of a start).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { restoreLinks } = require('./rootfs-links.cjs');

// An install made without scripts (--ignore-scripts) has no rootfs links yet;
// one that cannot make them says so (dynamically linked programs will not run).
restoreLinks(true);

const DIST = path.join(__dirname, '..', 'dist');

/**
 * The bundle's path if it is there and, in a source tree (where tsc rebuilds
 * dist/), no file it was made from changed since. An installed package has
 * no tsconfig.json, and nothing rebuilds its dist/ (whose files npm gives the
 * time of the install, in no useful order).
 */
function freshBundle() {
  try {
    const bundle = path.join(DIST, 'embox.cjs');
    const made = fs.statSync(bundle, { bigint: true }).mtimeNs;
    if (fs.existsSync(path.join(__dirname, '..', 'tsconfig.json'))) {
      const inputs = JSON.parse(fs.readFileSync(path.join(DIST, 'embox.inputs.json'), 'utf8'));
      // (a string, not path.join: a hundred joins ran cold at every start in a source tree)
      for (const f of inputs) if (fs.statSync(DIST + path.sep + f, { bigint: true }).mtimeNs > made) return undefined;
    }
    return bundle;
  } catch {
    return undefined;
  }
}

const bundle = freshBundle();
if (bundle) require('./run-bundle.cjs').runBundle(bundle);
else {
  import('../dist/bin/main.js').catch((e) => {
    if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('main.js')) {
      process.stderr.write('embox: not built: run `npm run build` first\n');
      process.exit(1);
    }
    throw e;
  });
}
