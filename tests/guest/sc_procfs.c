/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc as the guest must see it: /proc/self/maps lists the guest's own
 * mappings (its stack, its code), /proc/self/exe is the guest program,
 * /proc/self/auxv is the guest's auxiliary vector, /proc/self/cmdline its
 * argv, /proc/cpuinfo is readable.
 */
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/auxv.h>

#include "guest.h"

static size_t slurp(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    size_t total = 0;
    ssize_t n;

    CHECK(fd >= 0);
    if (fd < 0) {
        return 0;
    }
    while (total < len - 1 && (n = read(fd, buf + total, len - 1 - total)) > 0) {
        total += n;
    }
    buf[total] = 0;
    close(fd);
    return total;
}

/* Is @addr inside a mapping of /proc/self/maps with permissions @perm? */
static int mapped(const char *maps, uintptr_t addr, const char *perm)
{
    const char *line = maps;

    while (line && *line) {
        unsigned long lo, hi;
        char p[5];

        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 &&
            addr >= lo && addr < hi) {
            return strncmp(p, perm, strlen(perm)) == 0;
        }
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static char maps[1 << 16];
    char buf[4096], exe[PATH_MAX], real[PATH_MAX];
    int local = 0;
    size_t n;
    ssize_t len;

    (void)argc;
    n = slurp("/proc/self/maps", maps, sizeof(maps));
    CHECK(n > 0 && strstr(maps, "[stack]") != NULL);
    CHECK(mapped(maps, (uintptr_t)&local, "rw"));
    CHECK(mapped(maps, (uintptr_t)main, "r-x"));
    CHECK(mapped(maps, (uintptr_t)maps, "rw"));
    printf("maps: done\n");

    len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    CHECK(len > 0);
    exe[len > 0 ? len : 0] = 0;
    CHECK(realpath(argv[0], real) && strcmp(real, exe) == 0);
    CHECK(slurp("/proc/self/exe", buf, 5) == 4 && !memcmp(buf, "\177ELF", 4));
    printf("exe: done\n");

    n = slurp("/proc/self/auxv", buf, sizeof(buf));
    CHECK(n >= 16 && n % 16 == 0);
    {
        int found = 0;
        for (size_t i = 0; i + 16 <= n; i += 16) {
            uint64_t key, val;
            memcpy(&key, buf + i, 8);
            memcpy(&val, buf + i + 8, 8);
            if (key == AT_PAGESZ) {
                CHECK(val == 4096);
                found++;
            }
            if (key == AT_ENTRY) {
                CHECK(val == getauxval(AT_ENTRY));
                found++;
            }
        }
        CHECK(found == 2);
    }
    printf("auxv: done\n");

    n = slurp("/proc/self/cmdline", buf, sizeof(buf));
    CHECK(n == strlen(argv[0]) + 1 && strcmp(buf, argv[0]) == 0);
    printf("cmdline: done\n");

    CHECK(slurp("/proc/cpuinfo", buf, sizeof(buf)) > 0);
    CHECK(strstr(buf, "processor") != NULL);
    printf("cpuinfo: done\n");
    return guest_done("procfs");
}
