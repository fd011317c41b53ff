/* set_thread_area / get_thread_area semantics, printed as lines (no libc: all GDT TLS slots start free) */
struct ud { unsigned entry, base, limit, flags; };
static int sys(int n, int a) { int r; __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a) : "memory"); return r; }
static char out[4096]; static int len;
static void putx(unsigned v) { char t[9]; int n = 0; do { t[n++] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v); while (n) out[len++] = t[--n]; out[len++] = ' '; }
static unsigned word = 0x5a5aa5a5;
static void set(int entry, unsigned base, unsigned limit, unsigned flags) {
  struct ud u = { entry, base, limit, flags };
  int r = sys(243, (int)&u);
  putx(r); putx(u.entry); out[len++] = '\n';
}
static void get(int entry) {
  struct ud u = { entry, 0x77, 0x77, 0x77 };
  int r = sys(244, (int)&u);
  putx(r); putx(u.entry); putx(u.base); putx(u.limit); putx(u.flags & 0x7f); out[len++] = '\n';
}
void _start(void) {
  set(-1, (unsigned)&word, 0xfffff, 0x51);
  set(-1, 0x1000, 0x123456, 0x15);
  set(-1, 0x2000, 0x10, 0x01);
  set(-1, 0x3000, 0x10, 0x01);
  get(12); get(13); get(14); get(11); get(15);
  set(13, 0, 0, 0x28);          /* LDT_empty */
  get(13);
  set(-1, 0x4000, 1, 0x03);     /* contents 1 */
  get(13);
  set(14, 0, 0, 0);             /* LDT_zero */
  get(14);
  set(14, 0x5000, 1, 0x00);     /* 16-bit: refused */
  set(14, 0x5000, 1, 0x05);     /* contents 2: refused */
  set(14, 0x5000, 1, 0x21);     /* not present: refused */
  set(5, 0x5000, 1, 0x01);
  set(14, 0x6000, 2, 0x09);     /* read_exec_only */
  get(14);
  unsigned v; __asm__ volatile("mov $0x63, %%eax\n mov %%eax, %%gs\n mov %%gs:0, %0" : "=r"(v) :: "eax");
  putx(v); out[len++] = '\n';
  __asm__ volatile("int $0x80" :: "a"(4), "b"(1), "c"(out), "d"(len));
  __asm__ volatile("int $0x80" :: "a"(1), "b"(0));
}
