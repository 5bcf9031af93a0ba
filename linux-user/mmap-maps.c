/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linux-user: the guest's /proc/self/maps.
 *
 * dump_guest_maps() walks the host's /proc/self/maps for the mappings
 * inside the guest reservation and prints, for each run of guest pages
 * with the same flags, a line with guest addresses and guest protections;
 * file names, offsets, devices and inodes come from the host's line.
 * Nothing outside the reservation (the emulator's own memory) is shown.
 *
 * Locking: the page flags are read under mmap_lock, taken here; the host
 * file is read before it (a mapping that changes in between is printed
 * with the flags it has under the lock, as Linux's own race allows).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel/tcg/cpu-exec.h"
#include "linux-user/mmap-priv.h"
#include "linux-user/user.h"

typedef struct HostMap {
    uintptr_t start, end;
    char perms[5];
    uint64_t offset, inode;
    unsigned dev_major, dev_minor;
    char *path; /* points into the text, or "" */
} HostMap;

/* Read the host's /proc/self/maps into a malloc'ed string. */
static char *read_host_maps(void)
{
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (buf == NULL || fd < 0) {
        free(buf);
        if (fd >= 0) {
            close(fd);
        }
        return NULL;
    }
    while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
        len += n;
        if (cap - len < 4096) {
            char *nb = realloc(buf, cap * 2);

            if (nb == NULL) {
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    close(fd);
    buf[len] = 0;
    return buf;
}

/* Parse the lines inside the reservation; returns the count. */
static size_t parse_host_maps(char *text, HostMap **out)
{
    uintptr_t lo = tcg_guest_base, hi = tcg_guest_base + guest_space_size;
    size_t n = 0, cap = 0;
    HostMap *v = NULL;
    char *line, *save = NULL;

    for (line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        HostMap m = {.path = ""};
        int pos = 0;

        if (sscanf(line,
                   "%" SCNxPTR "-%" SCNxPTR " %4s %" SCNx64 " %x:%x %" SCNu64
                   " %n",
                   &m.start, &m.end, m.perms, &m.offset, &m.dev_major,
                   &m.dev_minor, &m.inode, &pos) < 7 ||
            m.end <= lo || m.start >= hi) {
            continue;
        }
        if (pos > 0) {
            m.path = line + pos;
        }
        if (n == cap) {
            HostMap *nv = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof(*v));

            if (nv == NULL) {
                break;
            }
            v = nv;
        }
        v[n++] = m;
    }
    *out = v;
    return n;
}


/* The end of the run of pages with the same flags as @start, before @end. */
static uint64_t run_end(uint64_t start, uint64_t end)
{
    int f = page_get_flags(start);
    bool stack = mmap_in_stack(start);
    uint64_t a;

    for (a = start + TARGET_PAGE_SIZE; a < end; a += TARGET_PAGE_SIZE) {
        if (page_get_flags(a) != f || stack != mmap_in_stack(a)) {
            break;
        }
    }
    return a;
}

static void print_map_line(int fd, uint64_t start, uint64_t end,
                           const HostMap *m)
{
    int f = page_get_flags(start);
    const char *name = m->path;
    uint64_t off =
        m->inode ? m->offset + (tcg_guest_base + start - m->start) : 0;
    int n;

    if (mmap_in_stack(start)) {
        name = "[stack]";
    } else if (!m->inode && mmap_is_heap(start, end)) {
        name = "[heap]"; /* Linux's test, on the whole area */
    } else if (!m->inode) {
        name = "";
    }
    n = dprintf(fd,
                "%08" PRIx64 "-%08" PRIx64 " %c%c%c%c %08" PRIx64
                " %02x:%02x %" PRIu64 " ",
                start, end, f & PAGE_READ ? 'r' : '-',
                f & (PAGE_WRITE | PAGE_WRITE_ORG) ? 'w' : '-',
                f & PAGE_EXEC ? 'x' : '-', m->perms[3] == 's' ? 's' : 'p', off,
                m->dev_major, m->dev_minor, m->inode);
    if (*name) {
        dprintf(fd, "%*s%s", n < 73 ? 73 - n : 0, "", name);
    }
    dprintf(fd, "\n");
}

/**
 * dump_guest_maps() - write the guest's memory map to @fd in the format
 * of /proc/self/maps, with guest addresses and guest protections; file
 * names, offsets, devices and inodes come from the host's maps.
 */
void dump_guest_maps(int fd)
{
    char *text = read_host_maps();
    HostMap *maps = NULL;
    size_t n;

    if (text == NULL) {
        return;
    }
    mmap_lock();
    n = parse_host_maps(text, &maps);
    for (size_t i = 0; i < n; i++) {
        uintptr_t hs =
            maps[i].start > tcg_guest_base ? maps[i].start : tcg_guest_base;
        uint64_t gs = hs - tcg_guest_base;
        uint64_t ge = maps[i].end - tcg_guest_base;

        if (ge > guest_space_size) {
            ge = guest_space_size;
        }
        for (gs = mmap_next_valid_page(gs, ge); gs < ge;
             gs = mmap_next_valid_page(gs, ge)) {
            uint64_t e = run_end(gs, ge);

            print_map_line(fd, gs, e, &maps[i]);
            gs = e;
        }
    }
    mmap_unlock();
    free(maps);
    free(text);
}
