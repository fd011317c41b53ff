#include <asm-generic/preempt.h>
