// execve and forced signals as Linux does them, start to end. Run natively for
// test/cpu/programs-golden/exectest.txt and under load_app by
// test/tasks/exectest.test.ts; stdout must be byte-identical.
//   exectest DIR          the cases, DIR a scratch directory
//   exectest child ...    print argv[2..] and $X in hex (the executable's own
//                         path shown as EXE, so the two runs compare)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char exe[4096];

static void hex(const char *label, const char *s) {
  printf("%s:", label);
  if (!s) { printf(" (null)\n"); return; }
  size_t n = strlen(exe);
  if (n && strncmp(s, exe, n) == 0) { printf(" EXE"); s += n; }
  for (; *s; s++) printf(" %02x", (unsigned char)*s);
  printf("\n");
}

static int child(int argc, char **argv) {
  for (int i = 2; i < argc; i++) {
    char label[16];
    snprintf(label, sizeof label, "argv[%d]", i);
    hex(label, argv[i]);
  }
  hex("X", getenv("X"));
  return 0;
}

/** How a child that ran fn ended: "exit N" or "signal N". */
static void report(const char *what, void (*fn)(void *), void *arg) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) { fn(arg); _exit(0); }
  int st;
  waitpid(pid, &st, 0);
  if (WIFEXITED(st)) printf("%s: exit %d\n", what, WEXITSTATUS(st));
  else printf("%s: signal %d\n", what, WTERMSIG(st));
  fflush(stdout);
}

static char *const xenv[] = { "X=\xfe\x80 caf\xc3\xa9 \xff", NULL };

static void fexec(void *arg) {
  (void)arg;
  int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  char *const av[] = { "exectest", "child", "\xff\x80 bytes", "", "plain", NULL };
  syscall(SYS_execveat, fd, "", av, xenv, AT_EMPTY_PATH);
  printf("execveat: errno %d\n", errno);
  fflush(stdout);
  _exit(1);
}

static void run(void *arg) {
  char *const av[] = { arg, "child", "one", NULL };
  execve(arg, av, xenv);
  printf("execve %s: errno %d\n", strrchr(arg, '/') + 1, errno);
  fflush(stdout);
  _exit(2);
}

static void writefile(const char *path, const void *data, size_t n, mode_t mode) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0 || write(fd, data, n) != (ssize_t)n) { perror(path); exit(1); }
  close(fd);
  chmod(path, mode);
}

static void sigreturn_bad(void *arg) {
  int how = (int)(long)arg;
  if (how == 1) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGSEGV);
    sigprocmask(SIG_BLOCK, &s, NULL);
  } else if (how == 2) {
    signal(SIGSEGV, SIG_IGN);
  }
  // no frame at all: the stack pointer on an unmapped page
  __asm__ volatile("mov $0x1000, %%esp\n\tmov $119, %%eax\n\tint $0x80" ::: "memory");
}

static void fault_blocked(void *arg) {
  (void)arg;
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGSEGV);
  sigprocmask(SIG_BLOCK, &s, NULL);
  *(volatile int *)16 = 1;
}

static void fault_ignored(void *arg) {
  (void)arg;
  signal(SIGSEGV, SIG_IGN);
  *(volatile int *)16 = 1;
}

int main(int argc, char **argv) {
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n > 0 ? n : 0] = 0;
  if (argc > 1 && strcmp(argv[1], "child") == 0) return child(argc, argv);
  if (argc < 2) { fprintf(stderr, "usage: exectest DIR\n"); return 2; }
  const char *dir = argv[1];
  mkdir(dir, 0755);
  char path[4096];

  // fexecve of a close-on-exec descriptor, argv and envp bytes as they are
  report("fexecve", fexec, NULL);

  // a #! script with an argument, nested in another: argv as binfmt_script builds it
  char inner[4096], outer[4096], text[8192];
  snprintf(inner, sizeof inner, "%s/inner.sh", dir);
  snprintf(outer, sizeof outer, "%s/outer.sh", dir);
  snprintf(text, sizeof text, "#!%s child\n", exe);
  writefile(inner, text, strlen(text), 0755);
  snprintf(text, sizeof text, "#! %s  arg with  spaces \nexit 3\n", inner);
  writefile(outer, text, strlen(text), 0755);
  report("nested script", run, outer);

  // a script whose interpreter does not exist: ENOENT, the caller carries on
  snprintf(path, sizeof path, "%s/nointerp.sh", dir);
  writefile(path, "#!/nonexistent/interpreter\n", 27, 0755);
  report("missing interpreter", run, path);

  // malformed ELF files: the kernel's header checks pass, the image does not load
  int self = open("/proc/self/exe", O_RDONLY);
  unsigned char hdr[52];
  if (read(self, hdr, sizeof hdr) != sizeof hdr) return 1;
  close(self);
  unsigned char bad[52 + 32];
  memcpy(bad, hdr, 52);
  bad[44] = 0; bad[45] = 0; // e_phnum = 0
  snprintf(path, sizeof path, "%s/nophdr", dir);
  writefile(path, bad, 52, 0755);
  report("no program headers", run, path);
  memcpy(bad, hdr, 52);
  bad[28] = 52; bad[29] = bad[30] = bad[31] = 0; // e_phoff = 52, the headers cut off
  snprintf(path, sizeof path, "%s/truncated", dir);
  writefile(path, bad, 60, 0755);
  report("truncated program headers", run, path);
  // not executable at all: EACCES before any format check
  snprintf(path, sizeof path, "%s/noexec", dir);
  writefile(path, bad, 60, 0644);
  report("not executable", run, path);

  // sigreturn without a frame, and faults with SIGSEGV blocked or ignored: SIGSEGV all the same
  report("sigreturn without a frame", sigreturn_bad, (void *)0);
  report("sigreturn without a frame, SIGSEGV blocked", sigreturn_bad, (void *)1);
  report("sigreturn without a frame, SIGSEGV ignored", sigreturn_bad, (void *)2);
  report("fault with SIGSEGV blocked", fault_blocked, NULL);
  report("fault with SIGSEGV ignored", fault_ignored, NULL);
  printf("done\n");
  return 0;
}
