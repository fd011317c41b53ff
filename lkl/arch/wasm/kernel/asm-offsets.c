// SPDX-License-Identifier: GPL-2.0
/* No assembly code uses structure offsets. */
#include <linux/kbuild.h>

int main(void)
{
	return 0;
}
