/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * C++ threads: std::thread workers under a std::mutex, std::async tasks
 * returning through futures, a std::condition_variable bounded queue,
 * std::atomic, std::call_once, std::promise, and thread_local objects
 * whose constructors and destructors run once per thread.
 */
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <future>
#include <mutex>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            std::fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__,   \
                         #cond);                                           \
            std::fprintf(stderr, __VA_ARGS__);                             \
            std::fputc('\n', stderr);                                      \
            std::exit(1);                                                  \
        }                                                                  \
    } while (0)

static std::atomic<int> tl_constructed{0}, tl_destroyed{0};

struct PerThread {
    std::string name;
    long count = 0;
    PerThread() : name("per-thread") { tl_constructed++; }
    ~PerThread() { tl_destroyed++; }
};

static thread_local PerThread per_thread;
static thread_local int tl_counter = 100;

static void test_mutex_threads()
{
    std::mutex m;
    long shared = 0;
    std::atomic<long> atomic_sum{0};
    std::vector<std::thread> ts;

    for (int i = 0; i < 8; i++) {
        ts.emplace_back([&, i] {
            for (int k = 0; k < 20000; k++) {
                {
                    std::lock_guard<std::mutex> g(m);
                    shared += i + 1;
                }
                atomic_sum.fetch_add(1, std::memory_order_relaxed);
                per_thread.count++;
                tl_counter++;
            }
            CHECK(per_thread.count == 20000, "thread_local count %ld",
                  per_thread.count);
            CHECK(tl_counter == 20100, "tl_counter %d", tl_counter);
            CHECK(per_thread.name == "per-thread", "thread_local name");
        });
    }
    for (auto &t : ts) {
        t.join();
    }
    CHECK(shared == 20000L * 36, "shared %ld", shared);
    CHECK(atomic_sum == 8 * 20000, "atomic %ld", atomic_sum.load());
    std::printf("std::thread + std::mutex: %ld\n", shared);
}

static long sum_range(long a, long b)
{
    long s = 0;
    for (long i = a; i < b; i++) {
        s += i % 7 == 0 ? i : 1;
    }
    return s;
}

static void test_async()
{
    std::vector<std::future<long>> fs;
    const long n = 1600000, chunk = n / 16;

    for (int i = 0; i < 16; i++) {
        fs.push_back(std::async(std::launch::async, sum_range, i * chunk,
                                (i + 1) * chunk));
    }
    long total = 0;
    for (auto &f : fs) {
        total += f.get();
    }
    CHECK(total == sum_range(0, n), "async total %ld", total);

    std::promise<std::string> p;
    std::future<std::string> pf = p.get_future();
    std::thread setter([&p] { p.set_value("promised"); });
    CHECK(pf.get() == "promised", "promise");
    setter.join();

    auto deferred = std::async(std::launch::deferred, [] { return 7; });
    CHECK(deferred.get() == 7, "deferred");
    std::printf("std::async: 16 tasks, total %ld\n", total);
}

static void test_condvar_queue()
{
    std::mutex m;
    std::condition_variable not_empty, not_full;
    std::deque<int> q;
    const int per_producer = 20000, producers = 3, consumers = 3;
    std::vector<std::atomic<int>> seen(per_producer * producers);
    bool done = false;
    std::vector<std::thread> ts;

    for (auto &s : seen) {
        s = 0;
    }
    for (int p = 0; p < producers; p++) {
        ts.emplace_back([&, p] {
            for (int i = 0; i < per_producer; i++) {
                std::unique_lock<std::mutex> l(m);
                not_full.wait(l, [&] { return q.size() < 32; });
                q.push_back(p * per_producer + i);
                not_empty.notify_one();
            }
        });
    }
    std::atomic<long> consumed{0};
    for (int c = 0; c < consumers; c++) {
        ts.emplace_back([&] {
            for (;;) {
                std::unique_lock<std::mutex> l(m);
                not_empty.wait(l, [&] { return !q.empty() || done; });
                if (q.empty()) {
                    return;
                }
                int v = q.front();
                q.pop_front();
                not_full.notify_one();
                l.unlock();
                seen[v]++;
                consumed++;
            }
        });
    }
    for (int p = 0; p < producers; p++) {
        ts[p].join();
    }
    {
        std::lock_guard<std::mutex> l(m);
        done = true;
    }
    not_empty.notify_all();
    for (size_t i = producers; i < ts.size(); i++) {
        ts[i].join();
    }
    for (size_t i = 0; i < seen.size(); i++) {
        CHECK(seen[i] == 1, "item %zu consumed %d times", i, seen[i].load());
    }
    std::printf("std::condition_variable queue: %ld items\n",
                consumed.load());
}

static void test_call_once()
{
    std::once_flag once;
    std::atomic<int> calls{0};
    std::vector<std::thread> ts;

    for (int i = 0; i < 8; i++) {
        ts.emplace_back([&] {
            std::call_once(once, [&] { calls++; });
        });
    }
    for (auto &t : ts) {
        t.join();
    }
    CHECK(calls == 1, "call_once ran %d times", calls.load());
    std::printf("std::call_once: once\n");
}

int main()
{
    test_mutex_threads();
    test_async();
    test_condvar_queue();
    test_call_once();
    /* thread_local objects are built on first use, in 8 workers. */
    CHECK(tl_constructed == 8 && tl_destroyed == 8,
          "thread_local: %d constructed, %d destroyed",
          tl_constructed.load(), tl_destroyed.load());
    std::printf("cxx-threads: OK\n");
    return 0;
}
