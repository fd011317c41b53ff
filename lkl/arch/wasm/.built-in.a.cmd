cmd_arch/wasm/built-in.a := rm -f arch/wasm/built-in.a;  llvm-ar-19 cDPrST arch/wasm/built-in.a
