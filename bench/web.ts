// The page (web/): boot to the shell's prompt in Debian's chromium, headless,
// from navigation to a command's output (fetching lkl.wasm and the rootfs from
// a local server, compiling the kernel, booting, copying the rootfs in,
// running `?c=load_app linux_echo hi`); median of 3, each in a fresh browser
// context (nothing cached). With the COOP/COEP headers (shared guest memory)
// and without (the fixed 256 MiB memory). The "native" column is the Node CLI
// doing the same (`embox -c 'load_app linux_echo hi'`, a whole process, best of
// 3); RSS product: the peak resident set of the browser's largest process (the
// renderer that runs the page and its worker).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { buildSite } from '../web/build.js';
import { serveSite, type WebServer } from '../web/server.js';
import { hostTimed } from './apps.js';
import type { BenchRow } from './index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.EMBOX_CHROMIUM ?? '/usr/bin/chromium';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Every process under pid (itself included). */
function tree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    try {
      const kids = fs.readFileSync(`/proc/${all[i]}/task/${all[i]}/children`, 'utf8').trim();
      if (kids) all.push(...kids.split(/\s+/).map(Number));
    } catch {
      // gone
    }
  }
  return all;
}

/** The largest peak resident set (VmHWM, MiB) among the browser's processes (chromium's, under this one). */
function peakRss(): number | null {
  let max = 0;
  for (const p of tree(process.pid)) {
    try {
      if (!/chrom/i.test(fs.readFileSync(`/proc/${p}/comm`, 'utf8'))) continue;
      const kib = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
      max = Math.max(max, kib);
    } catch {
      // gone
    }
  }
  return max ? max / 1024 : null;
}

async function bootToPrompt(server: WebServer): Promise<{ s: number; rss: number | null }> {
  const times: number[] = [];
  let rss: number | null = null;
  for (let i = 0; i < 3; i++) {
    // a browser of its own each time: the peak resident set is this boot's
    const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const t0 = performance.now();
      await page.goto(`${server.url}?c=load_app%20linux_echo%20hi`);
      await page.waitForFunction(() => {
        const e = (globalThis as { embox?: { ready: boolean; errors: string[]; text(): string } }).embox;
        if (e?.errors.length) throw new Error(e.errors.join('; '));
        return e?.ready && /^hi$/m.test(e.text());
      }, null, { timeout: 120_000, polling: 10 });
      times.push((performance.now() - t0) / 1000);
      if (i === 0) rss = peakRss();
    } finally {
      await browser.close();
    }
  }
  return { s: median(times), rss };
}

export async function bench(): Promise<BenchRow[]> {
  if (!fs.existsSync(CHROMIUM)) {
    return [{ name: 'page: boot to prompt', product: null, native: null, qemu: null, unit: 's', note: `skipped: no ${CHROMIUM} (apt-get install chromium)` }];
  }
  await buildSite();
  const cli = hostTimed(process.execPath, [path.join(ROOT, 'bin', 'embox.cjs'), '-c', 'load_app linux_echo hi']);
  const rows: BenchRow[] = [];
  for (const isolation of [true, false]) {
    const server = await serveSite({ port: 0, isolation });
    try {
      const r = await bootToPrompt(server);
      rows.push({
        name: `page: boot to prompt, ${isolation ? 'shared memory' : 'fixed memory (no isolation)'}`,
        unit: 's', product: r.s, native: cli?.s ?? null, qemu: null,
        rss: { product: r.rss, native: cli?.rss ?? null, qemu: null },
        note: isolation
          ? 'chromium headless, navigation to `?c=load_app linux_echo hi` showing hi (assets fetched from 127.0.0.1, kernel compiled, booted); native: the Node CLI doing the same, whole process; RSS: the largest browser process'
          : 'as above, served without COOP/COEP',
      });
    } finally {
      await server.close();
    }
  }
  return rows;
}
