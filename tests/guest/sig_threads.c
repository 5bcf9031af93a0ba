/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Signals and threads: pthread_kill reaches the chosen thread among 8 and
 * no other; a process-directed kill() goes to the one thread that does
 * not block the signal; a new thread inherits its creator's mask; a
 * thread blocked in read() is interrupted (EINTR) by pthread_kill from
 * another thread, and one in a futex wait (pthread_cond_wait) is not
 * disturbed beyond running its handler (SA_RESTART).  Threads created
 * one after another (ctcg reuses their host stacks, and the signal state
 * it keeps there) each get their own queued values, in order.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>

#include "guest.h"

#define N 8

static __thread int my_index = -1;
static volatile int hits[N + 1];
static volatile int stray;
static pthread_barrier_t bar;
static volatile int stop_threads;

static void on_usr1(int sig)
{
    (void)sig;
    if (my_index >= 0 && my_index <= N) {
        __atomic_fetch_add(&hits[my_index], 1, __ATOMIC_SEQ_CST);
    } else {
        stray++;
    }
}

static void *worker(void *arg)
{
    my_index = (int)(intptr_t)arg;
    pthread_barrier_wait(&bar);
    while (!__atomic_load_n(&stop_threads, __ATOMIC_ACQUIRE)) {
        /* spin in generated code, with an occasional syscall */
        for (volatile int i = 0; i < 1000; i++) {
        }
    }
    return NULL;
}

static void test_pthread_kill(void)
{
    pthread_t t[N];

    signal(SIGUSR1, on_usr1);
    pthread_barrier_init(&bar, NULL, N + 1);
    for (int i = 0; i < N; i++) {
        CHECK(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) == 0);
    }
    pthread_barrier_wait(&bar);
    for (int round = 0; round < 3; round++) {
        int chosen = (round * 3 + 5) % N;

        CHECK(pthread_kill(t[chosen], SIGUSR1) == 0);
        for (int spin = 0; spin < 100000 && hits[chosen] == 0; spin++) {
            usleep(100);
        }
    }
    __atomic_store_n(&stop_threads, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
    }
    for (int i = 0; i < N; i++) {
        int want = (i == 5) + (i == 0) + (i == 3);

        CHECK(hits[i] == want);
    }
    CHECK(hits[N] == 0 && stray == 0);
    printf("pthread_kill: only the chosen threads (5, 0, 3)\n");
}

static volatile int mask_inherited;
static pthread_t receiver;
static volatile int received_by_receiver, ready;

static void *mask_child(void *arg)
{
    sigset_t cur;

    (void)arg;
    pthread_sigmask(SIG_SETMASK, NULL, &cur);
    mask_inherited = sigismember(&cur, SIGUSR2) == 1;
    return NULL;
}

static void on_usr2(int sig)
{
    (void)sig;
    if (pthread_equal(pthread_self(), receiver)) {
        received_by_receiver++;
    } else {
        stray++;
    }
}

static void *receiver_main(void *arg)
{
    sigset_t set;

    (void)arg;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&received_by_receiver, __ATOMIC_ACQUIRE)) {
        for (volatile int i = 0; i < 1000; i++) {
        }
    }
    return NULL;
}

static void test_process_directed(void)
{
    sigset_t set;
    pthread_t t;

    signal(SIGUSR2, on_usr2);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    CHECK(pthread_create(&t, NULL, mask_child, NULL) == 0);
    pthread_join(t, NULL);
    CHECK(mask_inherited);

    CHECK(pthread_create(&receiver, NULL, receiver_main, NULL) == 0);
    while (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
        usleep(100);
    }
    CHECK(kill(getpid(), SIGUSR2) == 0);
    pthread_join(receiver, NULL);
    CHECK(received_by_receiver == 1);
    CHECK(stray == 0);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    printf("kill(): the thread that does not block it; mask inherited\n");
}

static int pipefd[2];
static volatile int read_errno, read_ret;

static void nop_handler(int sig)
{
    (void)sig;
}

static void *reader(void *arg)
{
    char c;

    (void)arg;
    __atomic_store_n(&ready, 2, __ATOMIC_RELEASE);
    errno = 0;
    read_ret = read(pipefd[0], &c, 1);
    read_errno = errno;
    return NULL;
}

static void test_interrupt_read(void)
{
    struct sigaction sa;
    pthread_t t;

    CHECK(pipe(pipefd) == 0);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = nop_handler; /* no SA_RESTART */
    CHECK(sigaction(SIGHUP, &sa, NULL) == 0);
    CHECK(pthread_create(&t, NULL, reader, NULL) == 0);
    while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) != 2) {
        usleep(100);
    }
    usleep(50000); /* let it block in read */
    CHECK(pthread_kill(t, SIGHUP) == 0);
    pthread_join(t, NULL);
    CHECK(read_ret == -1 && read_errno == EINTR);
    close(pipefd[0]);
    close(pipefd[1]);
    printf("read in another thread: EINTR from pthread_kill\n");
}

#define SEQ_THREADS 100

static __thread int seq_got[2], seq_n;
static volatile int seq_bad;

static void on_rt(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (sig != SIGRTMIN + 1 || si->si_signo != sig || si->si_code != SI_QUEUE ||
        seq_n >= 2) {
        seq_bad++;
        return;
    }
    seq_got[seq_n++] = si->si_value.sival_int;
}

static void *seq_thread(void *arg)
{
    int v = (int)(intptr_t)arg;
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN + 1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    pthread_sigqueue(pthread_self(), SIGRTMIN + 1,
                     (union sigval){.sival_int = 2 * v});
    pthread_sigqueue(pthread_self(), SIGRTMIN + 1,
                     (union sigval){.sival_int = 2 * v + 1});
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    if (seq_n != 2 || seq_got[0] != 2 * v || seq_got[1] != 2 * v + 1) {
        seq_bad++;
    }
    return NULL;
}

static void test_sequential_threads(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_rt;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGRTMIN + 1, &sa, NULL) == 0);
    for (int i = 0; i < SEQ_THREADS; i++) {
        pthread_t t;

        CHECK(pthread_create(&t, NULL, seq_thread, (void *)(intptr_t)i) == 0);
        pthread_join(t, NULL);
    }
    CHECK(seq_bad == 0);
    printf("sequential threads: queued values in order\n");
}

int main(void)
{
    my_index = N;
    test_pthread_kill();
    test_process_directed();
    test_interrupt_read();
    test_sequential_threads();
    return guest_done("sig_threads");
}
