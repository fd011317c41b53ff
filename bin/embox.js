#!/usr/bin/env node
// Launcher for the compiled CLI (`npm run build` produces dist/).
import { restoreLinks } from './rootfs-links.js';

// An install made without scripts (--ignore-scripts) has no rootfs links yet;
// one that cannot make them says so (dynamically linked programs will not run).
restoreLinks(true);
try {
  await import('../dist/bin/main.js');
} catch (e) {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('main.js')) {
    process.stderr.write('embox: not built: run `npm run build` first\n');
    process.exit(1);
  }
  throw e;
}
