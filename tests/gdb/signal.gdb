# A guest signal stops the program; the stepi after it delivers it (the
# handler runs: gdb steps RISC-V with a breakpoint at the next pc).
#expect received signal SIGUSR1
#expect ^\$1 = 10$
#expect exited with code 03
#prog ^usr1 10$
#rc 3
set pagination off
set confirm off
continue
stepi
print usr1_seen
continue
