# Detach at a breakpoint: the program runs to its end, undisturbed.
#expect hit Breakpoint 1, work
#expect \[Inferior 1 \(Remote target\) detached\]
#prog ^sum 1403$
#prog ^usr1 10$
#rc 3
set pagination off
set confirm off
break work
continue
detach
