// What `npm run build:lkl` needs before scripts/build-lkl.mjs starts, said in
// one plain message instead of a failing command's stack trace: Debian's
// linux-source-6.1 tarball, the clang-19/lld-19 toolchain and the kernel
// build's tools (the packages build-lkl.mjs --install installs), and
// binaryen's wasm-opt from node_modules. A linux-source version other than
// the one lkl/lkl.inputs.json records is a warning: the build then differs
// from the committed lkl.wasm, and records the version it used.
//
//   node scripts/lkl-prereq.mjs    exit 1 with the message when something is missing
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TARBALL = '/usr/src/linux-source-6.1.tar.xz';
export const INSTALL = 'npx zx scripts/build-lkl.mjs --install';

/** The packages build-lkl.mjs --install installs (its PACKAGES). */
const INSTALLED = new Set(['clang-19', 'lld-19', 'llvm-19', 'linux-source-6.1', 'make', 'bc', 'flex', 'bison']);

/** Commands the build runs, and the Debian package that has each. */
const TOOLS = [
  ['clang-19', 'clang-19'], ['wasm-ld-19', 'lld-19'], ['llvm-ar-19', 'llvm-19'], ['make', 'make'], ['bc', 'bc'],
  ['flex', 'flex'], ['bison', 'bison'], ['tar', 'tar'], ['xz', 'xz-utils'], ['patch', 'patch'],
];

function onPath(cmd, env) {
  return (env.PATH ?? '').split(path.delimiter).some((d) => {
    try {
      fs.accessSync(path.join(d || '.', cmd), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Missing prerequisites as [what, Debian package or how to get it], and warnings. */
export function check({ tarball = TARBALL, env = process.env, inputs = path.join(root, 'lkl', 'lkl.inputs.json') } = {}) {
  const missing = [];
  const warnings = [];
  if (!fs.existsSync(tarball)) missing.push([tarball, 'linux-source-6.1']);
  for (const [cmd, pkg] of TOOLS) if (!onPath(cmd, env)) missing.push([cmd, pkg]);
  if (!fs.existsSync(path.join(root, 'node_modules', '.bin', 'wasm-opt'))) missing.push(['wasm-opt', 'binaryen from npm: npm ci']);
  if (fs.existsSync(tarball) && onPath('dpkg-query', env)) {
    const have = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'linux-source-6.1'], { encoding: 'utf8', env }).stdout?.trim();
    let recorded;
    try {
      recorded = /linux-source-6\.1=(\S+)/.exec(JSON.parse(fs.readFileSync(inputs, 'utf8')).inputs.packages)?.[1];
    } catch {
      recorded = undefined;
    }
    if (have && recorded && have !== recorded) {
      warnings.push(`linux-source-6.1 ${have} is installed; lkl/lkl.wasm was built from ${recorded}. ` +
        `The build will not be byte-identical to the committed lkl.wasm; lkl/lkl.inputs.json will record ${have}.`);
    }
  }
  return { missing, warnings };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { missing, warnings } = check();
  for (const w of warnings) process.stderr.write(`build:lkl: warning: ${w}\n`);
  if (missing.length > 0) {
    process.stderr.write(`build:lkl: missing: ${missing.map(([w, p]) => (w === p ? w : `${w} (${p})`)).join(', ')}\n`);
    const pkgs = new Set(missing.map(([, p]) => p));
    if ([...pkgs].some((p) => INSTALLED.has(p))) process.stderr.write(`Install them with: ${INSTALL}  (as root: apt-get install of the kernel source and the toolchain)\n`);
    const other = [...pkgs].filter((p) => !INSTALLED.has(p) && !p.includes(' '));
    if (other.length > 0) process.stderr.write(`and: apt-get install ${other.join(' ')}\n`);
    if (pkgs.has('binaryen from npm: npm ci')) process.stderr.write('and: npm ci (binaryen\'s wasm-opt)\n');
    process.exit(1);
  }
}
