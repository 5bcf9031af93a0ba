/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * execve: a riscv64 program execs itself (argv[0] and the environment as
 * given must arrive), system() and popen() run the host shell, and
 * execl of a host program runs it natively.  Not compared with
 * qemu-riscv64, which without binfmt_misc fails the first execve with
 * ENOEXEC.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        printf("child: argv[0]=%s argc=%d env FOO=%s\n", argv[0], argc,
               getenv("FOO"));
        return strcmp(argv[0], "renamed") || argc != 3 ||
                       strcmp(getenv("FOO"), "bar")
                   ? 1
                   : 7;
    }
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        char *av[] = {"renamed", "child", "x", NULL};
        char *ev[] = {"FOO=bar", NULL};
        execve(argv[0], av, ev);
        perror("execve"); _exit(99);
    }
    int st; waitpid(p, &st, 0);
    printf("parent: child exited %d\n", WEXITSTATUS(st));
    int r = system("echo host-shell says hi; exit 3");
    printf("system() returned %d\n", WEXITSTATUS(r));
    FILE *f = popen("/bin/true && echo popen-ok", "r"); char buf[64] = {0};
    if (f) { fgets(buf, sizeof buf, f); pclose(f); }
    printf("popen: %s", buf);
    if (fork() == 0) { execl("/bin/true", "true", (char *)0); _exit(98); }
    wait(&st); printf("/bin/true exit %d\n", WEXITSTATUS(st));
    return 0;
}
