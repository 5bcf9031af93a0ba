# Vector registers (-cpu rv64,v=true,vlen=256): the target description
# has org.gnu.gdb.riscv.vector (v0-v31, 32 bytes each) and the vector
# CSRs; gdb reads them (p, info registers vector) and writes v2 (P), which
# the program then stores with vse32.v.  The same script passes against
# qemu-riscv64 7.2 (QEMU_CPU).
#env CTCG_CPU=rv64,v=true,vlen=256 QEMU_CPU=rv64,v=true,vlen=256
#expect ^\$1 = \{1, 2, 3, 4, 5, 6, 7, 8\}$
#expect ^\$2 = 8$
#expect ^\$3 = 0xd0$
#expect ^\$4 = 32$
#expect ^\$5 = \{2, 4, 6, 100, 10, 12, 14, 16\}$
#expect ^\$6 = 0$
#expect ^(v1 +\{b = \{0x1, 0x0, 0x0, 0x0, 0x2,|vl[[:space:]]+0x8)
#expect ^\$7 = 4$
#expect ^vlenb[[:space:]]+0x20[[:space:]]+32$
#expect exited normally
#prog ^vl 8 dst 2 4 6 100 10 12 14 16$
#rc 0
set pagination off
set confirm off
break vec_done
continue
print $v1.w
print $vl
print/x $vtype
print $vlenb
set var $v2.w[3] = 100
print $v2.w
set var $vxrm = 2
print $vxsat
print $vcsr
info registers vector
info registers vlenb
continue
