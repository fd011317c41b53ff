cmd_arch/wasm/kernel/sections.o := clang-19 -Wp,-MMD,arch/wasm/kernel/.sections.o.d -nostdinc -I./arch/wasm/include -I./arch/wasm/include/generated  -I./include -I./arch/wasm/include/uapi -I./arch/wasm/include/generated/uapi -I./include/uapi -I./include/generated/uapi -include ./include/linux/compiler-version.h -include ./include/linux/kconfig.h -include ./include/linux/compiler_types.h -D__KERNEL__ --target=wasm32-unknown-unknown -fintegrated-as -Werror=unknown-warning-option -Werror=ignored-optimization-argument -Qunused-arguments -fmacro-prefix-map=./= -Wall -Wundef -Werror=strict-prototypes -Wno-trigraphs -fno-strict-aliasing -fno-common -fshort-wchar -fno-PIE -Werror=implicit-function-declaration -Werror=implicit-int -Werror=return-type -Wno-format-security -std=gnu11 -fno-builtin -ffreestanding -mbulk-memory -mmutable-globals -mnontrapping-fptoint -msign-ext -fvisibility=default -Wno-cast-function-type-mismatch -fno-delete-null-pointer-checks -Wno-frame-address -Wno-format-truncation -Wno-format-overflow -Wno-address-of-packed-member -O2 -Wframe-larger-than=1024 -fno-stack-protector -Wno-gnu -Wno-unused-but-set-variable -Wno-unused-const-variable -fomit-frame-pointer -ftrivial-auto-var-init=zero -fno-stack-clash-protection -Wvla -Wno-pointer-sign -Wcast-function-type -Wimplicit-fallthrough -fno-strict-overflow -fno-stack-check -Werror=date-time -Werror=incompatible-pointer-types -fno-builtin-wcslen -Wno-initializer-overrides -Wno-sign-compare -Wno-pointer-to-enum-cast -Wno-tautological-constant-out-of-range-compare -Wno-unaligned-access -Wno-cast-function-type-strict -Wno-enum-compare-conditional    -DKBUILD_MODFILE='"arch/wasm/kernel/sections"' -DKBUILD_BASENAME='"sections"' -DKBUILD_MODNAME='"sections"' -D__KBUILD_MODNAME=kmod_sections -c -o arch/wasm/kernel/sections.o arch/wasm/kernel/sections.c  

source_arch/wasm/kernel/sections.o := arch/wasm/kernel/sections.c

deps_arch/wasm/kernel/sections.o := \
    $(wildcard include/config/KERNEL_STACK_ORDER) \
  include/linux/compiler-version.h \
    $(wildcard include/config/CC_VERSION_TEXT) \
  include/linux/kconfig.h \
    $(wildcard include/config/CPU_BIG_ENDIAN) \
    $(wildcard include/config/BOOGER) \
    $(wildcard include/config/FOO) \
  include/linux/compiler_types.h \
    $(wildcard include/config/DEBUG_INFO_BTF) \
    $(wildcard include/config/PAHOLE_HAS_BTF_TAG) \
    $(wildcard include/config/HAVE_ARCH_COMPILER_H) \
    $(wildcard include/config/CC_HAS_ASM_INLINE) \
  include/linux/compiler_attributes.h \
  include/linux/compiler-clang.h \
    $(wildcard include/config/ARCH_USE_BUILTIN_BSWAP) \
    $(wildcard include/config/CLANG_VERSION) \
  arch/wasm/include/asm/compiler.h \

arch/wasm/kernel/sections.o: $(deps_arch/wasm/kernel/sections.o)

$(deps_arch/wasm/kernel/sections.o):
