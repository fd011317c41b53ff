typedef unsigned int u32;
typedef unsigned long long u64;
static int sys3(int n, int a, int b, int c) { int r; __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory"); return r; }
static char buf[256]; static int blen;
static void put(const char *s) { while (*s) buf[blen++] = *s++; }
static void putu(u64 v) { char t[24]; int n = 0; do { t[n++] = '0' + v % 10; v /= 10; } while (v); while (n) buf[blen++] = t[--n]; }
static unsigned char sieve[100000];
static u32 arr[2000];
static u32 crc32(const unsigned char *p, int n) { u32 c = ~0u; while (n--) { c ^= *p++; for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & -(c & 1)); } return ~c; }
static void sort(u32 *a, int n) { for (int i = 1; i < n; i++) { u32 v = a[i]; int j = i - 1; while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; } a[j + 1] = v; } }
void _start(void) {
  int primes = 0;
  for (int i = 2; i < 100000; i++) if (!sieve[i]) { primes++; for (int j = i * 2; j < 100000; j += i) sieve[j] = 1; }
  u32 x = 12345; for (int i = 0; i < 2000; i++) { x = x * 1103515245u + 12345u; arr[i] = x >> 7; }
  sort(arr, 2000);
  u64 acc = 0; for (int i = 0; i < 2000; i += 7) acc = acc * 31 + arr[i] / (i + 1) + ((u64)arr[i] << 20) / (arr[i ^ 1] | 1);
  long long sd = -(long long)acc / 12345; 
  put("primes "); putu(primes); put(" crc "); putu(crc32((unsigned char *)arr, sizeof arr));
  put(" acc "); putu(acc); put(" sd "); putu((u64)sd % 1000003); put("\n");
  sys3(4, 1, (int)buf, blen);
  sys3(1, (primes ^ (int)acc) & 0xff, 0, 0);
  for (;;);
}
