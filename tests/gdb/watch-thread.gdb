# An access watchpoint (Z4) on a local of a worker thread, hit in that
# thread with the others running; then removed (code without checks).
#expect ^Hardware access \(read/write\) watchpoint 2: local_id
#expect ^(Value|New value) = (10|20|30)$
#expect exited with code 03
#prog ^sum 1403$
#rc 3
set pagination off
set confirm off
handle SIGUSR1 nostop noprint pass
break work
continue
delete 1
awatch local_id
continue
delete
continue
