/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the command line and the CTCG_* environment
 * (linux-user/main.c: parse_env_options, parse_args, finish_options, the
 * option handlers, riscv_cpu_parse_model, tcg_log_parse, -E/-U edits of
 * the guest environment, CTCG_CODE_BUFFER_SIZE / CTCG_REGION_SIZE).
 *
 * Design
 * ------
 * The input is split at NUL bytes into at most MAX_TOKENS strings.  A
 * string "CTCG_...=value" (or "TCG_STATS=...") goes into the environment
 * with putenv(); every other one is the next argv[] entry.  Then main()'s
 * start-up steps run up to, not including, guest_space_init().
 *
 * main.c is included with three names replaced: main (it is the
 * fuzzer's), exit (-h, -version, -cpu help, -d help and a bad
 * CTCG_CODE_BUFFER_SIZE exit; here they longjmp back instead) and
 * tcg_log_set_file (-D would create any file the fuzzer names).  After
 * each input the variables are removed and the options reset.  Output
 * (help texts, one-line errors): run with -close_fd_mask=3.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

static jmp_buf fuzz_exit_jmp;

static void fuzz_exit(int status) __attribute__((noreturn));
static void fuzz_exit(int status)
{
    longjmp(fuzz_exit_jmp, 1 + (status & 0xff));
}

static int fuzz_log_set_file(const char *path)
{
    return path[0] == 0 ? -ENOENT : 0; /* as an empty name would fail */
}

#define exit fuzz_exit
#define main ctcg_main
#define tcg_log_set_file(p) fuzz_log_set_file(p)
#include "linux-user/main.c"
#undef exit
#undef main
#undef tcg_log_set_file

#define MAX_TOKENS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * riscv_cpu_parse_model() (target-riscv/cpu.c, not included here) itself
 * prints the model list and exits for "help" and "?": such inputs are
 * left out.
 */
static bool is_cpu_help(const char *t)
{
    const char *v = strchr(t, '=');

    v = v ? v + 1 : t;
    return strcmp(v, "help") == 0 || strcmp(v, "?") == 0;
}

static bool is_env_token(const char *t)
{
    return (strncmp(t, "CTCG_", 5) == 0 || strncmp(t, "TCG_STATS", 9) == 0) &&
           strchr(t, '=') != NULL;
}

/* The start-up steps of main() before guest_space_init(). */
static void fuzz_startup(int argc, char **argv, char **envp)
{
    char **gargv, **genv;
    int first;

    default_stack_size();
    user_opts.tb_hot = -1;
    user_opts.exec_fd = -1;
    user_opts.personality = -1;
    if (parse_env_options() < 0) {
        return;
    }
    first = parse_args(argc, argv);
    if (first < 0 || finish_options() < 0) {
        return;
    }
    (void)env_size("CTCG_CODE_BUFFER_SIZE");
    (void)env_size("CTCG_REGION_SIZE");
    gargv = build_guest_argv(argc, argv, first);
    genv = build_guest_env(envp);
    free(gargv);
    free(genv);
}

static void fuzz_reset(char **envs, int nenv)
{
    for (int i = 0; i < nenv; i++) {
        /*
         * A copy of the name: cutting the putenv'd string itself at its
         * '=' made unsetenv miss it, and the environment kept a pointer
         * into the freed input (a use-after-free the fuzzer found in its
         * own harness).
         */
        char *name = strndup(envs[i], strcspn(envs[i], "="));

        if (name != NULL) {
            unsetenv(name);
            free(name);
        }
    }
    for (size_t i = 0; i < n_env_edits; i++) {
        free(env_edits[i].var);
    }
    free(env_edits);
    env_edits = NULL;
    n_env_edits = 0;
    memset(&user_opts, 0, sizeof(user_opts));
    tcg_log_mask = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    char *argv[MAX_TOKENS + 2], *envs[MAX_TOKENS];
    char *fuzz_envp[] = {"A=1", "LD_PRELOAD=x", NULL};
    volatile int argc = 1, nenv = 0;
    size_t off = 0;

    if (buf == NULL) {
        return 0;
    }
    memcpy(buf, data, size);
    buf[size] = 0;
    argv[0] = "ctcg-riscv64";
    while (off <= size && argc + nenv < MAX_TOKENS) {
        char *t = buf + off;

        off += strlen(t) + 1;
        if (is_cpu_help(t) && (strncmp(t, "CTCG_CPU=", 9) == 0 ||
                               !strcmp(argv[argc - 1], "-cpu") ||
                               !strcmp(argv[argc - 1], "--cpu"))) {
            goto out;
        }
        if (is_env_token(t) && putenv(t) == 0) {
            envs[nenv++] = t;
        } else {
            argv[argc++] = t;
        }
    }
    argv[argc] = NULL;
    if (setjmp(fuzz_exit_jmp) == 0) {
        fuzz_startup(argc, argv, fuzz_envp);
    }
out:
    fuzz_reset(envs, nenv);
    /* Nothing of this input may stay in the environment, which outlives
     * it (tests/fuzz/regress/cmdline/env-unset-uaf). */
    for (char **e = environ; *e; e++) {
        if (*e >= buf && *e <= buf + size) {
            abort();
        }
    }
    free(buf);
    return 0;
}
