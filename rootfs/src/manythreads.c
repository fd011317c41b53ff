// Many threads and children, one after another and at once: nothing a thread
// or a vfork child takes may be left behind when it ends, and a process may
// hold more threads at once than the old 128-page helper window allowed.
//   manythreads SEQ SPAWN CONC [KIB]   SEQ threads created and joined one by one,
//                                SPAWN children by posix_spawn (vfork + exec)
//                                one by one, then CONC threads alive together
//                                (with KIB: stacks of KIB KiB for those;
//                                with `meminfo`: the machine's MemAvailable
//                                before them and while they are all alive)
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

extern char **environ;

static pthread_barrier_t all;
static volatile int ran;

static void *one(void *arg) {
  __sync_fetch_and_add(&ran, 1);
  return arg;
}

static pthread_barrier_t alive;
static int hold;

static void *together(void *arg) {
  __sync_fetch_and_add(&ran, 1);
  pthread_barrier_wait(&all);
  if (hold) pthread_barrier_wait(&alive);
  return arg;
}

static long mem_available(void) {
  char line[128];
  long kb = -1;
  FILE *f = fopen("/proc/meminfo", "r");
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1) break;
  fclose(f);
  return kb;
}

int main(int argc, char **argv) {
  if (argc == 2) return 3; // a spawned child
  if (argc < 4) { fprintf(stderr, "usage: manythreads SEQ SPAWN CONC [KIB]\n"); return 2; }
  int seq = atoi(argv[1]), spawn = atoi(argv[2]), conc = atoi(argv[3]);
  for (int i = 0; i < seq; i++) {
    pthread_t t;
    if (pthread_create(&t, NULL, one, NULL)) { printf("thread %d: cannot create\n", i); return 1; }
    pthread_join(t, NULL);
  }
  printf("%d threads one after another: %d ran\n", seq, ran);
  int ok = 0;
  for (int i = 0; i < spawn; i++) {
    pid_t pid;
    char *av[] = { argv[0], "child", NULL };
    if (posix_spawn(&pid, "/proc/self/exe", NULL, NULL, av, environ)) { printf("spawn %d failed\n", i); return 1; }
    int st;
    waitpid(pid, &st, 0);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 3) ok++;
  }
  printf("%d children one after another: %d exited 3\n", spawn, ok);
  ran = 0;
  pthread_barrier_init(&all, NULL, conc + 1);
  hold = argc > 5;
  pthread_barrier_init(&alive, NULL, conc + 1);
  long before = hold ? mem_available() : 0;
  pthread_t *ts = calloc(conc, sizeof *ts);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  if (argc > 4) pthread_attr_setstacksize(&attr, (size_t)atoi(argv[4]) * 1024);
  for (int i = 0; i < conc; i++) {
    if (pthread_create(&ts[i], &attr, together, NULL)) { printf("thread %d of %d: cannot create\n", i, conc); return 1; }
  }
  pthread_barrier_wait(&all);
  if (hold) {
    long during = mem_available();
    printf("MemAvailable: %ld kB before, %ld kB with %d threads alive: %ld bytes a thread\n",
           before, during, conc, conc ? (before - during) * 1024 / conc : 0);
    pthread_barrier_wait(&alive);
  }
  for (int i = 0; i < conc; i++) pthread_join(ts[i], NULL);
  printf("%d threads at once: %d ran\n", conc, ran);
  return 0;
}
