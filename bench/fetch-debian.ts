// `npm run bench:fetch`: fetch the Debian packages of the bench's Debian rows into the cache
// (bench/debian-pins.ts); `-- --check` only verifies the cache (offline), exit 1 when
// something is missing or does not match its pin.
import { cacheRoot, fetchPackages, PINS, pinErrors, verifyCache } from './debian-pins.js';

const errs = pinErrors(PINS);
if (errs.length) throw new Error(`bad pins:\n${errs.join('\n')}`);
if (!process.argv.includes('--check')) fetchPackages();
const bad = verifyCache();
for (const e of bad) console.error(e);
console.log(bad.length ? `${cacheRoot()}: ${bad.length} problem(s)` : `${cacheRoot()}: ${PINS.length} packages match their pins`);
process.exitCode = bad.length ? 1 : 0;
