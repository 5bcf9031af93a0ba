/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The CPU loop of a guest thread: run guest code (cpu_exec) and act on
 * why it stopped: a syscall, or a fault that becomes a guest signal.
 *
 * Guest signal delivery (handlers, frames) is not here yet: a fault gets
 * the signal's default action, which ends the process with that signal
 * as Linux would (no core file is written for the emulator).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "accel/tcg/cpu-exec.h"
#include "linux-user/user.h"
#include "tcg/log.h"

/* End the process as the default action of @sig would. */
static void __attribute__((noreturn))
force_sig_default(CPURISCVState *env, int sig)
{
    struct sigaction sa;
    sigset_t set;

    if (tcg_log_enabled(CPU_LOG_GUEST_ERROR) || sig != SIGTRAP) {
        fprintf(stderr,
                "ctcg: uncaught target signal %d (%s) - core dumped "
                "(pc 0x%llx, address 0x%llx)\n",
                sig, strsignal(sig), (unsigned long long)env->pc,
                (unsigned long long)env->badaddr);
    }
    if (user_opts.tcg_stats) {
        cpu_exec_dump_stats(stderr);
    }
    setrlimit(RLIMIT_CORE, &(struct rlimit){0, 0});
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigaction(sig, &sa, NULL);
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    kill(getpid(), sig);
    _exit(128 + sig);
}

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
    ret = do_syscall(env, num, r[10], r[11], r[12], r[13], r[14], r[15]);
    if (ret == -CTCG_ERESTARTSYS) {
        env->pc -= 4;
    } else if (ret != -CTCG_ESIGRETURN) {
        r[10] = ret;
    }
    if (user_opts.strace) {
        print_syscall_ret(num, ret);
    }
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
            tb_fence_i(cpu);
            break;
        case RISCV_EXCP_INTERRUPT:
            break;
        case RISCV_EXCP_ILLEGAL:
            force_sig_default(env, SIGILL);
        case RISCV_EXCP_BREAKPOINT:
            force_sig_default(env, SIGTRAP);
        case RISCV_EXCP_SEGV_MAPERR:
        case RISCV_EXCP_SEGV_ACCERR:
        case RISCV_EXCP_FETCH_FAULT:
            if (excp == RISCV_EXCP_FETCH_FAULT) {
                env->badaddr = env->pc;
            }
            force_sig_default(env, SIGSEGV);
        case RISCV_EXCP_BUS_ADRALN:
        case RISCV_EXCP_INSN_MISALIGNED:
            force_sig_default(env, SIGBUS);
        default:
            fprintf(stderr,
                    "ctcg: internal error: unknown exit %d at pc "
                    "0x%llx\n",
                    excp, (unsigned long long)env->pc);
            abort();
        }
    }
}
