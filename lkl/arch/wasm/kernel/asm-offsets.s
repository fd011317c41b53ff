	.text
	.file	"asm-offsets.c"
	.functype	__original_main () -> (i32)
	.functype	main (i32, i32) -> (i32)
	.section	.text.__original_main,"",@
	.globl	__original_main                 # -- Begin function __original_main
	.type	__original_main,@function
__original_main:                        # @__original_main
	.functype	__original_main () -> (i32)
# %bb.0:
	i32.const	0
                                        # fallthrough-return
	end_function
                                        # -- End function
	.section	.text.main,"",@
	.globl	main                            # -- Begin function main
	.type	main,@function
main:                                   # @main
	.functype	main (i32, i32) -> (i32)
# %bb.0:
	call	__original_main
                                        # fallthrough-return
	end_function
                                        # -- End function
	.globl	__main_void
	.type	__main_void,@function
	.hidden	__main_void
.set __main_void, __original_main
	.ident	"Debian clang version 19.1.7 (3~deb12u1)"
	.no_dead_strip	__indirect_function_table
	.section	.custom_section.producers,"",@
	.int8	1
	.int8	12
	.ascii	"processed-by"
	.int8	1
	.int8	12
	.ascii	"Debian clang"
	.int8	18
	.ascii	"19.1.7 (3~deb12u1)"
	.section	.text.main,"",@
	.section	.custom_section.target_features,"",@
	.int8	6
	.int8	43
	.int8	11
	.ascii	"bulk-memory"
	.int8	43
	.int8	10
	.ascii	"multivalue"
	.int8	43
	.int8	15
	.ascii	"mutable-globals"
	.int8	43
	.int8	19
	.ascii	"nontrapping-fptoint"
	.int8	43
	.int8	15
	.ascii	"reference-types"
	.int8	43
	.int8	8
	.ascii	"sign-ext"
	.section	.text.main,"",@
