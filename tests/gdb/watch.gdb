# Watchpoints (Z2 write, Z3 read) stop at the access, with the values.
#expect ^Hardware watchpoint 2: watched
#expect ^Old value = 0$
#expect ^New value = 1403$
#expect ^Hardware read watchpoint 3: watched
#expect ^Value = 1403$
#expect exited with code 03
#prog ^watched 1403$
#rc 3
set pagination off
set confirm off
handle SIGUSR1 nostop noprint pass
break main
continue
watch watched
continue
delete 2
rwatch watched
continue
delete
continue
