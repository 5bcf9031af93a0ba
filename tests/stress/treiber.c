/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Lock-free (Treiber) stack with compare-and-swap on a tagged 64-bit head
 * (32-bit node index + 32-bit version tag, so no ABA), 8 threads popping
 * and pushing.  Each node carries an "in use" flag set by atomic exchange
 * on pop: a node popped twice, lost, or duplicated is caught.
 */
#include <stdatomic.h>
#include "stress.h"

#define NTHREADS 8
#define NODES_PER_THREAD 64
#define NNODES (NTHREADS * NODES_PER_THREAD)
#define ITERS 400000
#define NIL 0xffffffffu

typedef struct {
    _Atomic uint32_t next;
    _Atomic int busy;
    uint64_t payload;
} Node;

static Node nodes[NNODES];
static _Atomic uint64_t head;   /* tag << 32 | index */
static SpinBarrier start;

static inline uint64_t mk(uint32_t tag, uint32_t idx)
{
    return (uint64_t)tag << 32 | idx;
}

static void push(uint32_t idx)
{
    uint64_t old = atomic_load_explicit(&head, memory_order_relaxed);
    uint64_t new;

    do {
        atomic_store_explicit(&nodes[idx].next, (uint32_t)old,
                              memory_order_relaxed);
        new = mk((uint32_t)(old >> 32) + 1, idx);
    } while (!atomic_compare_exchange_weak_explicit(
                 &head, &old, new, memory_order_release,
                 memory_order_relaxed));
}

static uint32_t pop(void)
{
    uint64_t old = atomic_load_explicit(&head, memory_order_acquire);
    uint64_t new;

    do {
        uint32_t idx = (uint32_t)old;
        if (idx == NIL) {
            return NIL;
        }
        uint32_t next = atomic_load_explicit(&nodes[idx].next,
                                             memory_order_relaxed);
        new = mk((uint32_t)(old >> 32) + 1, next);
    } while (!atomic_compare_exchange_weak_explicit(
                 &head, &old, new, memory_order_acquire,
                 memory_order_acquire));
    return (uint32_t)old;
}

typedef struct {
    int id;
    uint64_t pops, pushes, sum_in, sum_out;
} Arg;

static void *worker(void *p)
{
    Arg *a = p;
    uint32_t held[16];
    int nheld = 0, sense = 0;
    uint64_t rng = a->id * 77 + 1;

    spin_barrier_wait(&start, &sense);
    for (int i = 0; i < ITERS; i++) {
        int r = rng_next(&rng) & 3;
        if ((r != 0 && nheld < 16) || nheld == 0) {
            uint32_t idx = pop();
            if (idx == NIL) {
                continue;
            }
            CHECK(idx < NNODES, "bad index %u", idx);
            int was = atomic_exchange(&nodes[idx].busy, 1);
            CHECK(was == 0, "node %u popped twice", idx);
            a->sum_out += nodes[idx].payload;
            /* Give it a new payload (the total is tracked). */
            a->sum_in -= nodes[idx].payload;
            nodes[idx].payload = rng_next(&rng) >> 8;
            a->sum_in += nodes[idx].payload;
            held[nheld++] = idx;
            a->pops++;
        } else {
            uint32_t idx = held[--nheld];
            atomic_store(&nodes[idx].busy, 0);
            push(idx);
            a->pushes++;
        }
    }
    while (nheld > 0) {
        uint32_t idx = held[--nheld];
        atomic_store(&nodes[idx].busy, 0);
        push(idx);
        a->pushes++;
    }
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];
    Arg args[NTHREADS];
    uint64_t total = 0, pops = 0, pushes = 0;
    static unsigned char seen[NNODES];

    atomic_store(&head, mk(0, NIL));
    for (uint32_t i = 0; i < NNODES; i++) {
        nodes[i].payload = (uint64_t)i * 1000 + 17;
        total += nodes[i].payload;
        push(i);
    }
    spin_barrier_init(&start, NTHREADS);
    memset(args, 0, sizeof(args));
    for (int i = 0; i < NTHREADS; i++) {
        args[i].id = i;
        xcreate(&t[i], worker, &args[i]);
    }
    for (int i = 0; i < NTHREADS; i++) {
        xjoin(t[i]);
        total += args[i].sum_in;
        pops += args[i].pops;
        pushes += args[i].pushes;
    }
    CHECK(pops == pushes, "pops %llu != pushes %llu",
          (unsigned long long)pops, (unsigned long long)pushes);

    uint64_t sum = 0;
    int count = 0;
    uint32_t idx;
    while ((idx = pop()) != NIL) {
        CHECK(idx < NNODES, "bad index %u", idx);
        CHECK(!seen[idx], "node %u twice on the final stack", idx);
        CHECK(nodes[idx].busy == 0, "node %u still busy", idx);
        seen[idx] = 1;
        sum += nodes[idx].payload;
        count++;
    }
    CHECK(count == NNODES, "%d nodes on the stack, want %d", count, NNODES);
    CHECK(sum == total, "payload sum %llx, want %llx",
          (unsigned long long)sum, (unsigned long long)total);
    printf("treiber: %d threads, %d nodes, all accounted for: OK\n",
           NTHREADS, NNODES);
    return 0;
}
