#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# gen-seeds.py TARGET DIR: write the seed corpus of fuzz target TARGET
# (elfload, translate, cmdline) into DIR.  Run by run-fuzz.sh at test time.
#
# elfload: small riscv64 ELF files built here, one per shape the loader
# handles: static ET_EXEC, static-pie, dynamic (PT_INTERP naming the
# fuzzer's own memfd, /proc/self/fd/200, so the interpreter path is taken
# with the same bytes), PT_GNU_STACK executable, PT_NOTE and PT_TLS,
# bss, a segment whose offset and address differ modulo the page size
# (read, not mapped), overlapping and huge segments, bad p_align.
# translate: instruction sequences (one of each major opcode, compressed
# ones, branches and jumps that superblocks follow) plus random words.
# cmdline: NUL-separated command lines and CTCG_* variables.
import os
import random
import struct
import sys

PT_LOAD, PT_INTERP, PT_NOTE, PT_TLS = 1, 3, 4, 7
PT_GNU_STACK = 0x6474e551
ET_EXEC, ET_DYN = 2, 3
R, W, X = 4, 2, 1
INTERP = b"/proc/self/fd/200\0"

# addi a0,zero,0; addi a7,zero,93; ecall; then a few common instructions
CODE = struct.pack("<6I", 0x00000513, 0x05d00893, 0x00000073,
                   0x00b50533, 0xfe051ee3, 0x0000006f)


def elf(etype, base, phdrs, size=0x3000, entry_off=0x1000, interp=False):
    """phdrs: (type, flags, offset, vaddr, filesz, memsz, align)."""
    ph = b"".join(struct.pack("<IIQQQQQQ", t, f, o, v, v, fs, ms, a)
                  for t, f, o, v, fs, ms, a in phdrs)
    eh = (b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8) +
          struct.pack("<HHIQQQIHHHHHH", etype, 243, 1, base + entry_off, 64,
                      0, 5, 64, 56, len(phdrs), 64, 0, 0))
    img = bytearray(size)
    img[0:64] = eh
    img[64:64 + len(ph)] = ph
    img[0x1000:0x1000 + len(CODE)] = CODE
    if interp:
        img[0x2f00:0x2f00 + len(INTERP)] = INTERP
    return bytes(img)


def text(base, memsz=0x2000):
    return (PT_LOAD, R | X, 0, base, 0x2000, memsz, 0x1000)


def data(base, off=0x2000, filesz=0x100, memsz=0x3000, align=0x1000):
    return (PT_LOAD, R | W, off, base + off, filesz, memsz, align)


def elf_seeds():
    b = 0x10000
    stack = (PT_GNU_STACK, R | W | X, 0, 0, 0, 0, 16)
    interp = (PT_INTERP, R, 0x2f00, 0, len(INTERP), len(INTERP), 1)
    note = (PT_NOTE, R, 0x2e00, b + 0x2e00, 0x20, 0x20, 4)
    tls = (PT_TLS, R, 0x2800, b + 0x2800, 0x10, 0x40, 16)
    return {
        "static": elf(ET_EXEC, b, [text(b), data(b)]),
        "static-pie": elf(ET_DYN, 0, [text(0), data(0)]),
        "dynamic": elf(ET_DYN, 0, [interp, text(0), data(0)], interp=True),
        "exec-dynamic": elf(ET_EXEC, b, [interp, text(b), data(b)],
                            interp=True),
        "execstack-note-tls": elf(ET_EXEC, b, [text(b), data(b), stack,
                                               note, tls]),
        "misaligned": elf(ET_EXEC, b, [text(b), data(b, off=0x2100)]),
        "overlap": elf(ET_EXEC, b, [text(b, 0x4000), data(b)]),
        "huge-bss": elf(ET_EXEC, b, [text(b), data(b, memsz=1 << 28)]),
        "beyond-space": elf(ET_EXEC, b, [text(b), data(b, memsz=1 << 36)]),
        "bad-align": elf(ET_DYN, 0, [text(0), data(0, align=0x1800)]),
        "big-align": elf(ET_DYN, 0, [text(0), data(0, align=1 << 21)]),
        "truncated": elf(ET_EXEC, b, [text(b), data(b)])[:0x1800],
    }


def rv_seeds():
    rnd = random.Random(1)
    ops = [
        0x00000513, 0x123455b7, 0x00001617, 0x0000006f, 0x000080e7,
        0x00b50463, 0x00053583, 0x00b53023, 0x00a5b52f, 0x1005b52f,
        0x18b5352f, 0x02b50533, 0x02b54533, 0x20b52533, 0x60051513,
        0x0005351b, 0x00b5053b, 0x00053087, 0x02b57553, 0x0ab57553,
        0x00002573, 0x00301073, 0x0000100f, 0x0ff0000f, 0x00000073,
        0x00100073, 0x0eb5652b, 0x00000000, 0xffffffff,
    ]
    seq = b"".join(struct.pack("<I", o) for o in ops)
    rvc = struct.pack("<8H", 0x0505, 0x4501, 0x8082, 0xa001, 0xc119, 0x6108,
                      0xe008, 0x9002)
    loop = struct.pack("<4I", 0x00150513, 0xfeb54ee3, 0x0000006f, 0x00000073)
    # first byte (fuzz_translate.c): bit 0 hot, bit 1 one insn per TB,
    # bits 2-3 both set: translate at 32 offsets, else run the code
    seeds = {"ops": b"\0" + seq, "ops-hot": b"\1" + seq,
             "ops-one": b"\2" + seq, "ops-offsets": b"\x0d" + seq,
             "ops-offsets-cold": b"\x0c" + seq,
             "rvc": b"\0" + rvc + seq, "loop-hot": b"\1" + loop}
    for i in range(4):
        seeds["random%d" % i] = bytes([i]) + rnd.randbytes(256)
    return seeds


def cmdline_seeds():
    lines = [
        "prog", "-cpu\0max,zba=false\0prog\0arg", "-d\0in_asm,op,page\0prog",
        "-E\0A=1,B=2\0-U\0A\0prog", "CTCG_STACK_SIZE=8M\0prog",
        "-R\01G\0-B\00x10000\0prog", "-s\01K\0-strace\0prog",
        "-tb-hot\05\0-one-insn-per-tb\0prog", "CTCG_CODE_BUFFER_SIZE=96K\0"
        "CTCG_REGION_SIZE=8K\0prog", "-L\0/x\0-0\0argv0\0--\0prog",
        "CTCG_CPU=rv64,c=false\0CTCG_LOG=exec\0-D\0log\0prog",
        "TCG_STATS=1\0-perfmap\0--\0-prog", "-version",
        "-d\0help", "-h", "--version",
        "-personality\00x400000\0-vctrl\00x14\0-execfd\03\0prog", "CTCG_SET_ENV=X=1\0CTCG_UNSET_ENV=Y\0prog",
    ]
    return {"line%d" % i: s.encode() for i, s in enumerate(lines)}


def main():
    target, out = sys.argv[1], sys.argv[2]
    seeds = {"elfload": elf_seeds, "translate": rv_seeds,
             "cmdline": cmdline_seeds}[target]()
    os.makedirs(out, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
