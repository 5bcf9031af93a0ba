# fork: the child runs undebugged (a breakpoint it passes does not stop
# it, nor hang it); the parent still stops at it.
#args fork
#expect hit Breakpoint 1, square \(x=(10|20|30)\)
#reject square \(x=3\)
#expect exited with code 03
#prog ^child 7$
#prog ^sum 1403$
#rc 3
set pagination off
set confirm off
handle SIGUSR1 nostop noprint pass
break square
continue
delete
continue
