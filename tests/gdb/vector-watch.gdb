# Vector loads and stores are watched as scalar ones are: a read
# watchpoint on src[3] stops at vle32.v, a write watchpoint on dst[5] at
# vse32.v, with the old and new values (-cpu rv64,v=true,vlen=256).
#env CTCG_CPU=rv64,v=true,vlen=256
#expect ^Hardware read watchpoint 2: src\[3\]
#expect ^Value = 4$
#expect vle32\.v[[:space:]]+v1,\(a[0-9]\)
#expect ^Hardware watchpoint 3: dst\[5\]
#expect ^Old value = 0$
#expect ^New value = 12$
#expect vse32\.v[[:space:]]+v2,\(a[0-9]\)
#expect exited normally
#prog ^vl 8 dst 2 4 6 8 10 12 14 16$
#rc 0
set pagination off
set confirm off
break main
continue
rwatch src[3]
continue
x/i $pc - 4
delete
watch dst[5]
continue
x/i $pc - 4
delete
continue
