# kill at a breakpoint ends the emulator (SIGKILL: 128 + 9).
#expect hit Breakpoint 1, work
#expect \[Inferior 1 \(Remote target\) killed\]
#reject ^sum
#rc 137
set pagination off
set confirm off
break work
continue
kill
