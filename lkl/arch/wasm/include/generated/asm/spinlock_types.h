#include <asm-generic/spinlock_types.h>
