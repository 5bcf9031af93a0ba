/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SIGSEGV, SIGBUS, SIGILL and SIGFPE sent with kill by another thread
 * interrupt a blocking read on a pipe like any other signal: with an
 * SA_RESTART handler the read is restarted and returns the byte written
 * later; without SA_RESTART it fails with EINTR.  (ctcg's host fault
 * handler owns these four host signals.)
 *
 * Not compared with qemu-riscv64 (tests/guest/meson.build): QEMU 7.2
 * fails the read with EINTR under SA_RESTART for SIGSEGV and SIGBUS.
 */
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "guest.h"

static int fds[2];
static volatile int hits, interrupted;
static int cur_sig;

static void on_sig(int sig)
{
    if (sig == cur_sig) {
        hits++;
    }
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

/* Restart case: signal once the reader blocks, then write the byte. */
static void *restart_sender(void *arg)
{
    (void)arg;
    sleep_ms(100);
    kill(getpid(), cur_sig);
    for (int i = 0; i < 500 && hits == 0; i++) {
        sleep_ms(10);
    }
    sleep_ms(50);
    CHECK(write(fds[1], "x", 1) == 1);
    return NULL;
}

/* EINTR case: signal until the read gives up. */
static void *eintr_sender(void *arg)
{
    (void)arg;
    for (int i = 0; i < 500 && !interrupted; i++) {
        sleep_ms(20);
        kill(getpid(), cur_sig);
    }
    return NULL;
}

static void one(int sig, int restart)
{
    struct sigaction sa;
    pthread_t t;
    char c = 0;
    ssize_t r;

    cur_sig = sig;
    hits = 0;
    interrupted = 0;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sig;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(sig, &sa, NULL) == 0);
    CHECK(pipe(fds) == 0);
    CHECK(pthread_create(&t, NULL, restart ? restart_sender : eintr_sender,
                         NULL) == 0);
    errno = 0;
    r = read(fds[0], &c, 1);
    if (restart) {
        CHECK(r == 1 && c == 'x');
    } else {
        CHECK(r == -1 && errno == EINTR);
    }
    interrupted = 1;
    CHECK(hits >= 1);
    pthread_join(t, NULL);
    close(fds[0]);
    close(fds[1]);
    signal(sig, SIG_DFL);
}

int main(void)
{
    int sigs[4] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};

    for (int i = 0; i < 4; i++) {
        one(sigs[i], 1);
        one(sigs[i], 0);
    }
    printf("kill SIGSEGV, SIGBUS, SIGILL, SIGFPE: restart with SA_RESTART, "
           "EINTR without\n");
    return guest_done("sig_restart");
}
