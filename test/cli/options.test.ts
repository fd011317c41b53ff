// The embox command's conventions: --version, --help naming every option and
// every environment variable the system reads, usage errors.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/cli → package root
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EMBOX = path.join(ROOT, 'bin', 'embox.cjs');
const USAGE = "usage: embox [--vda IMAGE[:ro] | --root IMAGE[:ro]] [--mem SIZE] [--net user|none]\n             [-p [HOSTIP:]HOSTPORT:GUESTPORT[/udp]]... [--profile] [--verbose] [-c 'COMMANDS']\n       embox --help | --version\n";

function embox(args: string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [EMBOX, ...args], { encoding: 'utf8', input: '', timeout: 60_000, env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The TypeScript sources of the CLI and the system (not tests). */
function sources(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push(p);
    }
  };
  walk(path.join(ROOT, 'src'));
  walk(path.join(ROOT, 'bin'));
  return out;
}

test('--version: the package, the kernel release in lkl.wasm and its hash, Node', (t) => {
  const env = { ...process.env };
  delete env.EMBOX_KERNEL;
  const r = embox(['--version'], env);
  t.is(r.stderr, '');
  t.is(r.status, 0);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const wasm = fs.readFileSync(path.join(ROOT, 'lkl', 'lkl.wasm'));
  const release = /Linux version (\S+)/.exec(wasm.toString('latin1'))![1]!;
  const sha = createHash('sha256').update(wasm).digest('hex');
  t.is(r.stdout, `${pkg.name} ${pkg.version}\nkernel: Linux ${release} (lkl.wasm sha256 ${sha})\nnode: ${process.version}\n`);
  // what the kernel was built from says the same
  const inputs = JSON.parse(fs.readFileSync(path.join(ROOT, 'lkl', 'lkl.inputs.json'), 'utf8')) as { inputs: { packages: string }; wasm: { sha256: string } };
  t.is(inputs.wasm.sha256, sha);
  const source = /linux-source-[\d.]+=([\d.]+)-/.exec(inputs.inputs.packages)![1]!;
  t.true(release.startsWith(`${source}-`), `${release} from linux-source ${source}`);

  const other = embox(['--version'], { ...env, EMBOX_KERNEL: '/nonexistent/lkl.wasm' });
  t.is(other.status, 0);
  t.regex(other.stdout, /^.+\nkernel: not built: \/nonexistent\/lkl\.wasm is missing\nnode: v/);
});

test('--help: every option, and every environment variable and debug namespace the source reads', (t) => {
  const r = embox(['--help']);
  t.is(r.stderr, '');
  t.is(r.status, 0);
  t.true(r.stdout.startsWith(USAGE));
  t.is(embox(['-h']).stdout, r.stdout);
  const words = new Set(r.stdout.split(/[^\w:.-]+/).flatMap((w) => [w, w.replace(/[.:]+$/, '')]));
  for (const o of ['--vda', '--root', '--mem', '--net', '-p', '--publish', '--profile', '-v', '--verbose', '-c', '--command', '-h', '--help', '--version']) t.true(words.has(o), `option ${o}`);

  const envVars = new Set<string>();
  const namespaces = new Set<string>();
  for (const f of sources()) {
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(/process\.env(?:\.([A-Za-z_]\w*)|\[\s*['"`](\w+)['"`]\s*\])|\benv\(\s*['"`](\w+)['"`]\s*\)|\b(EMBOX_[A-Z0-9_]+)/g)) {
      envVars.add((m[1] ?? m[2] ?? m[3] ?? m[4])!);
    }
    for (const m of text.matchAll(/createDebug\(\s*['"`]([^'"`]+)['"`]\s*\)/g)) namespaces.add(m[1]!);
  }
  // the reading of the variables is found (the pattern keeps up with the source)
  for (const v of ['EMBOX_JIT', 'EMBOX_WASM', 'EMBOX_KERNEL', 'EMBOX_CMDLINE']) t.true(envVars.has(v), `${v} found in the source`);
  t.true(namespaces.size >= 5);
  envVars.add('DEBUG');
  for (const v of envVars) t.regex(r.stdout, new RegExp(`\\n {2}${v}=\\S+ +\\S`), `--help explains ${v}`);
  for (const ns of namespaces) t.regex(r.stdout, new RegExp(`\\n {4}${ns.replace(/[.*]/g, '\\$&')} +\\S`), `--help explains DEBUG=${ns}`);
});

test('usage errors: a message, the usage and a pointer to --help on stderr, status 2', (t) => {
  const cases: Array<[string[], string]> = [
    [['--bogus'], "unknown option '--bogus'"],
    [['-x'], "unknown option '-x'"],
    [['-v=1'], "unknown option '-=' in '-v=1'"],
    [['ls'], "unexpected argument 'ls'"],
    [['--verbose=yes'], 'option --verbose takes no value'],
    [['--version=1'], 'option --version takes no value'],
    [['--vda'], 'option --vda needs an image file'],
    [['--vda='], 'option --vda needs an image file'],
    [['--vda', ':ro'], 'option --vda needs an image file'],
    [['--root'], 'option --root needs an image file'],
    [['--root', ':ro'], 'option --root needs an image file'],
    [['--root', 'a.img', '--vda', 'b.img'], '--root and --vda cannot be used together (the root is /dev/vda)'],
    [['-c'], 'option -c needs a command line'],
    [['--command'], 'option --command needs a command line'],
    [['--help', '--bogus'], "unknown option '--bogus'"],
    [['--net'], 'option --net needs user or none'],
    [['--net', 'tap'], '--net tap: expected user or none'],
    [['-p'], 'option -p needs a port mapping'],
    [['-p', '80'], '--publish 80: wrong number of fields (expected [HOSTIP:]HOSTPORT:GUESTPORT[/udp])'],
    [['--publish', '8080:70000'], "--publish 8080:70000: '70000' is not a port (expected [HOSTIP:]HOSTPORT:GUESTPORT[/udp])"],
    [['-p', 'localhost:8080:80'], "--publish localhost:8080:80: 'localhost' is not an IPv4 address (expected [HOSTIP:]HOSTPORT:GUESTPORT[/udp])"],
    [['-p', '8080:80/sctp'], "--publish 8080:80/sctp: unknown protocol 'sctp' (expected [HOSTIP:]HOSTPORT:GUESTPORT[/udp])"],
    [['--net', 'none', '-p', '8080:80'], '--publish needs --net user'],
  ];
  for (const [args, message] of cases) {
    const r = embox(args);
    t.is(r.stdout, '', args.join(' '));
    t.is(r.stderr, `embox: ${message}\n${USAGE}Try 'embox --help' for the options and environment variables.\n`, args.join(' '));
    t.is(r.status, 2, args.join(' '));
  }
});

test('option values: --vda=IMAGE as --vda IMAGE, -c takes the next argument whatever it starts with, statuses', (t) => {
  const missing = path.join(ROOT, 'no-such.img');
  for (const args of [['--vda', missing], [`--vda=${missing}`], [`--vda=${missing}:ro`], ['--root', missing], [`--root=${missing}:ro`]]) {
    const r = embox([...args, '-c', 'ls /']);
    t.is(r.stderr, `embox: ${missing}: No such file or directory\n`, args.join(' '));
    t.is(r.status, 1);
  }
  // the last command's status; the value of -c may start with a dash
  const st = embox(['-c', 'load_app linux_echo a; load_app busybox sh -c "exit 3"']);
  t.is(st.stdout, 'a\n');
  t.is(st.status, 3);
  const dash = embox(['-c', '-x']);
  t.is(dash.stdout, '');
  t.regex(dash.stderr, /-x: command not found/);
  t.is(dash.status, 127);
  const long = embox(['--command', 'load_app linux_echo b', '-v']);
  t.is(long.stdout, 'b\n');
  t.not(long.stderr, '', '--verbose shows the boot on stderr');
  t.is(long.status, 0);
});

test('DEBUG=rtos:uaccess: a whole boot makes no faulting or short user copy (mount options are a page)', (t) => {
  const r = embox(['-c', 'load_app linux_echo hi'], { ...process.env, EMBOX_SNAPSHOT: '0', DEBUG: 'rtos:uaccess', DEBUG_COLORS: '0' });
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout, 'hi\n');
  t.is(r.stderr.split('\n').filter((l) => l.includes('rtos:uaccess')).join('\n'), '');
});
