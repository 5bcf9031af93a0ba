# Breakpoint in a worker thread, the thread list with names, backtraces
# of every thread, locals, then (other threads held: scheduler-locking)
# finish, next, stepi; then the exit status (W).
#expect ^Thread [0-9]+ "worker-[123]" hit Breakpoint 1, work \(id=[123]\)
#expect ^\* *[0-9]+ +Thread [0-9]+ "worker-[123]" +work \(id=
#expect ^ +[0-9] +Thread [0-9]+ "worker-[123]"
#expect ^4 threads$
#expect ^#1 .* in worker \(arg=0x[123]\) at .*gdb_threads.c
# main is frame 0 when the stop caught it before it entered the barrier
#expect ^#[0-9] +(0x[0-9a-f]+ in )?main \(
#expect ^\$1 = 1$
#expect ^Value returned is \$[0-9]+ = (101|401|901)$
#expect ^pc[[:space:]]+0x[0-9a-f]+[[:space:]]+0x[0-9a-f]+ <worker\+
#expect ^[0-9]+[[:space:]]+\}$
#expect ^\$[0-9]+ = (2|4)$
#expect ^\[Inferior 1 \(Remote target\) exited with code 03\]
#prog ^sum 1403$
#rc 3
set pagination off
set confirm off
handle SIGUSR1 nostop noprint pass
break work
continue
info threads
python print("%d threads" % len(gdb.selected_inferior().threads()))
thread apply all bt
print id >= 1 && id <= 3
delete
set scheduler-locking on
finish
info registers pc
next
set $before = $pc
stepi
print $pc - $before
set scheduler-locking off
continue
