#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ctcg benchmark harness: build the workloads for riscv64 and x86-64, run
each natively, under qemu-riscv64 and under ctcg-riscv64 in the same run,
check that the three outputs agree, and report times, ratios, peak RSS and
thread scaling as a table, a CSV file and an SVG chart.

Normally started through bench/run.sh, which installs missing tools first.
Python 3 standard library only.  See bench/README.md.
"""
import argparse
import concurrent.futures
import csv
import datetime
import math
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SRC = os.path.join(HERE, "workloads")

RUNNERS = ("native", "qemu", "ctcg")
THREAD_COUNTS = (1, 2, 4, 8, 16)
HELLO_RUNS = 20
TRANSL_FUNCS = 20000
DEFAULT_SYSROOT = "/usr/riscv64-linux-gnu"
# The vector rows: guest compiler and flags, and the CPU both emulators get.
VEC_CC = "clang-19"
VEC_RV_FLAGS = ["--target=riscv64-linux-gnu", "-march=rv64gcv"]
VEC_CPU = ["-cpu", "rv64,v=true,vlen=128"]
VEC_MODES = (("saxpy", "3000", "1000"), ("dot", "6000", "2000"),
             ("memcpy", "8000", "2700"), ("strlen", "12000", "4000"),
             ("hist", "400", "130"), ("matmul", "120", "40"))

# Programs: name -> (source, extra compiler flags, extra link flags).
PROGRAMS = {
    "intmix": ("intmix.c", [], []),
    "dhry": ("dhry.c", [], []),
    "fp": ("fp.c", ["-ffp-contract=off"], ["-lm"]),
    "string": ("string.c", [], []),
    "interp": ("interp.c", [], []),
    "recursion": ("recursion.c", [], []),
    "threads": ("threads.c", ["-pthread"], ["-pthread"]),
    "atomics": ("atomics.c", ["-pthread"], ["-pthread"]),
    "hello": ("hello.c", [], []),
    "compress": ("compress.c", [], []),
    "hashtab": ("hashtab.c", [], []),
    "sort": ("sort.c", [], []),
    "nbody": ("nbody.c", ["-ffp-contract=off"], ["-lm"]),
    "manythreads": ("manythreads.c", ["-pthread"], ["-pthread"]),
    # Vector rows (issue 17): built with VEC_CC for rv64gcv, -O3 on both.
    "vec": ("vec.c", ["-ffp-contract=off"], []),
    # Generated (bench/gen_transl.py); -O0: see README (compile time).
    "transl": (None, [], []),
}


def workloads():
    """The workload list: (name, program, full args, quick args, kind,
    dynamic, threads).  kind: single, startup, threads, sync, many
    (thousands of threads)."""
    w = [
        ("intmix", "intmix", ["10000"], ["3000"], "single"),
        ("dhry", "dhry", ["3000000"], ["1000000"], "single"),
        ("fp", "fp", ["120000"], ["40000"], "single"),
        ("string", "string", ["80000"], ["25000"], "single"),
        ("interp", "interp", ["50000"], ["15000"], "single"),
        ("recursion", "recursion", ["32"], ["30"], "single"),
        ("compress", "compress", ["40"], ["13"], "single"),
        ("hashtab", "hashtab", ["40"], ["13"], "single"),
        ("sort", "sort", ["12"], ["4"], "single"),
        ("nbody", "nbody", ["150"], ["50"], "single"),
        ("transl", "transl", [], [], "startup"),
        ("hello", "hello", [], [], "startup"),
        ("hello-dyn", "hello", [], [], "startup"),
    ]
    out = []
    for name, prog, full, quick, kind in w:
        out.append(dict(name=name, prog=prog, full=full, quick=quick,
                        kind=kind, dynamic=name.endswith("-dyn"),
                        threads=1, loop=HELLO_RUNS if prog == "hello" else 1))
    for n in THREAD_COUNTS:
        out.append(dict(name="threads-%d" % n, prog="threads",
                        full=["240000", str(n)], quick=["80000", str(n)],
                        kind="threads", dynamic=False, threads=n, loop=1))
    # Thousands of threads (issue 14): same sizes in quick mode (so that
    # the ratios and per-thread memory mean the same), but for the churn.
    for name, full, quick in (
            ("live-1000", ["live", "1000"], None),
            ("live-4000", ["live", "4000"], None),
            ("live-8000", ["live", "8000"], None),
            ("churn", ["churn", "100000", "8"], ["churn", "20000", "8"]),
            ("transl-threads", ["translate", "1000"], None)):
        out.append(dict(name=name, prog="manythreads", full=full,
                        quick=quick or full, kind="many", dynamic=False,
                        threads=int(full[1]), loop=1))
    for mode, full, quick in VEC_MODES:
        out.append(dict(name="v-" + mode, prog="vec", full=[mode, full],
                        quick=[mode, quick], kind="single", dynamic=False,
                        threads=1, loop=1))
    for mode, full, quick in (("atomic", "8000000", "2000000"),
                              ("mutex", "4000000", "1000000")):
        for n in (2, 4):
            out.append(dict(name="%s-%d" % (mode, n), prog="atomics",
                            full=[mode, full, str(n)],
                            quick=[mode, quick, str(n)],
                            kind="sync", dynamic=False, threads=n, loop=1))
    return out


def log(msg):
    print(msg, flush=True)


def sh(cmd):
    return " ".join(shlex.quote(c) for c in cmd)


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------

def needs_build(out, inputs, cmd):
    stamp = out + ".cmd"
    if not os.path.exists(out) or not os.path.exists(stamp):
        return True
    with open(stamp) as f:
        if f.read() != sh(cmd):
            return True
    t = os.path.getmtime(out)
    return any(os.path.getmtime(i) > t for i in inputs)


def compile_one(out, inputs, cmd):
    if not needs_build(out, inputs, cmd):
        return None
    t0 = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if r.returncode != 0:
        return "build failed: %s\n%s" % (sh(cmd), r.stdout)
    with open(out + ".cmd", "w") as f:
        f.write(sh(cmd))
    return "built %s (%.1f s)" % (os.path.relpath(out, ROOT),
                                  time.monotonic() - t0)


def build(args, wls):
    os.makedirs(os.path.join(args.build_dir, "rv"), exist_ok=True)
    os.makedirs(os.path.join(args.build_dir, "x86"), exist_ok=True)
    os.makedirs(os.path.join(args.build_dir, "gen"), exist_ok=True)
    progs = sorted({(w["prog"], w["dynamic"]) for w in wls})
    jobs = []
    for prog, dyn in progs:
        src, cflags, ldflags = PROGRAMS[prog]
        opt = ["-O2"]
        if prog == "transl":
            gen = os.path.join(HERE, "gen_transl.py")
            src_path = os.path.join(args.build_dir, "gen", "transl.c")
            gcmd = [sys.executable, gen, str(TRANSL_FUNCS), src_path]
            if needs_build(src_path, [gen], gcmd):
                subprocess.run(gcmd, check=True)
                with open(src_path + ".cmd", "w") as f:
                    f.write(sh(gcmd))
            opt = ["-O0"]
        else:
            src_path = os.path.join(SRC, src)
        suffix = "-dyn" if dyn else ""
        rv = os.path.join(args.build_dir, "rv", prog + suffix)
        x86 = os.path.join(args.build_dir, "x86", prog + suffix)
        rvcc = [args.cross_cc]
        if prog == "vec":
            opt = ["-O3"]
            rvcc = [VEC_CC] + VEC_RV_FLAGS
        jobs.append((rv, [src_path],
                     rvcc + opt + cflags + ([] if dyn else ["-static"]) +
                     ["-o", rv, src_path] + ldflags))
        jobs.append((x86, [src_path],
                     [args.host_cc] + opt + cflags + ["-o", x86, src_path] +
                     ldflags))
    # The big generated file first: it takes longest.
    jobs.sort(key=lambda j: "transl" not in j[0])
    ok = True
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as ex:
        for msg in ex.map(lambda j: compile_one(*j), jobs):
            if msg:
                log("  " + msg)
                if msg.startswith("build failed"):
                    ok = False
    global RUNWRAP
    RUNWRAP = os.path.join(args.build_dir, "runwrap")
    msg = compile_one(RUNWRAP, [os.path.join(HERE, "runwrap.c")],
                      [args.host_cc, "-O2", "-static", "-o", RUNWRAP,
                       os.path.join(HERE, "runwrap.c")])
    if msg and msg.startswith("build failed"):
        # No static libc: a dynamic wrapper is bigger but still small.
        msg = compile_one(RUNWRAP, [os.path.join(HERE, "runwrap.c")],
                          [args.host_cc, "-O2", "-o", RUNWRAP,
                           os.path.join(HERE, "runwrap.c")])
    if msg:
        log("  " + msg)
        ok = ok and not msg.startswith("build failed")
    if not ok:
        sys.exit("bench: build failed")


def find_ctcg(args):
    """Snapshot the emulator binary: other builds may replace it while
    the benchmark runs."""
    src = args.ctcg
    for _ in range(30):
        if os.path.exists(src):
            break
        time.sleep(1)
    if not os.path.exists(src):
        default = os.path.join(ROOT, "build", "ctcg-riscv64")
        if os.path.abspath(src) == default and shutil.which("ninja"):
            log("bench: %s missing, running ninja -C build" % src)
            subprocess.run(["ninja", "-C", os.path.join(ROOT, "build"),
                            "ctcg-riscv64"], check=False)
    if not os.path.exists(src):
        sys.exit("bench: no emulator at %s (build it with ninja -C build, "
                 "or pass --ctcg)" % src)
    dst = os.path.join(args.build_dir, "ctcg-riscv64")
    shutil.copy2(src, dst + ".tmp")
    os.replace(dst + ".tmp", dst)
    return dst


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------

RUNWRAP = None  # build/bench/runwrap, set by build()


def run_once(cmd, timeout, env=None, cpu=None):
    """Run cmd under runwrap (on CPU cpu alone when not None); return
    wall/cpu seconds, peak RSS (KiB), status, output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as ru:
        p = subprocess.Popen([RUNWRAP, ru.name] + cmd, stdout=out,
                             stderr=err, stdin=subprocess.DEVNULL, env=env,
                             start_new_session=True,
                             preexec_fn=None if cpu is None else
                             lambda: os.sched_setaffinity(0, {cpu}))
        timed_out = []

        def kill():
            timed_out.append(True)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            p.wait()
        finally:
            timer.cancel()
        out.seek(0)
        err.seek(0)
        r = dict(wall=timeout, cpu=0.0, rss=0, rc=p.returncode,
                 timeout=bool(timed_out),
                 out=out.read().decode(errors="replace"),
                 err=err.read().decode(errors="replace"))
        f = ru.read().split()
        if len(f) == 5:
            st = int(f[4])
            r.update(wall=float(f[0]), rss=int(f[1]),
                     cpu=float(f[2]) + float(f[3]),
                     rc=os.waitstatus_to_exitcode(st))
        elif not timed_out:
            r["rc"] = -1 if p.returncode == 0 else p.returncode
            r["err"] += "\n(runwrap wrote no usage: %r)" % f
        return r


def command(args, runner, w, bins):
    rv, x86 = bins
    wargs = w["quick"] if args.quick else w["full"]
    sysroot = ["-L", args.sysroot] if w["dynamic"] else []
    if runner == "native":
        return [x86] + wargs
    if w["prog"] == "vec":
        sysroot = VEC_CPU + sysroot
    if runner == "qemu":
        return [args.qemu] + sysroot + [rv] + wargs
    return [args.ctcg_bin] + sysroot + [rv] + wargs


def run_workload_once(args, runner, w, bins, env=None, cpu=None):
    """One sample: for hello, HELLO_RUNS runs back to back."""
    cmd = command(args, runner, w, bins)
    total = dict(wall=0.0, cpu=0.0, rss=0, rc=0, timeout=False, out=None,
                 err="", cmd=cmd)
    for _ in range(w["loop"]):
        r = run_once(cmd, args.timeout, env, cpu)
        total["wall"] += r["wall"]
        total["cpu"] += r["cpu"]
        total["rss"] = max(total["rss"], r["rss"])
        total["err"] = r["err"]
        if total["out"] is None:
            total["out"] = r["out"]
        elif r["out"] != total["out"]:
            total["out"] += "\n<output changed between runs>\n" + r["out"]
        if r["rc"] != 0 or r["timeout"]:
            total["rc"], total["timeout"] = r["rc"], r["timeout"]
            total["out"] = r["out"]
            break
    return total


def status_of(r):
    if r["timeout"]:
        return "TIMEOUT"
    if r["rc"] < 0:
        return "SIG%s" % signal.Signals(-r["rc"]).name[3:] \
            if -r["rc"] in signal.Signals._value2member_map_ else \
            "SIG%d" % -r["rc"]
    if r["rc"] != 0:
        return "EXIT%d" % r["rc"]
    return "ok"


def bins_of(args, w):
    suffix = "-dyn" if w["dynamic"] else ""
    return (os.path.join(args.build_dir, "rv", w["prog"] + suffix),
            os.path.join(args.build_dir, "x86", w["prog"] + suffix))


def groups_of(wls):
    """Workloads measured together: the threads-N are interleaved (1, 2,
    4, ..., 1, 2, 4, ...) so that a change in load does not land on one
    thread count only and fake a speed-up or a collapse."""
    groups, thr = [], []
    for w in wls:
        if w["kind"] == "threads":
            if not thr:
                groups.append(thr)
            thr.append(w)
        else:
            groups.append([w])
    return groups


def pin_cpu(args, w, rep):
    """--pin: the CPU of repetition rep of a single-threaded workload
    (all three runners on it, the CPUs taken in turn by repetition), else
    None.  On the shared VM one vCPU can run everything 20-30% slower than
    the other for minutes (docs/performance.md, session 12, h-intmix): a
    runner whose repetitions all landed there read slow."""
    if not args.pin or w["kind"] not in ("single", "startup"):
        return None
    return args.pin[rep % len(args.pin)]


def run_all(args, wls, problems):
    results = {}
    for group in groups_of(wls):
        samples = {w["name"]: {r: [] for r in RUNNERS} for w in group}
        failed = {w["name"]: {} for w in group}
        for rep in range(args.reps):
            for w in group:
                # Interleave the runners so that load changes hit all three.
                for runner in RUNNERS:
                    if runner in failed[w["name"]]:
                        continue
                    r = run_workload_once(args, runner, w, bins_of(args, w),
                                          cpu=pin_cpu(args, w, rep))
                    st = status_of(r)
                    if st != "ok":
                        failed[w["name"]][runner] = (st, r)
                        continue
                    samples[w["name"]][runner].append(r)
        for w in group:
            finish(args, w, samples[w["name"]], failed[w["name"]], problems,
                   results)
    return results


def finish(args, w, samples, failed, problems, results):
    bins = bins_of(args, w)
    res = dict(w=w, samples=samples, failed=failed, status="ok")
    # Outputs must agree (with each other and across repetitions).
    outs = {}
    for runner in RUNNERS:
        for r in samples[runner]:
            outs.setdefault(runner, set()).add(r["out"])
    ref = next(iter(outs.get("native", {None})))
    mism = []
    for runner, s in outs.items():
        if len(s) > 1 or (ref is not None and s != {ref}):
            mism.append(runner)
    if mism:
        res["status"] = "MISMATCH(%s)" % ",".join(mism)
        detail = "\n".join("  %s: %r" % (rn, sorted(outs[rn]))
                           for rn in outs)
        problems.append("MISMATCH %s: outputs differ\n%s\n  reproduce: %s"
                        % (w["name"], detail,
                           sh(command(args, mism[0], w, bins))))
        log("!!!!! MISMATCH in %s (%s) !!!!!" % (w["name"],
                                                ",".join(mism)))
    for runner, (st, r) in failed.items():
        res["status"] = "%s:%s" % (runner, st) if res["status"] == "ok" \
            else res["status"] + " %s:%s" % (runner, st)
        problems.append("%s %s under %s\n  reproduce: %s\n  "
                        "stdout: %s\n  stderr (tail): %s"
                        % (st, w["name"], runner, sh(r["cmd"]),
                           r["out"][-300:].strip(),
                           r["err"][-600:].strip()))
        log("!!!!! %s: %s under %s !!!!!" % (w["name"], st, runner))
    # TCG_STATS=1: one more ctcg run, keep its last lines.  For transl,
    # --reps runs, and the one that spent least time translating (the
    # phase timers are wall time: a preempted translation inflates them).
    if "ctcg" not in failed and not args.no_stats:
        env = dict(os.environ, TCG_STATS="1")
        one = dict(w, loop=1)
        best_ms = None
        for _ in range(args.reps if w["name"] == "transl" else 1):
            r = run_workload_once(args, "ctcg", one, bins, env)
            lines = [l for l in r["err"].splitlines()
                     if l.startswith("TCG_STATS")]
            kept = [l for l in lines
                    if not l.startswith("TCG_STATS thread")] or lines[-3:]
            ms = translation_stats(" | ".join(kept)).get("ms")
            if best_ms is None or (ms is not None and ms < best_ms):
                res["stats"], best_ms = kept, ms
    results[w["name"]] = res
    line = "  %-10s" % w["name"]
    for runner in RUNNERS:
        t = best(res, runner)
        line += "  %s %s" % (runner, "%.3f" % t if t else "-")
    log(line + ("" if res["status"] == "ok" else "  " + res["status"]))


def translation_stats(stats):
    """The TCG_STATS translation line's numbers: insns, hot, tbs, ms, us,
    and the phases' shares in percent (decode, opt, live, emit, publish)."""
    m = re.search(r"translation: (\d+) guest insns \(hot (\d+)\) in (\d+) "
                  r"TBs; timed (\d+) insns \((\d+) TBs over 1 ms left out\) "
                  r"in ([0-9.]+) ms, ([0-9.]+) us/insn; decode\+IR "
                  r"([0-9.]+)%, optimizer ([0-9.]+)%, liveness ([0-9.]+)%, "
                  r"regalloc\+emit ([0-9.]+)%, publish\+hash ([0-9.]+)%"
                  r"(?:, direct ([0-9.]+)%)?", stats or "")
    if not m:
        return {}
    keys = ("insns", "hot", "tbs", "timed", "untimed", "ms", "us", "decode",
            "opt", "live", "emit", "publish", "direct")
    res = {k: float(v or 0) for k, v in zip(keys, m.groups())}
    # The direct cold tier (translate-direct.c): the instructions it took.
    d = re.search(r"direct tier: (\d+) of the guest insns", stats or "")
    res["direct_insns"] = float(d.group(1)) if d else 0.0
    return res


def best(res, runner, key="wall"):
    s = res["samples"][runner]
    return min(r[key] for r in s) if s else None


def peak_rss(res, runner):
    s = res["samples"][runner]
    return max(r["rss"] for r in s) if s else None


# ---------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------

def rows_of(results, quick=False):
    rows = []
    t1 = {rn: best(results["threads-1"], rn) if "threads-1" in results
          else None for rn in RUNNERS}
    for name, res in results.items():
        w = res["w"]
        t = {rn: best(res, rn) for rn in RUNNERS}
        row = dict(workload=name, kind=w["kind"], threads=w["threads"],
                   args=" ".join(w["quick"] if quick else w["full"]),
                   status=res["status"], reps=len(res["samples"]["ctcg"]))
        for rn in RUNNERS:
            row[rn + "_s"] = t[rn]
            row[rn + "_cpu_s"] = best(res, rn, "cpu")
            row[rn + "_rss_kb"] = peak_rss(res, rn)
            row[rn + "_samples"] = ";".join(
                "%.4f" % r["wall"] for r in res["samples"][rn])
            row[rn + "_thread_speedup"] = (
                t1[rn] / t[rn] if w["kind"] == "threads" and t1[rn] and t[rn]
                else None)
        row["ctcg_vs_qemu"] = (t["qemu"] / t["ctcg"]
                               if t["qemu"] and t["ctcg"] else None)
        row["ctcg_vs_native"] = (t["ctcg"] / t["native"]
                                 if t["native"] and t["ctcg"] else None)
        row["stats"] = " | ".join(res.get("stats", []))
        rows.append(row)
    return rows


def fmt(v, spec="%.3f"):
    return "-" if v is None else spec % v


def print_table(rows, header_lines):
    cols = [("workload", 14, lambda r: r["workload"]),
            ("native s", 9, lambda r: fmt(r["native_s"])),
            ("qemu s", 8, lambda r: fmt(r["qemu_s"])),
            ("ctcg s", 8, lambda r: fmt(r["ctcg_s"])),
            ("ctcg/qemu", 9, lambda r: fmt(r["ctcg_vs_qemu"], "%.2fx")),
            ("ctcg/nat", 8, lambda r: fmt(r["ctcg_vs_native"], "%.1fx")),
            ("qemu MB", 8, lambda r: fmt(r["qemu_rss_kb"] and
                                         r["qemu_rss_kb"] / 1024, "%.1f")),
            ("ctcg MB", 8, lambda r: fmt(r["ctcg_rss_kb"] and
                                         r["ctcg_rss_kb"] / 1024, "%.1f")),
            ("thr x n/q/c", 14, lambda r: "" if r["kind"] != "threads" else
             "/".join(fmt(r[rn + "_thread_speedup"], "%.2f")
                      for rn in RUNNERS)),
            ("check", 6, lambda r: r["status"])]
    lines = list(header_lines)
    lines.append("  ".join("%-*s" % (wd, n) if i == 0 else "%*s" % (wd, n)
                           for i, (n, wd, _) in enumerate(cols)))
    lines.append("-" * len(lines[-1]))
    for r in rows:
        lines.append("  ".join(
            ("%-*s" if i == 0 or n == "check" else "%*s") % (wd, f(r))
            for i, (n, wd, f) in enumerate(cols)).rstrip())
    return lines


def geomean(vals):
    vals = [v for v in vals if v]
    if not vals:
        return None
    return math.exp(sum(math.log(v) for v in vals) / len(vals))


def summary(rows, cores):
    by = {r["workload"]: r for r in rows}
    single = [r for r in rows if r["kind"] in ("single", "startup")]
    out = []
    g = geomean([r["ctcg_vs_qemu"] for r in single])
    out.append("geometric mean ctcg/qemu speedup (single-threaded, %d "
               "workloads): %s   [issue 18: >= 3.00x, each >= 2.00x]"
               % (len(single), fmt(g, "%.2fx")))
    slow = [r["workload"] for r in single
            if r["ctcg_vs_qemu"] is not None and r["ctcg_vs_qemu"] < 2.0]
    if slow:
        out.append("below 2x qemu: " + ", ".join(
            "%s %.2fx" % (r, by[r]["ctcg_vs_qemu"]) for r in slow))
    # CPU time (user + sys, minimum): steadier than wall time when other
    # jobs share the machine (the waits for a core are not in it).
    cq = {r["workload"]: r["qemu_cpu_s"] / r["ctcg_cpu_s"] for r in single
          if r["qemu_cpu_s"] and r["ctcg_cpu_s"]}
    out.append("by CPU time: geomean ctcg/qemu %s; below 2x: %s"
               % (fmt(geomean(list(cq.values())), "%.2fx"),
                  ", ".join("%s %.2fx" % (k, v) for k, v in cq.items()
                            if v < 2.0) or "none"))
    ints = [r for r in rows if r["workload"] in
            ("intmix", "dhry", "interp", "recursion", "string")]
    gi = geomean([r["ctcg_vs_native"] for r in ints])
    gc = geomean([r["ctcg_cpu_s"] / r["native_cpu_s"] for r in ints
                  if r["ctcg_cpu_s"] and r["native_cpu_s"]])
    out.append("integer workloads ctcg/native slowdown (geomean of %d): %s"
               " (CPU time: %s)   [target <= 1.8x]"
               % (len(ints), fmt(gi, "%.2fx"), fmt(gc, "%.2fx")))
    out += summary_transl(by)
    thr = [r for r in rows if r["kind"] == "threads"]
    if thr:
        out.append("threads-N ctcg/qemu: %s   [target >= 1.5x each]"
                   % ", ".join("%d %s" % (r["threads"],
                                          fmt(r["ctcg_vs_qemu"], "%.2fx"))
                               for r in thr))
    if "threads-2" in by:
        out.append("thread scaling 1->2 (ctcg): %s  [target >= 1.80 on 2 "
                   "cores]; 1->16: %s   (%d cores)"
                   % (fmt(by["threads-2"]["ctcg_thread_speedup"], "%.2f"),
                      fmt(by.get("threads-16", {}).get(
                          "ctcg_thread_speedup"), "%.2f"), cores))
    out += summary_many(by)
    rss = [r["workload"] for r in rows if r["ctcg_rss_kb"] and
           r["qemu_rss_kb"] and r["ctcg_rss_kb"] > r["qemu_rss_kb"]]
    out.append("peak RSS above qemu's: " + (", ".join(rss) if rss else
                                            "none"))
    return out


def summary_transl(by):
    """Issue 18: transl's speed-up, the translation cost per guest
    instruction for ctcg and qemu, ctcg's phases, hello's start-up."""
    out = []
    if "hello" in by and by["hello"]["ctcg_s"]:
        h = by["hello"]
        per = {rn: h[rn + "_s"] / HELLO_RUNS if h[rn + "_s"] else None
               for rn in RUNNERS}
        own = per["ctcg"] - per["native"] if per["native"] else None
        cpu = {rn: (h[rn + "_cpu_s"] or 0) / HELLO_RUNS * 1e3
               for rn in RUNNERS}
        out.append("hello start-up per run: ctcg %s ms, native %s ms, "
                   "ctcg's own (ctcg - native) %s ms   [target <= 3 ms]; "
                   "qemu %s ms; CPU time: ctcg %.2f ms, native %.2f ms, "
                   "qemu %.2f ms"
                   % (fmt(per["ctcg"] * 1e3, "%.2f"),
                      fmt(per["native"] and per["native"] * 1e3, "%.2f"),
                      fmt(own and own * 1e3, "%.2f"),
                      fmt(per["qemu"] and per["qemu"] * 1e3, "%.2f"),
                      cpu["ctcg"], cpu["native"], cpu["qemu"]))
    if "transl" not in by:
        return out
    t = by["transl"]
    ts = translation_stats(t["stats"])
    out.append("transl ctcg/qemu: %s   [target >= 2.5x]"
               % fmt(t["ctcg_vs_qemu"], "%.2fx"))
    if not ts:
        return out
    # Per guest instruction translated once: CPU time (steadier than wall
    # time on a shared machine) less a start-up (hello's, one run) over
    # the instructions of first (cold) translations, the same count for
    # both emulators.
    cold = ts["insns"] - ts["hot"]
    start = {rn: (by["hello"][rn + "_cpu_s"] or 0) / HELLO_RUNS
             if "hello" in by else 0.0 for rn in RUNNERS}
    wall = {rn: ((t[rn + "_cpu_s"] - start[rn]) / cold * 1e6
                 if t[rn + "_cpu_s"] and cold else None)
            for rn in ("qemu", "ctcg")}
    out.append("translation cost per guest instruction (transl: (CPU time "
               "- hello's) / %d insns translated cold): ctcg %s us, "
               "qemu %s us; ctcg's phase timers: %s us/insn (%.1f ms for "
               "%d of %d insns in %d TBs, hot %d; %d TBs preempted)"
               % (cold, fmt(wall["ctcg"], "%.3f"), fmt(wall["qemu"], "%.3f"),
                  fmt(ts["us"], "%.3f"), ts["ms"], ts["timed"], ts["insns"],
                  ts["tbs"], ts["hot"], ts["untimed"]))
    out.append("ctcg translation phases (transl): decode+IR %.1f%%, "
               "optimizer %.1f%%, liveness %.1f%%, regalloc+emit %.1f%%, "
               "publish+hash %.1f%%, direct cold tier (decode+emit) %.1f%% "
               "(%d of the %d insns)"
               % (ts["decode"], ts["opt"], ts["live"], ts["emit"],
                  ts["publish"], ts["direct"], ts["direct_insns"],
                  ts["insns"]))
    return out


def summary_many(by):
    """Issue 14's targets for the thousands-of-threads rows."""
    out = []
    live = [by[n] for n in ("live-1000", "live-4000", "live-8000") if n in by]
    if live:
        out.append("live threads ctcg/native: %s   [target <= 1.5x each, "
                   "and faster than qemu: %s]"
                   % (", ".join("%s %s" % (r["workload"][5:],
                                           fmt(r["ctcg_vs_native"], "%.2fx"))
                                for r in live),
                      ", ".join(fmt(r["ctcg_vs_qemu"], "%.2fx")
                                for r in live)))
    if "live-1000" in by and "live-8000" in by:
        a, b = by["live-1000"], by["live-8000"]
        growth = " ".join(
            "%s %s" % (rn, fmt(b[rn + "_s"] / a[rn + "_s"]
                               if a[rn + "_s"] and b[rn + "_s"] else None,
                               "%.1f")) for rn in RUNNERS)
        out.append("time(8000)/time(1000): %s   [target ctcg <= 9]" % growth)
        mem = " ".join(
            "%s %s" % (rn, fmt((b[rn + "_rss_kb"] - a[rn + "_rss_kb"]) / 7000
                               if a[rn + "_rss_kb"] and b[rn + "_rss_kb"]
                               else None, "%.1f KB"))
            for rn in RUNNERS)
        out.append("memory per live thread ((rss 8000 - rss 1000) / 7000, "
                   "guest stack of 64 KiB mostly untouched): %s" % mem)
        out.append("peak RSS at 8000 threads: ctcg %s MB, qemu %s MB   "
                   "[target ctcg <= qemu]"
                   % (fmt(b["ctcg_rss_kb"] and b["ctcg_rss_kb"] / 1024,
                          "%.0f"),
                      fmt(b["qemu_rss_kb"] and b["qemu_rss_kb"] / 1024,
                          "%.0f")))
    if "churn" in by:
        out.append("churn (threads in batches of 8) ctcg/native: %s, "
                   "ctcg/qemu %s   [target <= 1.5x native]"
                   % (fmt(by["churn"]["ctcg_vs_native"], "%.2fx"),
                      fmt(by["churn"]["ctcg_vs_qemu"], "%.2fx")))
    if "transl-threads" in by:
        m = re.search(r"flushes (\d+)", by["transl-threads"]["stats"])
        out.append("transl-threads (1000 threads, own code each): TCG_STATS "
                   "flushes %s   [target 0]" % (m.group(1) if m else "?"))
    return out


def read_csv(path):
    """Rows of an earlier results.csv, numbers as floats (None if empty)."""
    num = ("_s", "_vs_qemu", "_vs_native", "_kb", "_speedup")
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            for k, v in r.items():
                if k and k.endswith(num):
                    r[k] = float(v) if v not in ("", None) else None
            rows.append(r)
    return rows


def change(old, new, spec):
    """'old -> new (+x%)', or '-' where either is missing."""
    if old is None or new is None:
        return "%s -> %s" % (fmt(old, spec), fmt(new, spec))
    pct = (new / old - 1) * 100 if old else 0.0
    return "%s -> %s (%+.0f%%)" % (spec % old, spec % new, pct)


def compare(old_rows, new_rows, old_name):
    """Each row's change against an earlier run: ctcg time, the ratios
    measured in each run (comparable across runs and machine loads: both
    sides of a ratio ran interleaved), peak RSS.  '<' marks a ctcg/qemu
    ratio that fell by more than 5%, '>' one that rose by more."""
    old = {r["workload"]: r for r in old_rows}
    out = ["change against %s (ctcg/qemu and ctcg/nat: each run's own "
           "ratios; times move with the machine's load):" % old_name,
           "%-14s %-26s %-26s %-26s %s" % ("workload", "ctcg s",
                                            "ctcg/qemu", "ctcg/nat",
                                            "ctcg MB")]
    common = []
    for r in new_rows:
        o = old.get(r["workload"])
        if o is None:
            out.append("%-14s (new row)" % r["workload"])
            continue
        a, b = o.get("ctcg_vs_qemu"), r.get("ctcg_vs_qemu")
        mark = ""
        if o.get("args") is not None and o.get("args") != r.get("args"):
            mark = "(arguments %r -> %r: not the same work) " % (
                o["args"], r.get("args"))
        if a and b:
            mark += "<" if b < a * 0.95 else (">" if b > a * 1.05 else "")
            if r["kind"] in ("single", "startup"):
                common.append((a, b))
        out.append(("%-14s %-26s %-26s %-26s %s %s" % (
            r["workload"], change(o.get("ctcg_s"), r.get("ctcg_s"), "%.3f"),
            change(a, b, "%.2f"),
            change(o.get("ctcg_vs_native"), r.get("ctcg_vs_native"), "%.2f"),
            change(o.get("ctcg_rss_kb") and o["ctcg_rss_kb"] / 1024,
                   r.get("ctcg_rss_kb") and r["ctcg_rss_kb"] / 1024, "%.1f"),
            mark)).rstrip())
    gone = [n for n in old if n not in {r["workload"] for r in new_rows}]
    if gone:
        out.append("not in this run: " + ", ".join(gone))
    if common:
        out.append("geomean ctcg/qemu of the %d single-threaded rows in "
                   "both: %.2fx -> %.2fx"
                   % (len(common), geomean([a for a, _ in common]),
                      geomean([b for _, b in common])))
    return out


def write_csv(path, rows):
    keys = ["workload", "kind", "threads", "native_s", "qemu_s", "ctcg_s",
            "ctcg_vs_qemu", "ctcg_vs_native", "native_rss_kb",
            "qemu_rss_kb", "ctcg_rss_kb", "native_thread_speedup",
            "qemu_thread_speedup", "ctcg_thread_speedup", "native_cpu_s",
            "qemu_cpu_s", "ctcg_cpu_s", "native_samples", "qemu_samples",
            "ctcg_samples", "reps", "status", "stats", "args"]
    with open(path, "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(keys)
        for r in rows:
            wr.writerow(["" if r[k] is None else
                         ("%.6g" % r[k] if isinstance(r[k], float) else r[k])
                         for k in keys])


def esc(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def write_svg(path, rows, cores, title):
    bars = [r for r in rows if r["kind"] != "threads" or
            r["workload"] == "threads-1"]
    thr = [r for r in rows if r["kind"] == "threads"]
    W, H1, H2 = 960, 380, 340
    H = H1 + H2 + 40
    s = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
         'font-family="sans-serif" font-size="12">' % (W, H),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="%d" y="20" font-size="15" text-anchor="middle">%s</text>'
         % (W // 2, esc(title))]
    # Panel 1: ctcg/qemu speedup bars.
    x0, y0, pw, ph = 70, 50, W - 100, H1 - 150
    vals = [r["ctcg_vs_qemu"] or 0 for r in bars]
    ymax = max([2.5] + [v * 1.1 for v in vals])
    s.append('<text x="%d" y="%d" font-size="13">ctcg speed-up over '
             'qemu-riscv64 (qemu time / ctcg time; higher is better)</text>'
             % (x0, y0 - 10))

    def yv(v):
        return y0 + ph - v / ymax * ph

    step = 0.5 if ymax <= 5 else (1 if ymax <= 10 else 5)
    v = 0.0
    while v <= ymax + 1e-9:
        s.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>'
                 % (x0, x0 + pw, yv(v), yv(v)))
        s.append('<text x="%d" y="%.1f" text-anchor="end">%.1f</text>'
                 % (x0 - 5, yv(v) + 4, v))
        v += step
    for ref, col, lab in ((1.0, "#444", "qemu"), (1.5, "#c80", "1.5x"),
                          (2.0, "#080", "2x")):
        s.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s" '
                 'stroke-dasharray="5,3"/><text x="%d" y="%.1f" fill="%s">'
                 '%s</text>' % (x0, x0 + pw, yv(ref), yv(ref), col,
                                x0 + pw + 3, yv(ref) + 4, col, lab))
    n = max(1, len(bars))
    bw = pw / n
    for i, r in enumerate(bars):
        v = r["ctcg_vs_qemu"]
        x = x0 + i * bw + bw * 0.15
        if v:
            col = "#2a2" if v >= 1.5 else ("#e90" if v >= 1.0 else "#d33")
            s.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" '
                     'fill="%s"/>' % (x, yv(v), bw * 0.7, y0 + ph - yv(v),
                                      col))
            s.append('<text x="%.1f" y="%.1f" text-anchor="middle" '
                     'font-size="10">%.2f</text>'
                     % (x + bw * 0.35, yv(v) - 3, v))
        else:
            s.append('<text x="%.1f" y="%.1f" text-anchor="middle" '
                     'fill="#d33">%s</text>' % (x + bw * 0.35, y0 + ph - 4,
                                                esc(r["status"][:8])))
        lx, ly = x + bw * 0.35, y0 + ph + 12
        s.append('<text x="%.1f" y="%.1f" text-anchor="end" '
                 'transform="rotate(-45 %.1f %.1f)">%s</text>'
                 % (lx, ly, lx, ly, esc(r["workload"])))
    s.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="black"/>'
             % (x0, x0 + pw, y0 + ph, y0 + ph))
    # Panel 2: thread scaling lines.
    if thr:
        x0, y0, pw, ph = 70, H1 + 30, W - 300, H2 - 80
        counts = [r["threads"] for r in thr]
        ymax = max([2.0, max(cores, 2) + 0.5] +
                   [(r[rn + "_thread_speedup"] or 0) * 1.1
                    for r in thr for rn in RUNNERS])
        s.append('<text x="%d" y="%d" font-size="13">thread scaling: '
                 'speed-up of N threads over 1 (same total work), %d host '
                 'cores</text>' % (x0, y0 - 10, cores))

        def xs(i):
            return x0 + (i + 0.5) * pw / len(counts)

        def ys(v):
            return y0 + ph - v / ymax * ph

        v = 0.0
        while v <= ymax + 1e-9:
            s.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" '
                     'stroke="#ddd"/><text x="%d" y="%.1f" '
                     'text-anchor="end">%.1f</text>'
                     % (x0, x0 + pw, ys(v), ys(v), x0 - 5, ys(v) + 4, v))
            v += 0.5 if ymax <= 6 else 1
        for i, c in enumerate(counts):
            s.append('<text x="%.1f" y="%d" text-anchor="middle">%d</text>'
                     % (xs(i), y0 + ph + 16, c))
        s.append('<text x="%.1f" y="%d" text-anchor="middle">threads'
                 '</text>' % (x0 + pw / 2, y0 + ph + 34))
        series = [("ideal (min(N, cores))", "#999",
                   [min(c, cores) for c in counts], "4,3")]
        series += [(rn, col, [r[rn + "_thread_speedup"] for r in thr], "")
                   for rn, col in (("native", "#36c"), ("qemu", "#c63"),
                                   ("ctcg", "#2a2"))]
        for k, (lab, col, ys_, dash) in enumerate(series):
            pts = ["%.1f,%.1f" % (xs(i), ys(v)) for i, v in enumerate(ys_)
                   if v]
            if pts:
                s.append('<polyline points="%s" fill="none" stroke="%s" '
                         'stroke-width="2"%s/>'
                         % (" ".join(pts), col, ' stroke-dasharray="%s"'
                            % dash if dash else ""))
                for p in pts:
                    px, py = p.split(",")
                    s.append('<circle cx="%s" cy="%s" r="3" fill="%s"/>'
                             % (px, py, col))
            ly = y0 + 20 + k * 20
            s.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" '
                     'stroke-width="2"/><text x="%d" y="%d">%s</text>'
                     % (x0 + pw + 20, x0 + pw + 50, ly, ly, col,
                        x0 + pw + 56, ly + 4, esc(lab)))
        s.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="black"/>'
                 % (x0, x0 + pw, y0 + ph, y0 + ph))
    s.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(s) + "\n")


# ---------------------------------------------------------------------------
# Profile (--profile)
# ---------------------------------------------------------------------------

def is_generated(dso):
    """perf's name for an anonymous executable mapping: ctcg's code."""
    return (dso.startswith("[JIT]") or dso in ("[unknown]", "//anon",
                                               "[anon]", "[heap]")
            or dso.startswith("memfd:") or dso.startswith("/memfd:"))


def perf_profile(perf, data, out):
    rep = subprocess.run(
        [perf, "report", "-i", data, "--stdio", "--no-children", "--sort",
         "dso,symbol", "--percent-limit", "0"], stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True)
    pat = re.compile(r"^\s*([0-9.]+)%\s+(\[JIT\] tid \d+|\S+)\s+"
                     r"\[(.)\]\s+(.*?)\s*(?:-\s+-\s*)?$")
    by_dso, syms, blocks = {}, [], []
    for line in rep.stdout.splitlines():
        m = pat.match(line)
        if not m:
            continue
        pct, dso, _, sym = float(m.group(1)), m.group(2), m.group(3), \
            m.group(4)
        key = "generated code" if is_generated(dso) else dso
        by_dso[key] = by_dso.get(key, 0.0) + pct
        if not is_generated(dso):
            syms.append((pct, "%s (%s)" % (sym, dso)))
        elif sym.startswith("guest_0x"):
            blocks.append((pct, sym))
    out.append("  time by object: " + ", ".join(
        "%s %.1f%%" % (k, v) for k, v in
        sorted(by_dso.items(), key=lambda kv: -kv[1]) if v >= 0.1))
    out.append("  top functions outside generated code (% of all "
               "samples):")
    for pct, name in sorted(syms, reverse=True)[:15]:
        if pct < 0.2:
            break
        out.append("    %6.2f%%  %s" % (pct, name))
    if blocks:
        out.append("  hottest translation blocks (-perfmap names: guest "
                   "PC of the TB's first instruction):")
        for pct, name in sorted(blocks, reverse=True)[:8]:
            out.append("    %6.2f%%  %s" % (pct, name))
    return by_dso.get("generated code", 0.0)


def profile(args, wls):
    """perf record ctcg on the given workloads (with -perfmap, so that
    perf names generated code by guest PC); report the share of time in
    generated code, its hottest TBs and the top functions outside it.
    callgrind if perf cannot run."""
    out = []
    perf = shutil.which("perf")
    for w in wls:
        bins = (os.path.join(args.build_dir, "rv", w["prog"] +
                             ("-dyn" if w["dynamic"] else "")),
                os.path.join(args.build_dir, "x86", w["prog"]))
        cmd = command(args, "ctcg", w, bins)
        cmd = cmd[:1] + ["-perfmap"] + cmd[1:]
        data = os.path.join(args.build_dir, "perf-%s.data" % w["name"])
        out.append("== profile of %s: %s" % (w["name"], sh(cmd)))
        r = None
        if perf:
            r = subprocess.run([perf, "record", "-q", "-F", "4999", "-o",
                                data, "--"] + cmd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
        if perf and r.returncode == 0:
            perf_profile(perf, data, out)
            out.append("  (perf data: %s; perf report -i it --sort "
                       "dso,symbol)" % os.path.relpath(data, ROOT))
            continue
        if perf:
            out.append("  perf record failed: %s" % r.stderr.strip()[-300:])
        vg = shutil.which("valgrind")
        if not vg:
            out.append("  no perf and no valgrind: no profile")
            continue
        cg = os.path.join(args.build_dir, "callgrind-%s.out" % w["name"])
        subprocess.run([vg, "--tool=callgrind", "--callgrind-out-file=" +
                        cg] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        ann = subprocess.run(["callgrind_annotate", cg],
                             stdout=subprocess.PIPE, text=True)
        out.append("  callgrind (instructions; generated code is "
                   "'???' in an anonymous mapping):")
        out += ["    " + l for l in ann.stdout.splitlines()[:40]]
    return out


def write_profile(args, pw, t_start):
    prof = profile(args, pw)
    path = os.path.join(args.build_dir, "profile.txt")
    with open(path, "w") as f:
        f.write("\n".join(prof) + "\n")
    log("")
    log("\n".join(prof))
    log("wrote %s (%.0f s)" % (os.path.relpath(path, ROOT),
                              time.monotonic() - t_start))
    return 0


# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="one repetition and smaller sizes")
    ap.add_argument("--only", action="append", default=[], metavar="NAME",
                    help="run only NAME (a workload, or a prefix such as "
                         "threads; repeat or separate with commas)")
    ap.add_argument("--reps", type=int, default=None,
                    help="repetitions per workload and emulator (default 3, "
                         "1 with --quick); the minimum is reported")
    ap.add_argument("--ctcg", default=os.environ.get(
        "CTCG", os.path.join(ROOT, "build", "ctcg-riscv64")))
    ap.add_argument("--qemu", default=os.environ.get(
        "QEMU", shutil.which("qemu-riscv64") or "/usr/bin/qemu-riscv64"))
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build",
                                                        "bench"))
    ap.add_argument("--cross-cc", default="riscv64-linux-gnu-gcc")
    ap.add_argument("--host-cc", default="gcc")
    ap.add_argument("--sysroot", default=DEFAULT_SYSROOT,
                    help="guest libraries for hello-dyn (-L)")
    ap.add_argument("--timeout", type=float, default=None,
                    help="seconds before one run counts as hung (default "
                         "120, 60 with --quick)")
    ap.add_argument("--no-stats", action="store_true",
                    help="skip the extra TCG_STATS=1 run of each workload")
    ap.add_argument("--profile", nargs="?", const="intmix,interp",
                    metavar="NAMES",
                    help="after the table, perf record ctcg on NAMES "
                         "(default intmix,interp; callgrind if perf cannot "
                         "run)")
    ap.add_argument("--profile-only", action="store_true",
                    help="with --profile: skip the timed runs")
    ap.add_argument("--compare", metavar="OLD.csv",
                    help="after the table, each row's change against an "
                         "earlier results.csv (copy it away first: each run "
                         "overwrites build/bench/results.csv)")
    ap.add_argument("--against", metavar="NEW.csv",
                    help="with --compare: compare NEW.csv with OLD.csv and "
                         "run nothing")
    ap.add_argument("--pin", action="store_true",
                    help="run each repetition of a single-threaded "
                         "workload's three runners on one CPU, the CPUs in "
                         "turn (use --reps >= 2x the CPUs)")
    ap.add_argument("--list", action="store_true", help="list workloads")
    args = ap.parse_args()
    if args.against:
        if not args.compare:
            sys.exit("bench: --against needs --compare OLD.csv")
        log("\n".join(compare(read_csv(args.compare),
                              read_csv(args.against), args.compare)))
        return 0
    old_rows = read_csv(args.compare) if args.compare else None
    if args.reps is None:
        args.reps = 1 if args.quick else 3
    args.pin = sorted(os.sched_getaffinity(0)) if args.pin else None
    if args.timeout is None:
        args.timeout = 60.0 if args.quick else 120.0
    args.build_dir = os.path.abspath(args.build_dir)

    wls = workloads()
    if args.list:
        for w in wls:
            log("%-12s %s" % (w["name"], sh(w["full"])))
        return 0
    only = [o for x in args.only for o in x.split(",") if o]
    if only:
        sel = [w for w in wls if any(w["name"] == o or
                                     w["name"].startswith(o + "-") or
                                     w["prog"] == o for o in only)]
        if not sel:
            sys.exit("bench: no workload matches %s (try --list)" % only)
        # Thread speed-ups need threads-1.
        if any(w["kind"] == "threads" for w in sel) and \
                not any(w["name"] == "threads-1" for w in sel):
            sel.insert(0, next(w for w in wls if w["name"] == "threads-1"))
        wls = sel
    if any(w["prog"] == "vec" for w in wls) and not shutil.which(VEC_CC):
        log("bench: no %s: skipping the vector rows (v-*)" % VEC_CC)
        wls = [w for w in wls if w["prog"] != "vec"]
    if any(w["dynamic"] for w in wls) and not os.path.isdir(args.sysroot):
        log("bench: no %s: skipping hello-dyn" % args.sysroot)
        wls = [w for w in wls if not w["dynamic"]]
    for tool in (args.cross_cc, args.host_cc, args.qemu):
        if not shutil.which(tool):
            sys.exit("bench: %s not found (bench/run.sh installs it)" % tool)

    pw = []
    if args.profile:
        names = [n for n in args.profile.split(",") if n]
        pw = [w for w in workloads() if w["name"] in names]
        if len(pw) != len(names):
            sys.exit("bench: --profile: unknown workload in %s" % names)
        if args.profile_only:
            wls = []

    os.makedirs(args.build_dir, exist_ok=True)
    t_start = time.monotonic()
    log("bench: building workloads into %s" % args.build_dir)
    build(args, wls + [w for w in pw if w not in wls])
    args.ctcg_bin = find_ctcg(args)
    if args.profile_only:
        return write_profile(args, pw, t_start)

    cores = os.cpu_count() or 1
    try:
        nproc = subprocess.run(["nproc"], stdout=subprocess.PIPE,
                               text=True).stdout.strip()
    except OSError:
        nproc = str(cores)
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            model = m.group(1).strip() if m else model
    except OSError:
        pass
    qver = subprocess.run([args.qemu, "--version"], stdout=subprocess.PIPE,
                          text=True).stdout.splitlines()[0]
    rev = subprocess.run(["git", "-C", ROOT, "describe", "--always",
                          "--dirty"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True).stdout.strip()
    load0 = os.getloadavg()
    log("bench: running %d workloads x %d reps (%s)"
        % (len(wls), args.reps, "quick" if args.quick else "full"))
    problems = []
    results = run_all(args, wls, problems)
    load1 = os.getloadavg()

    header = [
        "ctcg benchmark  %s  (%s mode, %d reps, minimum wall time reported)"
        % (datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
           "quick" if args.quick else "full", args.reps),
        "host: %s, nproc %s, %s; load average %.1f at start, %.1f at end"
        % (model, nproc, platform.release(), load0[0], load1[0]),
        "ctcg: %s (built %s, tree at git %s)   qemu: %s"
        % (os.path.relpath(args.ctcg, ROOT) if args.ctcg.startswith(ROOT)
           else args.ctcg, datetime.datetime.fromtimestamp(
               os.path.getmtime(args.ctcg_bin)).strftime("%Y-%m-%d %H:%M"),
           rev or "?", qver),
        "ctcg/qemu = qemu time / ctcg time (>1: ctcg faster); "
        "ctcg/nat = ctcg time / native time; hello rows: %d runs; "
        "thr x: 1->N thread speed-up native/qemu/ctcg" % HELLO_RUNS,
        "",
    ]
    rows = rows_of(results, args.quick)
    lines = print_table(rows, header)
    lines.append("")
    lines += summary(rows, cores)
    stats = ["TCG_STATS=1 (one extra ctcg run per workload, last lines):"]
    for name, res in results.items():
        for l in res.get("stats", []):
            stats.append("  %-10s %s" % (name, l))
    lines.append("")
    lines += stats
    if old_rows is not None:
        lines.append("")
        lines += compare(old_rows, rows, args.compare)
    if problems:
        lines.append("")
        lines.append("PROBLEMS (%d):" % len(problems))
        lines += problems
    log("")
    log("\n".join(lines))

    csv_path = os.path.join(args.build_dir, "results.csv")
    svg_path = os.path.join(args.build_dir, "results.svg")
    txt_path = os.path.join(args.build_dir, "results.txt")
    write_csv(csv_path, rows)
    write_svg(svg_path, rows, cores,
              "ctcg vs qemu-riscv64 — %s, %s cores%s"
              % (model, nproc, " (quick)" if args.quick else ""))
    with open(txt_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    if pw:
        write_profile(args, pw, t_start)
    log("")
    log("wrote %s, %s, %s  (%.0f s in all)"
        % (os.path.relpath(txt_path, ROOT), os.path.relpath(csv_path, ROOT),
           os.path.relpath(svg_path, ROOT), time.monotonic() - t_start))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
