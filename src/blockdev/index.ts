// Block devices: the interface and the in-memory backend (no Node APIs).
// The Node-only file backend and image checks are in file.ts and image.ts.

export * from './blockdev.js';
export { MemoryBlockDevice, type MemoryBlockDeviceOptions } from './memory.js';
export * from './detect.js';
export * from './check.js';
