/* POSIX threads on the kernel's futexes: a mutex-protected counter, a
 * condition variable handshake, thread-local storage, join results. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#define THREADS 4
#define ROUNDS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;
static __thread int mine;

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	mine = id * 100;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	pthread_mutex_lock(&lock);
	ready++;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	return (void *)(long)(mine + id);
}

int main(void)
{
	pthread_t t[THREADS];
	int same_pid = 1;
	mine = 7;
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i)) { perror("pthread_create"); return 1; }
	pthread_mutex_lock(&lock);
	while (ready < THREADS)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	long sum = 0;
	for (int i = 0; i < THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum += (long)r;
	}
	same_pid = getpid() == (pid_t)syscall(SYS_getpid);
	printf("counter %ld (expected %d)\n", counter, THREADS * ROUNDS);
	printf("join results %ld (expected %d)\n", sum, 0 + 101 + 202 + 303);
	printf("main's TLS still %d, pid consistent %d\n", mine, same_pid);
	return 0;
}
