/* The smallest glibc program: static, printf through stdio. */
#include <stdio.h>

int main(void)
{
	printf("hello, world\n");
	return 0;
}
