// The page: an xterm.js terminal on the system's console, the boot progress,
// and the disk controls. The system runs in a worker (worker.ts); this side
// only moves bytes and shows state.
//
// URL parameters: ?c=COMMANDS runs a command line after boot (as `embox -c`;
// the shell stays for more), ?vda=URL attaches the image at URL as /dev/vda
// (kept with its changes until another replaces it), ?verbose=1 shows the
// kernel's messages.

import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import type { DiskInfo, DiskSource, FromWorker, ToWorker } from './protocol.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);

const term = new Terminal({
  // a host terminal's own output processing (\n to \r\n), as the CLI's terminal does: the kernel's tty never adds it
  convertEol: true,
  cursorBlink: true,
  fontSize: window.innerWidth < 600 ? 12 : 14,
  fontFamily: "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace",
  // a little room under each row: at 1.0 some fonts lose the underscore's stroke
  lineHeight: 1.15,
  scrollback: 5000,
  theme: { background: '#111111' },
});
const fit = new FitAddon();
term.loadAddon(fit);
term.open($('terminal'));
fit.fit();

/** For tests and the curious: the terminal, its text, the boot's figures. */
const state = {
  term,
  ready: false,
  down: false,
  bootMs: 0,
  sharedMemory: false,
  disk: undefined as DiskInfo | undefined,
  errors: [] as string[],
  /** the screen and scrollback as text, one line a row (wrapped rows joined) */
  text(): string {
    const b = term.buffer.active;
    const rows: string[] = [];
    for (let i = 0; i < b.length; i++) {
      const l = b.getLine(i)!;
      const s = l.translateToString(true);
      if (l.isWrapped && rows.length) rows[rows.length - 1] += s;
      else rows.push(s);
    }
    while (rows.length && rows[rows.length - 1] === '') rows.pop();
    return rows.join('\n');
  },
};
(window as unknown as { embox: typeof state }).embox = state;

let worker: Worker | undefined;
const send = (m: ToWorker) => worker?.postMessage(m);
const encoder = new TextEncoder();

term.onData((d) => send({ t: 'in', data: encoder.encode(d) }));
term.onBinary((d) => send({ t: 'in', data: Uint8Array.from(d, (c) => c.charCodeAt(0)) }));
term.onResize(({ rows, cols }) => send({ t: 'resize', rows, cols }));
new ResizeObserver(() => fit.fit()).observe($('terminal'));

function progress(text: string, fraction?: number): void {
  $('progress').style.display = '';
  $('progress-text').textContent = text;
  const bar = $<HTMLProgressElement>('progress-bar');
  if (fraction === undefined) bar.removeAttribute('value');
  else bar.value = fraction;
}

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

function showDisk(d: DiskInfo | undefined): void {
  $('disk').textContent = d ? `/dev/vda: ${d.origin} (${d.type}, ${mib(d.size)}) at /mnt/vda` : '/dev/vda: none';
  $<HTMLButtonElement>('download').disabled = !d;
  $<HTMLButtonElement>('forget').disabled = !d;
}

/** Start the system afresh (a new worker) with the disk from `disk`. */
function start(disk: DiskSource, command?: string): void {
  worker?.terminate();
  state.ready = false;
  state.down = false;
  state.errors = [];
  state.disk = undefined;
  term.reset();
  progress('loading…');
  worker = new Worker('worker.js', { type: 'module' });
  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data;
    switch (m.t) {
      case 'out':
        term.write(m.data);
        break;
      case 'progress':
        progress(
          m.what === 'booting' ? 'booting Linux…' : `loading ${m.what}: ${mib(m.loaded)}${m.total ? ` of ${mib(m.total)}` : ''}`,
          m.what === 'booting' || !m.total ? undefined : m.loaded / m.total,
        );
        break;
      case 'ready':
        state.ready = true;
        state.bootMs = m.bootMs;
        state.sharedMemory = m.sharedMemory;
        state.disk = m.disk;
        $('progress').style.display = 'none';
        showDisk(m.disk);
        $('status').textContent = `booted in ${(m.bootMs / 1000).toFixed(1)} s; guest memory ${m.sharedMemory ? 'shared (cross-origin isolated)' : 'fixed 256 MiB (no cross-origin isolation)'}`;
        term.focus();
        break;
      case 'fatal':
        progress('');
        $('progress-text').innerHTML = '';
        $('progress-text').append(Object.assign(document.createElement('div'), { className: 'fatal', textContent: `embox: ${m.message}` }));
        state.errors.push(m.message);
        break;
      case 'error':
        state.errors.push(m.message);
        break;
      case 'down':
        state.down = true;
        term.write(`\r\n[system powered off (status ${m.status}); reload the page to boot again]\r\n`);
        break;
      case 'image': {
        const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(new Blob([m.bytes])), download: m.name });
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
        break;
      }
    }
  };
  send({ t: 'boot', rows: term.rows, cols: term.cols, command, disk, verbose: params.get('verbose') === '1' });
}

// the keys a phone's keyboard lacks, as their terminal bytes (data-key: a JSON string's escapes)
for (const b of document.querySelectorAll<HTMLButtonElement>('#keys button')) {
  const bytes = encoder.encode(JSON.parse(`"${b.dataset.key!}"`) as string);
  b.addEventListener('pointerdown', (e) => e.preventDefault()); // the terminal keeps the focus (and the keyboard stays up)
  b.addEventListener('click', () => send({ t: 'in', data: bytes }));
}

$<HTMLInputElement>('image-file').addEventListener('change', (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) start({ kind: 'file', file });
});
$('download').addEventListener('click', () => send({ t: 'download' }));
$('forget').addEventListener('click', () => {
  if (confirm('Remove the stored disk (with its changes) and reboot without it?')) start({ kind: 'forget' });
});

const url = params.get('vda');
start(url ? { kind: 'url', url: new URL(url, location.href).href } : { kind: 'stored' }, params.get('c') ?? undefined);
