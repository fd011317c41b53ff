#!/usr/bin/env zx
// Builds the Go fixture rootfs/bin/goprog from rootfs/src/go/goprog with
// Debian's golang-go for GOARCH=386 (GO386=sse2, Go's default: its code uses
// SSE2), CGO_ENABLED=0, byte-identically: -trimpath, no VCS stamp, no build
// id, no symbol table or DWARF. rootfs/src/go/MANIFEST records the toolchain
// and the binary's sha256.
//
//   zx scripts/build-go.mjs            build into rootfs/bin
//   zx scripts/build-go.mjs --check    rebuild into a temp dir, fail if the
//                                      committed binary differs
//   zx scripts/build-go.mjs --golden   run it natively and record
//                                      test/cpu/programs-golden/goprog.txt
// (qemu-i386 7.2 crashes on Go binaries: the golden comes from the real CPU.)
import { $, fs, path, argv, os } from 'zx';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';

$.verbose = false;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const srcDir = path.join(root, 'rootfs/src/go/goprog');
const bin = path.join(root, 'rootfs/bin/goprog');
const manifestFile = path.join(root, 'rootfs/src/go/MANIFEST');
const goldenFile = path.join(root, 'test/cpu/programs-golden/goprog.txt');

const flags = ['-trimpath', '-buildvcs=false', '-ldflags=-s -w -buildid='];
const env = {
  ...process.env,
  GOOS: 'linux', GOARCH: '386', GO386: 'sse2', CGO_ENABLED: '0',
  GOFLAGS: '', GOENV: 'off', GOPROXY: 'off', GO111MODULE: 'on', GOTOOLCHAIN: 'local',
  // the build cache only saves time; the output does not depend on it
  GOCACHE: process.env.GOCACHE ?? path.join(os.tmpdir(), 'embox-go-cache'),
};
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

async function build(out) {
  await $({ cwd: srcDir, env })`go build ${flags} -o ${out} .`;
}

async function goVersion() {
  return (await $({ env })`go version`).stdout.trim();
}

async function manifest(file) {
  return [
    '# rootfs/bin/goprog built by scripts/build-go.mjs from rootfs/src/go/goprog',
    `# ${await goVersion()}`,
    '# env: GOOS=linux GOARCH=386 GO386=sse2 CGO_ENABLED=0',
    `# go build ${flags.join(' ')}`,
    `${sha256(await fs.readFile(file))}  goprog`,
  ].join('\n') + '\n';
}

if (argv.check) {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gofix-'));
  try {
    await build(path.join(tmp, 'goprog'));
    const got = await fs.readFile(path.join(tmp, 'goprog'));
    const want = await fs.readFile(bin).catch(() => null);
    const recorded = (await fs.readFile(manifestFile, 'utf8').catch(() => '')).split('\n')[1] ?? '';
    if (!want || !want.equals(got)) {
      console.error(`differs: rootfs/bin/goprog (rebuilt sha256 ${sha256(got)}; built with ${recorded.slice(2)}, now ${await goVersion()})`);
      process.exit(1);
    }
    console.log('rootfs/bin/goprog is identical to a fresh build');
  } finally {
    await fs.remove(tmp);
  }
} else if (argv.golden) {
  // argv[1] is its own path, for os/exec; relative to the repository root, as the other goldens
  const args = ['rootfs/bin/goprog', 'rootfs/bin/goprog'];
  const r = spawnSync('setarch', ['i686', '-R', ...args], { cwd: root, env: {}, encoding: 'latin1' });
  if (r.error) throw r.error;
  if (r.signal) throw new Error(`goprog: killed by ${r.signal}`);
  await fs.writeFile(goldenFile, `argv: ${JSON.stringify(args)}\nenv: []\nexit: ${r.status}\n--- stdout\n${r.stdout}`, 'latin1');
  console.log(`goprog: exit ${r.status}, ${r.stdout.length} bytes`);
} else {
  await build(bin);
  await fs.writeFile(manifestFile, await manifest(bin));
  console.log(await fs.readFile(manifestFile, 'utf8'));
}
