#include <asm-generic/setup.h>
