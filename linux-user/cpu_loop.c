/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The CPU loop of a guest thread: run guest code (cpu_exec), act on why
 * it stopped (a syscall, or a fault that becomes a synchronous guest
 * signal), then deliver pending guest signals (signal.c).
 *
 * Asynchronous signals: the host signal handler queues the signal in this
 * thread and sets exit_request, so generated code returns at the next TB
 * entry (RISCV_EXCP_INTERRUPT); process_pending_signals() after every
 * cpu_exec() builds the guest frame.  A syscall interrupted before it
 * started, or restarted by the host kernel because of SA_RESTART, returns
 * -CTCG_ERESTARTSYS: the ecall is executed again after the handler.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel/tcg/cpu-exec.h"
#include "linux-user/gdbstub.h"
#include "linux-user/signal.h"
#include "linux-user/user.h"
#include "tcg/log.h"

static void do_ecall(CPURISCVState *env)
{
    uint64_t *r = env->gpr;
    int64_t ret;
    int num = (int)r[17];

    env->pc += 4;
    if (user_opts.strace) {
        uint64_t args[6] = {r[10], r[11], r[12], r[13], r[14], r[15]};
        print_syscall(num, args);
    }
    /* Pairs with the release stores of gdbstub.c (detach). */
    if (__builtin_expect(__atomic_load_n(&gdbstub_active, __ATOMIC_RELAXED),
                         0)) {
        gdbstub_syscall_enter();
        ret = do_syscall(env, num, r[10], r[11], r[12], r[13], r[14], r[15]);
        gdbstub_syscall_exit();
    } else {
        ret = do_syscall(env, num, r[10], r[11], r[12], r[13], r[14], r[15]);
    }
    if (ret == -CTCG_ERESTARTSYS) {
        env->pc -= 4;
    } else if (ret != -CTCG_ESIGRETURN) {
        r[10] = ret;
    }
    if (user_opts.strace) {
        print_syscall_ret(num, ret);
    }
}

/*
 * SEGV_ACCERR on a page the guest mapped, SEGV_MAPERR otherwise (the host
 * sees PROT_NONE reservation pages where the guest has nothing mapped).
 */
static int segv_code(uint64_t addr)
{
    if (addr < guest_space_size && (page_get_flags(addr) & PAGE_VALID)) {
        return SEGV_ACCERR;
    }
    return SEGV_MAPERR;
}

void cpu_loop(CPURISCVState *env)
{
    CPUState *cpu = current_cpu;

    for (;;) {
        int excp;

        cpu_exec_start(cpu);
        excp = cpu_exec(env);
        cpu_exec_end(cpu);
        process_queued_cpu_work(cpu);

        switch (excp) {
        case RISCV_EXCP_ECALL:
            do_ecall(env);
            break;
        case RISCV_EXCP_FENCE_I:
            /*
             * mmap_lock: fence.i re-hashes guest code (tb-code.c), which
             * a concurrent munmap/mprotect must not take away meanwhile.
             */
            mmap_lock();
            tb_fence_i(cpu);
            mmap_unlock();
            break;
        case RISCV_EXCP_INTERRUPT:
        case RISCV_EXCP_DEBUG: /* gdbstub_after_exec */
        case RISCV_EXCP_WATCH:
            break;
        case RISCV_EXCP_ILLEGAL:
            queue_sync_signal(env, SIGILL, ILL_ILLOPC, env->pc);
            break;
        case RISCV_EXCP_BREAKPOINT:
            queue_sync_signal(env, SIGTRAP, TRAP_BRKPT, env->pc);
            break;
        case RISCV_EXCP_SEGV_MAPERR:
        case RISCV_EXCP_SEGV_ACCERR:
            if (segv_code(env->badaddr) == SEGV_MAPERR &&
                mmap_grow_stack(env->badaddr)) {
                break; /* a MAP_GROWSDOWN mapping grew: run it again */
            }
            queue_sync_signal(env, SIGSEGV, segv_code(env->badaddr),
                              env->badaddr);
            break;
        case RISCV_EXCP_FETCH_FAULT:
            /* badaddr: the pc, or the page an instruction straddles into */
            queue_sync_signal(env, SIGSEGV, segv_code(env->badaddr),
                              env->badaddr);
            break;
        case RISCV_EXCP_BUS_ADRALN:
        case RISCV_EXCP_INSN_MISALIGNED:
            queue_sync_signal(env, SIGBUS, BUS_ADRALN, env->badaddr);
            break;
        case RISCV_EXCP_BUS_ADRERR:
            queue_sync_signal(env, SIGBUS, BUS_ADRERR, env->badaddr);
            break;
        default:
            fprintf(stderr,
                    "ctcg: internal error: unknown exit %d at pc "
                    "0x%llx\n",
                    excp, (unsigned long long)env->pc);
            abort();
        }
        /* Pairs with the release stores of gdbstub.c (detach). */
        if (__builtin_expect(__atomic_load_n(&gdbstub_active, __ATOMIC_RELAXED),
                             0)) {
            gdbstub_after_exec(env, excp);
            process_pending_signals(env);
            gdbstub_after_signals(env);
            continue;
        }
        process_pending_signals(env);
    }
}
