#include <asm-generic/fb.h>
