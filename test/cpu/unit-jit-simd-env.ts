// Imported first by unit-jit-simd.test.ts: wasm-run.ts reads EMBOX_WASM_STRICT when it is loaded,
// and a translation failure must fail the test rather than leave blocks interpreted.
process.env.EMBOX_WASM_STRICT = '1';
export {};
