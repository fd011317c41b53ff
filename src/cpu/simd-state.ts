// (family table; handlers to come)
import type { SimdEntry } from './simd-table.js';

export const ENTRIES: readonly SimdEntry[] = [];
