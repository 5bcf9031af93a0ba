#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""rsp-client.py MODE ENDPOINT: a small gdb remote-protocol client for the
gdb tests (run-gdb.sh's #client), talking to a Unix socket path or
host:port.  Prints what it checks; exits 1 on a failed check.

garbage: bad checksums, unknown and truncated packets, over-long ones,
  malformed arguments, stray bytes; the stub must answer sanely, and the
  program (run with the "spin" argument) then runs to its end (W).
ctrlc: continue, interrupt with 0x03 while the threads spin (T02 for
  SIGINT), list the threads, continue to the end (W).
lost: drop the connection while stopped: the program runs to its end.
step: vCont;s steps one instruction, and into a signal's handler.
hotbreak: let the workers spin (their loop is translated hot, as without
  a breakpoint), Ctrl-C, set a breakpoint at clock_gettime (called by the
  hot loop), continue: a worker stops there; remove it, run to the end.
The program (GDB_TEST_PROG) is tests/gdb/gdb_threads.c's.
"""
import socket
import sys
import time


def connect(ep):
    if "/" in ep:
        s = socket.socket(socket.AF_UNIX)
        s.connect(ep)
    else:
        host, port = ep.rsplit(":", 1)
        s = socket.create_connection((host, int(port)))
    s.settimeout(20)
    return s


def csum(data):
    return "%02x" % (sum(data.encode("latin-1")) & 0xFF)


def unrle(data):
    """Expand run-length encoding: 'c*N' is c and ord(N) - 29 more."""
    out, k = [], 0
    while k < len(data):
        if data[k] == "*" and out:
            out.append(out[-1] * (ord(data[k + 1]) - 29))
            k += 2
        else:
            out.append(data[k])
            k += 1
    return "".join(out)


class Rsp:
    def __init__(self, ep):
        self.s = connect(ep)
        self.buf = b""
        self.fail = 0

    def raw(self, b):
        self.s.sendall(b)

    def send(self, pkt):
        self.raw(("$%s#%s" % (pkt, csum(pkt))).encode("latin-1"))

    def recv(self):
        """The next packet's data (acks are skipped); None on EOF."""
        while True:
            i = self.buf.find(b"$")
            j = self.buf.find(b"#", i)
            if i >= 0 and j >= 0 and len(self.buf) >= j + 3:
                data = unrle(self.buf[i + 1 : j].decode("latin-1"))
                self.buf = self.buf[j + 3 :]
                try:
                    self.raw(b"+")
                except OSError:
                    pass  # closed after W/X: nothing to ack
                return data
            chunk = self.s.recv(65536)
            if not chunk:
                return None
            self.buf += chunk

    def ask(self, pkt):
        self.send(pkt)
        return self.recv()

    def check(self, what, ok):
        print(("ok: " if ok else "FAIL: ") + what)
        if not ok:
            self.fail = 1


def garbage(r):
    r.raw(b"$qC#00")  # bad checksum: NAK, no reply
    r.raw(b"+++xyz\x00\xff")  # stray bytes ('-' would ask a resend)
    r.raw(b"$qXfer:features:rea")  # truncated, then a new packet
    r.check("reply after junk", r.ask("qC").startswith("QC"))
    r.check("unknown packet: empty reply", r.ask("vGarbage;1;2") == "")
    r.check("unknown query: empty reply", r.ask("qNoSuchThing") == "")
    r.check("empty packet: empty reply", r.ask("") == "")
    r.check("over-long packet dropped, next one answered",
            (r.raw(("$" + "m" * 70000 + "#00").encode()) or True)
            and r.ask("qC").startswith("QC"))
    for bad in ["m", "m1", "m,4", "mzz,4", "m0,ffffffffffffffff",
                "M1000,4:zz", "M1000,4:00", "X1000,8:ab", "p", "pzz",
                "p1000", "P1=zz", "P", "G00", "Hgzz", "Hx1", "T", "Tzz",
                "Z0", "Z0,zz,4", "z0,1234,4", "Z9,1,1", "vCont;q",
                "vCont;C", "vCont;c:zz", "qXfer:features:read:x.xml:0,10",
                "qXfer:features:read:target.xml:zz", "qXfer:nothing",
                "qXfer:threads:read::ffffffff,10", "qSupported:" + "x" * 300]:
        rep = r.ask(bad)
        r.check("answered %r with %r" % (bad[:40], (rep or "")[:20]),
                rep is not None and not rep.startswith("T"))
    r.check("memory at 0 unreadable", r.ask("m0,4").startswith("E"))
    r.check("target.xml", "riscv:rv64" in r.ask(
        "qXfer:features:read:target.xml:0,fff"))
    r.check("threads still stopped", r.ask("?").startswith("T05"))
    finish(r)


def finish(r):
    """Continue to the end, passing SIGUSR1 on."""
    rep = r.ask("vCont;c")
    while rep and rep.startswith("T1e"):
        rep = r.ask("vCont;C1e:%s" % rep.split("thread:")[1].rstrip(";"))
    r.check("exit reported (%r)" % rep, rep == "W03")


def symbol(name):
    import os
    import subprocess
    out = subprocess.run(["riscv64-linux-gnu-nm", os.environ["GDB_TEST_PROG"]],
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[2] == name:
            return int(f[0], 16)
    raise SystemExit("no symbol " + name)


def pc_of(r):
    v = r.ask("p20")
    return int.from_bytes(bytes.fromhex(v), "little")


def step(r):
    """Hardware single steps (vCont;s), also into a signal handler."""
    rep = r.ask("?")
    tid = rep.split("thread:")[1].rstrip(";")
    for i in range(3):
        pc = pc_of(r)
        rep = r.ask("vCont;s:%s;c" % tid)
        r.check("step %d stops (%r)" % (i, rep), rep.startswith("T05"))
        r.check("step %d: moved" % i, pc_of(r) != pc)
    r.check("breakpoint at raise", r.ask("Z0,%x,2" % symbol("raise")) == "OK")
    rep = r.ask("vCont;c")
    r.check("at raise (%r)" % rep, rep.startswith("T05"))
    r.check("remove it", r.ask("z0,%x,2" % symbol("raise")) == "OK")
    rep = r.ask("vCont;c")
    r.check("SIGUSR1 stops (%r)" % rep, rep.startswith("T1e"))
    tid = rep.split("thread:")[1].rstrip(";")
    rep = r.ask("vCont;S1e:%s" % tid)
    r.check("step with the signal stops (%r)" % rep, rep.startswith("T05"))
    r.check("at the handler's first instruction",
            pc_of(r) == symbol("on_usr1"))
    pc = pc_of(r)
    rep = r.ask("vCont;s:%s" % tid)
    r.check("one more step in the handler", pc_of(r) - pc in (2, 4))
    finish(r)


def ctrlc(r):
    r.check("first stop", r.ask("?").startswith("T05"))
    for _ in range(20):  # until the workers spin (slow under sanitizers)
        r.send("vCont;c")
        time.sleep(0.5)
        r.raw(b"\x03")
        rep = r.recv()
        threads = r.ask("qfThreadInfo")
        if len(threads[1:].split(",")) == 4:
            break
    r.check("Ctrl-C stops with SIGINT (%r)" % rep,
            rep is not None and rep.startswith("T02thread:"))
    r.check("4 threads listed (%r)" % threads,
            threads.startswith("m") and len(threads[1:].split(",")) == 4)
    r.check("registers readable", len(r.ask("g")) == 33 * 16)
    poke = symbol("poke")
    r.check("poke = 0 stops the spinning", r.ask("M%x,4:00000000" % poke) == "OK")
    finish(r)


def spin_then_ctrlc(r):
    """Continue until Ctrl-C finds the four threads: the stop reply."""
    for _ in range(20):  # until the workers spin (slow under sanitizers)
        r.send("vCont;c")
        time.sleep(0.5)
        r.raw(b"\x03")
        rep = r.recv()
        threads = r.ask("qfThreadInfo")
        if len(threads[1:].split(",")) == 4:
            break
    return rep


def hotbreak(r):
    r.check("first stop", r.ask("?").startswith("T05"))
    rep = spin_then_ctrlc(r)
    r.check("Ctrl-C stops (%r)" % rep, rep is not None and rep.startswith("T02"))
    bp = symbol("clock_gettime")
    r.check("breakpoint in hot code", r.ask("Z0,%x,2" % bp) == "OK")
    rep = r.ask("vCont;c")
    r.check("breakpoint hit (%r)" % rep, rep is not None and rep.startswith("T05"))
    tid = rep.split("thread:")[1].split(";")[0]
    r.ask("Hg" + tid)
    r.check("at clock_gettime", pc_of(r) == bp)
    r.check("remove it", r.ask("z0,%x,2" % bp) == "OK")
    poke = symbol("poke")
    r.check("poke = 0 stops the spinning", r.ask("M%x,4:00000000" % poke) == "OK")
    finish(r)


def lost(r):
    r.check("first stop", r.ask("?").startswith("T05"))
    r.ask("Z0,%x,4" % 0x10000)  # maybe not code: harmless
    r.s.close()


def main():
    mode, ep = sys.argv[1], sys.argv[2]
    r = Rsp(ep)
    r.check("qSupported", "PacketSize" in r.ask("qSupported:multiprocess+"))
    {"garbage": garbage, "ctrlc": ctrlc, "lost": lost, "step": step,
     "hotbreak": hotbreak}[mode](r)
    sys.exit(r.fail)


main()
