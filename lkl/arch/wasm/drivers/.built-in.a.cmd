cmd_arch/wasm/drivers/built-in.a := rm -f arch/wasm/drivers/built-in.a;  printf "arch/wasm/drivers/%s " blk.o | xargs llvm-ar-19 cDPrST arch/wasm/drivers/built-in.a
