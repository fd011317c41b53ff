#!/usr/bin/env zx
// Every committed build artifact matches its sources:
//  - lkl/lkl.wasm: the recorded input hashes equal those of lkl/ and the build
//    script (with --rebuild: rebuilt from the tarball, byte for byte);
//  - rootfs/bin fixtures: rebuilt with gcc -m32 and compared byte for byte;
//  - rootfs/bin/goprog: rebuilt with Debian's golang-go (GOARCH=386) and compared;
//  - test/images: the disk images and their e2fsprogs records, rebuilt and compared;
//  - test/images/debian-root: rebuilt from its pinned Debian packages (fetched into the cache
//    when missing) and compared;
//  - src/rtos/kernel/host-ops.ts: generated again from lkl's host_ops.h and compared;
//  - lkl/start-functions.json: recorded from this lkl/lkl.wasm (its hash);
//  - rootfs/bin/busybox and rootfs/lib (libc6, libgmp10): the pinned sha256 of Debian's files.
import { $, argv } from 'zx';

$.verbose = true;
const lklArgs = argv.rebuild ? ['--check', '--rebuild'] : ['--check'];
await $`zx scripts/build-lkl.mjs ${lklArgs}`;
await $`zx scripts/build-fixtures.mjs --check`;
await $`zx scripts/build-go.mjs --check`;
await $`zx scripts/build-images.mjs --check`;
await $`zx scripts/build-root-image.mjs --check`;
await $`zx scripts/fetch-debian.mjs --check`;
await $`zx scripts/gen-syscall-table.mjs --check`;
await $`zx scripts/gen-host-ops.mjs --check`;
await $`zx scripts/record-start-functions.mjs --check`;
