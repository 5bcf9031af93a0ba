# FP registers after an FP computation, and a memory write the program
# then sees; over TCP.
#tcp
#expect (^|hit )Breakpoint 1, fp_done \(v=3.375\)
#expect ^\$1 = 3.375$
#expect ^\$2 = \{float = .*, double = 3.375\}
#expect ^fflags +0x
#expect ^frm +0x0
#expect ^\$3 = 42$
#expect exited with code 03
#prog ^poke 42$
#prog ^fp 3.375$
#rc 3
set pagination off
set confirm off
handle SIGUSR1 nostop noprint pass
break fp_done
continue
print v
print $fa0
info registers fflags frm fcsr
print poke = 42
delete
continue
