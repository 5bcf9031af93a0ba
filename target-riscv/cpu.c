/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V CPU models and state creation.
 *
 * The default model is QEMU 7.2's default rv64 CPU for user mode: RV64GC
 * with Zba, Zbb, Zbc and Zbs on; Zicond (not in QEMU 7.2) is off unless
 * asked for.  "-cpu rv64,zicond=true,zbc=false" toggles extensions.
 * V (RVV 1.0) is off unless asked for ("-cpu rv64,v=true,vlen=256,elen=64",
 * as QEMU 7.2) or with "max" (VLEN 128).  Zfh and Zfhmin (half precision)
 * are off as in QEMU 7.2's rv64 ("-cpu rv64,Zfh=true", QEMU's spelling;
 * lower case is accepted too); "max" has Zfh.
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
    /* QEMU 7.2's spelling, and the lower case of later QEMUs */
    {"Zfh", offsetof(RISCVCPUConfig, ext_zfh)},
    {"Zfhmin", offsetof(RISCVCPUConfig, ext_zfhmin)},
    {"zfh", offsetof(RISCVCPUConfig, ext_zfh)},
    {"zfhmin", offsetof(RISCVCPUConfig, ext_zfhmin)},
    /* QEMU 7.2 has Zve32f and Zve64f; the others as the spec says */
    {"Zve32x", offsetof(RISCVCPUConfig, ext_zve32x)},
    {"Zve32f", offsetof(RISCVCPUConfig, ext_zve32f)},
    {"Zve64x", offsetof(RISCVCPUConfig, ext_zve64x)},
    {"Zve64f", offsetof(RISCVCPUConfig, ext_zve64f)},
    {"Zve64d", offsetof(RISCVCPUConfig, ext_zve64d)},
    {"zve32x", offsetof(RISCVCPUConfig, ext_zve32x)},
    {"zve32f", offsetof(RISCVCPUConfig, ext_zve32f)},
    {"zve64x", offsetof(RISCVCPUConfig, ext_zve64x)},
    {"zve64f", offsetof(RISCVCPUConfig, ext_zve64f)},
    {"zve64d", offsetof(RISCVCPUConfig, ext_zve64d)},
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
           "  elen=64 (or 32)\n  vext_spec=v1.0\n",
           RISCV_VLEN_MAX);
}

/* vlen=N (128..RISCV_VLEN_MAX, a power of 2) and elen=32|64, as QEMU */
static int cpu_set_num_prop(RISCVCPUConfig *cfg, const char *kv)
{
    bool is_vlen = !strncmp(kv, "vlen=", 5);
    char *end;
    unsigned long n = strtoul(kv + 5, &end, 10);

    if (*end || end == kv + 5 ||
        (is_vlen ? n < 128 || n > RISCV_VLEN_MAX || (n & (n - 1))
                 : n != 64 && n != 32)) {
        fprintf(stderr,
                "ctcg-riscv64: -cpu: bad %s (vlen: a power of 2 from 128 to "
                "%d; elen: 32 or 64)\n",
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

/*
 * Zve* without V: a vector unit with ELEN 32 (Zve32*) or 64 (Zve64*) and
 * vector FP up to 32 bits (Zve32f, Zve64f), 64 (Zve64d) or none (Zve32x,
 * Zve64x); each implies the smaller ones, so the largest set wins.  V
 * includes them all.  QEMU 7.2 keeps ELEN 64 with Zve32f (SEW 64 integer
 * work is accepted there); ctcg follows the spec (docs/riscv.md).
 */
static void cpu_finish_vector(RISCVCPUConfig *cfg)
{
    bool e64 = cfg->ext_zve64x || cfg->ext_zve64f || cfg->ext_zve64d;
    bool any = e64 || cfg->ext_zve32x || cfg->ext_zve32f;

    cfg->v_sub = false;
    cfg->vfp_max = 0;
    if (cfg->ext_v || !any) {
        return;
    }
    cfg->ext_v = true;
    cfg->v_sub = true;
    cfg->elen = e64 ? 64 : 32;
    cfg->vfp_max = cfg->ext_zve64d                      ? 3
                   : cfg->ext_zve32f || cfg->ext_zve64f ? 2
                                                        : 0;
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
        cfg->ext_zfh = true;
    } else if (tok == NULL || (strcmp(tok, "rv64") && strcmp(tok, "any"))) {
        fprintf(stderr, "ctcg-riscv64: unable to find CPU model '%s'\n",
                tok ? tok : model);
        ret = -1;
    }
    while (ret == 0 && (tok = strtok_r(NULL, ",", &save)) != NULL) {
        ret = cpu_set_prop(cfg, tok);
    }
    free(copy);
    cpu_finish_vector(cfg);
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

void riscv_vector_fork_child(CPURISCVState *env)
{
    env->vl = 0;
    env->vtype = 0;
    env->vill = 0;
    env->vstart = 0;
    env->vxrm = 0;
    env->vxsat = 0;
    env->vused = 0;
    memset(env->vreg, 0, riscv_cpu_vreg_size(&env->cfg)); /* allocated size */
}
