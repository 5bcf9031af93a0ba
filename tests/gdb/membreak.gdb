# Breakpoints gdb plants by writing ebreak into the read-only code pages
# itself (Z packets off): the write invalidates the translated code of
# the page, the worker stops there, and removing them restores the code.
#expect ^Thread [0-9]+ "worker-[123]" hit Breakpoint 1, work \(id=[123]\)
#expect ^\$1 = 1$
#expect ^\[Inferior 1 \(Remote target\) exited with code 03\]
#prog ^sum 1403$
#rc 3
set pagination off
set confirm off
set remote Z-packet off
set remote software-breakpoint-packet off
handle SIGUSR1 nostop noprint pass
break work
continue
print id >= 1 && id <= 3
delete
continue
