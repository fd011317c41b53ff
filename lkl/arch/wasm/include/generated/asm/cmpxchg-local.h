#include <asm-generic/cmpxchg-local.h>
