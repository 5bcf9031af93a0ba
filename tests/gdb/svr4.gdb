# qXfer:libraries-svr4: gdb gets the shared libraries of a dynamic -L
# program from the stub (the dynamic linker's link map, read by ctcg)
# instead of walking it itself; with the sysroot it loads their symbols
# (a breakpoint in libc is hit).  gdb_threads built without -static.
#env CTCG_LD_PREFIX=/usr/riscv64-linux-gnu
#expect qXfer:libraries-svr4:read
#expect ^0x[0-9a-f]+ +0x[0-9a-f]+ +Yes( \(\*\))? +/usr/riscv64-linux-gnu/lib/libc\.so\.6$
#expect ^Breakpoint 2, .*write
#expect exited with code 03
#prog ^sum 1403$
#rc 3
set pagination off
set confirm off
set sysroot /usr/riscv64-linux-gnu
handle SIGUSR1 nostop noprint pass
break main
continue
set debug remote 1
info sharedlibrary
set debug remote 0
info sharedlibrary
break write
continue
delete
continue
