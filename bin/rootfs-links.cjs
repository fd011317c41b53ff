// The rootfs's symbolic links (the dynamic linker's /lib/ld-linux.so.2, a
// library's soname) in an installed package: npm leaves symbolic links out of
// a package, so `npm pack` records them in dist/rootfs-links.json and they are
// made again at install (postinstall) or, failing that, at the first start.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const LIST = path.join(ROOT, 'dist', 'rootfs-links.json');

/** [link, target] pairs, link relative to the package root, found under dir. */
function findLinks(dir = path.join(ROOT, 'rootfs'), skip = new Set(['src'])) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (skip.has(e.name) && d === dir) continue;
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) out.push([path.relative(ROOT, p).split(path.sep).join('/'), fs.readlinkSync(p)]);
      else if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** Writes dist/rootfs-links.json (before packing). */
function recordLinks() {
  const links = findLinks();
  fs.mkdirSync(path.dirname(LIST), { recursive: true });
  fs.writeFileSync(LIST, JSON.stringify(links, null, 1) + '\n');
  return links;
}

/**
 * Makes the recorded links that are missing. Quiet unless `report`: an
 * unwritable install is reported by the guest's own error (no such file) later.
 */
function restoreLinks(report = false) {
  let links;
  try {
    links = JSON.parse(fs.readFileSync(LIST, 'utf8'));
  } catch {
    return 0; // a source tree: the links are there
  }
  let made = 0;
  for (const [link, target] of links) {
    const p = path.join(ROOT, link);
    try {
      fs.lstatSync(p);
      continue;
    } catch {
      // missing: make it
    }
    try {
      fs.symlinkSync(target, p);
      made++;
    } catch (e) {
      if (report) process.stderr.write(`embox: cannot make ${link} -> ${target}: ${e.message}\n`);
    }
  }
  return made;
}

module.exports = { findLinks, recordLinks, restoreLinks };

if (require.main === module) {
  const arg = process.argv[2];
  if (arg === '--record') {
    const links = recordLinks();
    console.log(`${path.relative(process.cwd(), LIST)}: ${links.length} links`);
  } else if (arg === '--restore') {
    restoreLinks(true);
  } else {
    process.stderr.write('usage: node bin/rootfs-links.cjs --record | --restore\n');
    process.exit(2);
  }
}
