# `signal SIGTERM` at a breakpoint delivers it (no second stop); the
# program dies of it: X packet.
#expect hit Breakpoint 1, work|^Breakpoint 1, work
#expect ^Program terminated with signal SIGTERM, Terminated\.
#reject received signal SIGTERM
#rc 143
set pagination off
set confirm off
break work
continue
delete
signal SIGTERM
