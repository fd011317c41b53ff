// What the image scripts (build-images.mjs, build-root-image.mjs) share about ext2/3/4 images.
import { $ } from 'zx';

/** dumpe2fs -h fields by their label. */
export async function dumpe2fs(img) {
  const out = (await $`dumpe2fs -h ${img}`.quiet()).stdout;
  const m = {};
  for (const line of out.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) m[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return m;
}
