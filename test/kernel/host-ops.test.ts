// The host interface as typed (HostImports, generated from host_ops.h) is the
// one lkl.wasm was built with: the same import names, all functions.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOST_IMPORT_SUSPENDS } from '../../src/rtos/kernel/host-ops.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

test('HostImports names exactly the host imports lkl.wasm declares', (t) => {
  const module = new WebAssembly.Module(fs.readFileSync(path.join(ROOT, 'lkl', 'lkl.wasm')));
  const imports = WebAssembly.Module.imports(module);
  const host = imports.filter((i) => i.module === 'host');
  t.deepEqual(host.map((i) => i.name).sort(), Object.keys(HOST_IMPORT_SUSPENDS).sort());
  t.true(host.every((i) => i.kind === 'function'));
  // Besides them, only the linear memory the host provides and the stack check's handler (binaryen's --stack-check).
  t.deepEqual(imports.filter((i) => i.module !== 'host').sort((a, b) => (a.name < b.name ? -1 : 1)), [
    { module: 'env', name: 'memory', kind: 'memory' },
    { module: 'env', name: 'wasm_stack_overflow', kind: 'function' },
  ]);
});
