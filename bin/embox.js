#!/usr/bin/env node
// Launcher for the compiled CLI (`npm run build` produces dist/): the bundle
// dist/embox.mjs when it is newer than every file it was made from
// (scripts/bundle-cli.mjs), else dist/bin/main.js.
import * as fs from 'node:fs';
import { restoreLinks } from './rootfs-links.js';

// An install made without scripts (--ignore-scripts) has no rootfs links yet;
// one that cannot make them says so (dynamically linked programs will not run).
restoreLinks(true);

/** The bundle's URL if it is there and no file it was made from changed since. */
function freshBundle() {
  const dist = new URL('../dist/', import.meta.url);
  try {
    const made = fs.statSync(new URL('embox.mjs', dist), { bigint: true }).mtimeNs;
    const inputs = JSON.parse(fs.readFileSync(new URL('embox.inputs.json', dist), 'utf8'));
    for (const f of inputs) if (fs.statSync(new URL(f, dist), { bigint: true }).mtimeNs > made) return undefined;
    return new URL('embox.mjs', dist).href;
  } catch {
    return undefined;
  }
}

try {
  await import(freshBundle() ?? '../dist/bin/main.js');
} catch (e) {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('main.js')) {
    process.stderr.write('embox: not built: run `npm run build` first\n');
    process.exit(1);
  }
  throw e;
}
