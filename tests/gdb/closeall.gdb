# The stub's descriptors (connection, eventfd, /proc/self/mem) are the
# emulator's own: a guest that close_range()s and close()s every number
# from 3 up sees none of them open, dup2 onto every number up to near
# RLIMIT_NOFILE works (ctcg moves its own out of the way), and gdb
# then still hits a breakpoint, reads and writes memory, and sees the end.
#args closeall
#expect ^Breakpoint 1, work \(id=4\)
#expect ^\$1 = 1$
#expect exited normally
#prog ^open 0 dup2 failed 0$
#prog ^work 1601$
#prog ^poke 7$
#rc 0
set pagination off
set confirm off
break work
continue
print poke
set var poke = 7
continue
