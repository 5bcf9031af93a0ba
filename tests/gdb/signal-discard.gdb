# `signal 0` discards a guest signal that stopped the program.
#expect received signal SIGUSR1
#expect exited with code 03
#prog ^usr1 0$
#rc 3
set pagination off
set confirm off
continue
signal 0
