# Breakpoint cost: gdb removes every breakpoint at each stop and inserts
# them again before resuming; a stop/resume cycle with the same set must
# not invalidate (and retranslate) the program's code.  20 continues hit
# tick() in a loop that runs much libc code between hits: the total number
# of translations (TCG_STATS) stays near that of one run without gdb
# (~1350), where retranslating everything at each continue gives > 6000.
#args loop
#env TCG_STATS=1
#expect ^Breakpoint 1, tick \(i=20\)
#expect exited normally
#prog ^loop 13275$
#max-translations 2500
#rc 0
set pagination off
set confirm off
break tick
continue
set $n = 0
while $n < 20
  continue
  set $n = $n + 1
end
delete
continue
