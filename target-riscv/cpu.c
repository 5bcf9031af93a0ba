/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V CPU models and state creation.
 *
 * The default model is QEMU 7.2's default rv64 CPU for user mode: RV64GC
 * with Zba, Zbb, Zbc and Zbs on; Zicond (not in QEMU 7.2) is off unless
 * asked for.  "-cpu rv64,zicond=true,zbc=false" toggles extensions.
 * V (RVV 1.0) is off unless asked for ("-cpu rv64,v=true,vlen=256,elen=64",
 * as QEMU 7.2) or with "max" (VLEN 128).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target-riscv/cpu.h"

static const RISCVCPUConfig rv64_default = {
    .ext_c = true,
    .ext_zba = true,
    .ext_zbb = true,
    .ext_zbc = true,
    .ext_zbs = true,
    .ext_zicond = false,
    .ext_v = false,
    .vlen = 128,
    .elen = 64,
};

static const struct {
    const char *name;
    size_t offset;
} cpu_props[] = {
    {"c", offsetof(RISCVCPUConfig, ext_c)},
    {"zba", offsetof(RISCVCPUConfig, ext_zba)},
    {"zbb", offsetof(RISCVCPUConfig, ext_zbb)},
    {"zbc", offsetof(RISCVCPUConfig, ext_zbc)},
    {"zbs", offsetof(RISCVCPUConfig, ext_zbs)},
    {"zicond", offsetof(RISCVCPUConfig, ext_zicond)},
    {"v", offsetof(RISCVCPUConfig, ext_v)},
};

#define N_PROPS (sizeof(cpu_props) / sizeof(cpu_props[0]))

static void cpu_list(void)
{
    printf("Available CPUs:\n  rv64 (default)\n  max (rv64 with every "
           "extension)\nExtension properties (-cpu rv64,name=true|false):\n");
    for (size_t i = 0; i < N_PROPS; i++) {
        printf("  %s\n", cpu_props[i].name);
    }
    printf("  vlen=N (V's VLEN: 128..%d, a power of 2; default 128)\n"
           "  elen=64\n  vext_spec=v1.0\n",
           RISCV_VLEN_MAX);
}

/* vlen=N (128..RISCV_VLEN_MAX, a power of 2) and elen=64, as QEMU */
static int cpu_set_num_prop(RISCVCPUConfig *cfg, const char *kv)
{
    bool is_vlen = !strncmp(kv, "vlen=", 5);
    char *end;
    unsigned long n = strtoul(kv + 5, &end, 10);

    if (*end || end == kv + 5 ||
        (is_vlen ? n < 128 || n > RISCV_VLEN_MAX || (n & (n - 1)) : n != 64)) {
        fprintf(stderr,
                "ctcg-riscv64: -cpu: bad %s (vlen: a power of 2 from 128 to "
                "%d; elen: 64)\n",
                kv, RISCV_VLEN_MAX);
        return -1;
    }
    if (is_vlen) {
        cfg->vlen = n;
    } else {
        cfg->elen = n;
    }
    return 0;
}

static int cpu_set_prop(RISCVCPUConfig *cfg, const char *kv)
{
    const char *eq = strchr(kv, '=');
    size_t len = eq ? (size_t)(eq - kv) : strlen(kv);
    bool val;

    if (!strncmp(kv, "vlen=", 5) || !strncmp(kv, "elen=", 5)) {
        return cpu_set_num_prop(cfg, kv);
    }
    if (!strcmp(kv, "vext_spec=v1.0")) {
        return 0; /* QEMU's only choice (its default, with a warning) */
    }
    if (eq == NULL || (strcmp(eq + 1, "true") && strcmp(eq + 1, "on") &&
                       strcmp(eq + 1, "false") && strcmp(eq + 1, "off"))) {
        fprintf(stderr,
                "ctcg-riscv64: -cpu: bad property '%s' "
                "(use name=true or name=false)\n",
                kv);
        return -1;
    }
    val = !strcmp(eq + 1, "true") || !strcmp(eq + 1, "on");
    for (size_t i = 0; i < N_PROPS; i++) {
        if (strlen(cpu_props[i].name) == len &&
            !strncmp(cpu_props[i].name, kv, len)) {
            *(bool *)((char *)cfg + cpu_props[i].offset) = val;
            return 0;
        }
    }
    fprintf(stderr, "ctcg-riscv64: -cpu: unknown property '%.*s'\n", (int)len,
            kv);
    return -1;
}

int riscv_cpu_parse_model(const char *model, RISCVCPUConfig *cfg)
{
    char *copy, *tok, *save = NULL;
    int ret = 0;

    *cfg = rv64_default;
    if (model == NULL) {
        return 0;
    }
    if (!strcmp(model, "help") || !strcmp(model, "?")) {
        cpu_list();
        exit(0);
    }
    copy = strdup(model);
    tok = strtok_r(copy, ",", &save);
    if (tok && !strcmp(tok, "max")) {
        cfg->ext_zicond = true;
        cfg->ext_v = true;
    } else if (tok == NULL || (strcmp(tok, "rv64") && strcmp(tok, "any"))) {
        fprintf(stderr, "ctcg-riscv64: unable to find CPU model '%s'\n",
                tok ? tok : model);
        ret = -1;
    }
    while (ret == 0 && (tok = strtok_r(NULL, ",", &save)) != NULL) {
        ret = cpu_set_prop(cfg, tok);
    }
    free(copy);
    return ret;
}

CPURISCVState *riscv_cpu_init(const RISCVCPUConfig *cfg)
{
    size_t size = offsetof(CPURISCVState, vreg) + riscv_cpu_vreg_size(cfg);
    CPURISCVState *env = aligned_alloc(64, (size + 63) & ~(size_t)63);

    if (env == NULL) {
        fprintf(stderr, "ctcg-riscv64: out of memory\n");
        exit(1);
    }
    memset(env, 0, size);
    env->cfg = *cfg;
    env->load_res = -1;
    env->vill = 1; /* QEMU's reset: vtype reads 1 << 63 until a vsetvl */
    /* Linux's default with V: on (prctl's "next" is applied by execve) */
    env->vctrl = cfg->ext_v ? RISCV_V_CTRL_ON : 0;
    return env;
}
