// Asynchronous signals that land while a thread runs its own code, just before a system call
// or a fault (test/tasks/signals-async.test.ts): the handler runs before the call or the
// faulting instruction, under its own mask, and the thread's mask is its own again after it.
// A thread spins, then reads its mask (it must never see the handler's sa_mask) or faults on
// a null pointer (the SIGSEGV handler must always catch it), while another thread sends it
// SIGUSR1 again and again, each once the last one was handled.
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIGNALS 2000

static volatile int handled, done, lost;
static pthread_t spinner;
static sigjmp_buf env;

static void on_usr1(int sig) { (void)sig; handled++; }
static void on_segv(int sig) { (void)sig; siglongjmp(env, 1); }

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void *sender(void *arg) {
  (void)arg;
  for (int n = 1; n <= SIGNALS; n++) {
    pthread_kill(spinner, SIGUSR1);
    double deadline = now() + 10;
    while (handled < n) {
      if (now() > deadline) { lost = 1; done = 1; return NULL; }
      sched_yield();
    }
  }
  done = 1;
  return NULL;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigfillset(&sa.sa_mask); // the handler runs with everything blocked (as Go's do)
  sigaction(SIGUSR1, &sa, NULL);
  sa.sa_handler = on_segv;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, NULL);

  spinner = pthread_self();
  pthread_t t;
  pthread_create(&t, NULL, sender, NULL);
  unsigned seed = 1, reads = 0, bad = 0, faults = 0, caught = 0;
  volatile unsigned sink = 0;
  while (!done) {
    seed = seed * 1103515245 + 12345;
    for (unsigned k = (seed >> 16) % 4000; k > 0; k--) sink += k;
    if ((seed >> 8) % 4 == 0) {
      faults++;
      if (sigsetjmp(env, 1) == 0) *(volatile int *)0 = 1;
      else caught++;
    } else {
      sigset_t old;
      sigprocmask(SIG_SETMASK, NULL, &old);
      reads++;
      if (sigismember(&old, SIGUSR2)) bad++;
    }
  }
  pthread_join(t, NULL);
  printf("signals handled: %d of %d%s\n", handled, SIGNALS, lost ? " (one was lost)" : "");
  printf("mask reads with the handler's mask: %u (of %s)\n", bad, reads > 0 ? "some" : "none");
  printf("null pointer faults caught: %s\n", faults > 0 && caught == faults ? "all" : "not all");
  return bad || lost || caught != faults;
}
