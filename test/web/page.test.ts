// The page in a real browser: Debian's chromium, headless, driven by
// playwright-core. The site is built (web/build.ts) and served (web/server.ts)
// on free ports, with and without the cross-origin isolation headers. The
// page boots; ?c= runs a command line; typed keys reach the embox shell's line
// editor and then busybox sh through the kernel's tty (Ctrl-C, Ctrl-Z); the
// terminal's size reaches the guest on a phone-sized screen and when it
// changes; a disk chosen from a file keeps its changes across a reload and
// downloads as an image; a bad image is reported; without isolation the page
// runs on the fixed-size guest memory. The busybox session's screenshot goes
// to dist/screenshot.png (a build artifact), or where EMBOX_SCREENSHOT says:
// `npm run screenshot` renews docs/screenshot.png, which the README shows.
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { detectExt } from '../../src/blockdev/detect.js';
import { MemoryBlockDevice } from '../../src/blockdev/memory.js';
import { buildSite, SITE_DIR } from '../../web/build.js';
import { serveSite, type WebServer } from '../../web/server.js';
import { image } from '../images.js';
import { gunzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Debian's chromium (EMBOX_CHROMIUM names another). */
const CHROMIUM = process.env.EMBOX_CHROMIUM ?? '/usr/bin/chromium';
const BOOT_MS = 60_000;
const SCREENSHOT = path.resolve(ROOT, process.env.EMBOX_SCREENSHOT ?? path.join('dist', 'screenshot.png'));

let browser: Browser;
let isolated: WebServer;
let plain: WebServer;

test.before(async () => {
  await buildSite({ minify: true });
  [isolated, plain] = await Promise.all([serveSite({ port: 0 }), serveSite({ port: 0, isolation: false })]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

test.after.always(async () => {
  await browser?.close();
  await isolated?.close();
  await plain?.close();
});

interface PageState {
  ready: boolean;
  bootMs: number;
  sharedMemory: boolean;
  errors: string[];
  disk?: { origin: string; size: number; type: string };
}
declare const embox: PageState & { text(): string };
declare const crossOriginIsolated: boolean;

/** A new page at `query` on `server`, booted to the shell's prompt. */
async function open(server: WebServer, query = '', viewport = { width: 1000, height: 640 }): Promise<Page> {
  const ctx = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(server.url + query);
  await booted(page);
  return page;
}

async function booted(page: Page): Promise<PageState> {
  await page.waitForFunction(() => typeof embox !== 'undefined' && (embox.ready || embox.errors.length > 0), null, { timeout: BOOT_MS });
  return page.evaluate(() => ({ ready: embox.ready, bootMs: embox.bootMs, sharedMemory: embox.sharedMemory, errors: embox.errors, disk: embox.disk }));
}

const text = (page: Page) => page.evaluate(() => embox.text());

/** Wait until the terminal's text (trailing empty rows left out) after the first `from` characters matches `re`. */
async function waitText(page: Page, re: RegExp, from = 0, ms = 30_000): Promise<string> {
  try {
    await page.waitForFunction(([src, flags, from]) => new RegExp(src, flags).test(embox.text().slice(from)), [re.source, re.flags, from] as const, { timeout: ms, polling: 50 });
  } catch {
    throw new Error(`no ${re} on the terminal; it shows:\n${await text(page)}`);
  }
  return text(page);
}

/** Type a line (or keys) into the terminal and wait for `re` after it. */
async function type(page: Page, keys: string, re: RegExp, enter = true): Promise<string> {
  const from = (await text(page)).length;
  await page.keyboard.type(keys);
  if (enter) await page.keyboard.press('Enter');
  return waitText(page, re, from);
}

test.serial('the page boots, and ?c= runs a command line after boot', async (t) => {
  const page = await open(isolated, '?c=load_app%20linux_echo%20hi');
  const st = await booted(page);
  t.true(st.ready);
  t.deepEqual(st.errors, []);
  t.true(await page.evaluate(() => crossOriginIsolated));
  t.true(st.sharedMemory); // isolated: the growable shared memory
  const shown = await waitText(page, /^hi$\n^embox> $/m);
  t.regex(shown, /^embox> load_app linux_echo hi$/m);
  t.log(`boot to prompt ${st.bootMs.toFixed(0)} ms`);
  await page.context().close();
});

test.serial('typed into the terminal: the shell, busybox sh through the kernel tty, Ctrl-C and Ctrl-Z', async (t) => {
  const page = await open(isolated);
  await waitText(page, /embox> $/);
  await type(page, 'load_app sh', /\/ # $/);
  // (wait for the line's end too: at `42` alone the newline may not have been drawn yet)
  t.regex(await type(page, 'echo $((6*7))', /^42\n/m), /echo \$\(\(6\*7\)\)\n42\n/);
  await type(page, 'cat', /cat$/); // the prompt's row: what was typed after it
  await type(page, 'typed into cat', /typed into cat\ntyped into cat$/); // the tty's echo, then cat's copy
  let from = (await text(page)).length;
  await page.keyboard.press('Control+c');
  await waitText(page, /^\^C\n\/ # $/m, from); // cat ended by SIGINT, sh still there
  await type(page, 'echo status $?', /^status 130$/m);
  await type(page, 'sleep 40', /sleep 40$/);
  from = (await text(page)).length;
  // until the shell has started sleep, a Ctrl-Z reaches the shell, which ignores it (as on Linux)
  for (let i = 0; i < 20 && !/Stopped/.test((await text(page)).slice(from)); i++) {
    await page.keyboard.press('Control+z');
    await page.waitForTimeout(250);
  }
  await waitText(page, /\[1\]\+ +Stopped +sleep 40/, from);
  await type(page, 'kill -9 %1', /\[1\]\+ +Killed +sleep 40/);
  await type(page, 'ls /bin | head -3; cat /proc/version', /^Linux version 6\.1.*\n\/ # $/m);
  await page.screenshot({ path: SCREENSHOT });
  await type(page, 'exit', /embox> $/);
  await type(page, 'echo back in embox', /^back in embox$/m);
  await page.context().close();
});

test.serial('a phone-sized screen: the terminal fits it, its size reaches the guest, also when it changes; the key bar', async (t) => {
  const page = await open(isolated, '', { width: 390, height: 844 });
  const size = () => page.evaluate(() => ({ rows: (embox as unknown as { term: { rows: number; cols: number } }).term.rows, cols: (embox as unknown as { term: { rows: number; cols: number } }).term.cols }));
  const before = await size();
  t.true(before.cols < 60 && before.cols > 20, `${before.cols} columns`);
  await type(page, 'load_app sh', /\/ # $/);
  await type(page, 'stty size', new RegExp(`^${before.rows} ${before.cols}$`, 'm'));
  // the key bar stands in for the keys a phone's keyboard lacks: its Ctrl-C ends cat
  await type(page, 'cat', /cat$/); // the prompt's row: what was typed after it
  const from = (await text(page)).length;
  await page.click('#keys button:text-is("Ctrl-C")');
  await waitText(page, /^\^C\n\/ # $/m, from);
  await page.setViewportSize({ width: 844, height: 390 }); // turned sideways
  await page.waitForFunction((c) => (embox as unknown as { term: { cols: number } }).term.cols !== c, before.cols);
  const after = await size();
  t.true(after.cols > before.cols);
  await page.waitForTimeout(300);
  await type(page, 'stty size', new RegExp(`^${after.rows} ${after.cols}$`, 'm'));
  await page.context().close();
});

test.serial('a disk from a file: its changes survive a reload, it downloads as an image; a bad image is reported', async (t) => {
  const img = image(t, 'ext4-4m');
  const page = await open(isolated);
  await page.setInputFiles('#image-file', img);
  let st = await booted(page);
  t.deepEqual(st.errors, []);
  t.is(st.disk?.type, 'ext4');
  t.is(st.disk?.origin, 'disk.img');
  await type(page, "load_app sh -c 'echo kept across reloads > /mnt/vda/kept; sync'", /embox> $/);
  await page.reload();
  st = await booted(page);
  t.is(st.disk?.origin, 'disk.img'); // the stored image, not a fresh copy
  await type(page, 'cat /mnt/vda/kept', /^kept across reloads$/m);
  // the download: the image as the kernel left it
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const saved = await download.path();
  const bytes = fs.readFileSync(saved);
  t.is(bytes.length, fs.statSync(img).size);
  t.is(detectExt(new MemoryBlockDevice(bytes.length, { data: bytes }))?.type, 'ext4');
  t.true(bytes.includes(Buffer.from('kept across reloads\n')));
  // a file that is no filesystem: the message the CLI gives, and the page boots without the disk
  const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bad-')), 'notes.txt');
  fs.writeFileSync(bad, Buffer.alloc(8192, 'x'));
  t.teardown(() => fs.rmSync(path.dirname(bad), { recursive: true, force: true }));
  await page.setInputFiles('#image-file', bad);
  st = await booted(page);
  t.deepEqual(st.errors, ['notes.txt: not an ext2/ext3/ext4 filesystem (no superblock magic 0xEF53 at offset 1080)']);
  t.regex(await text(page), /embox: notes\.txt: not an ext2\/ext3\/ext4 filesystem .*; booting without \/dev\/vda/);
  t.is(st.disk, undefined);
  await page.context().close();
});

test.serial('a disk from a URL (?vda=): attached, kept with its changes for the same URL; a missing one is reported', async (t) => {
  // an image the site serves beside the page
  fs.writeFileSync(path.join(SITE_DIR, 'test-disk.img'), gunzipSync(fs.readFileSync(path.join(ROOT, 'test', 'images', 'ext2-16m.img.gz'))));
  const page = await open(isolated, '?vda=test-disk.img');
  let st = await booted(page);
  t.deepEqual(st.errors, []);
  t.is(st.disk?.origin, `${isolated.url}test-disk.img`);
  t.is(st.disk?.type, 'ext2');
  await type(page, "load_app sh -c 'echo from the url > /mnt/vda/u; sync; mount | grep vda'", /^\/dev\/vda on \/mnt\/vda type ext2/m);
  await page.reload();
  st = await booted(page);
  await type(page, 'cat /mnt/vda/u', /^from the url$/m); // not fetched again: the stored copy with its change
  await page.goto(`${isolated.url}?vda=nothing-here.img`);
  st = await booted(page);
  t.deepEqual(st.errors, [`${isolated.url}nothing-here.img: HTTP 404 Not Found`]);
  t.is(st.disk, undefined);
  await page.goto(isolated.url); // the stored disk is still there, with its change
  st = await booted(page);
  t.is(st.disk?.origin, `${isolated.url}test-disk.img`);
  await type(page, 'cat /mnt/vda/u', /^from the url$/m);
  await page.context().close();
});

test.serial('without cross-origin isolation: the fixed-size guest memory', async (t) => {
  const page = await open(plain, `?c=${encodeURIComponent("load_app sh -c 'echo $((6*7)); head -c 100000 /dev/zero | wc -c'")}`);
  t.false(await page.evaluate(() => crossOriginIsolated));
  const st = await booted(page);
  t.false(st.sharedMemory);
  await waitText(page, /^42\n100000\nembox> $/m);
  await page.context().close();
});
