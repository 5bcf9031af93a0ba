# vCont;s (gdb itself single-steps RISC-V with breakpoints): exactly one
# instruction, and a step with a signal stops at its handler's start.
#client python3 rsp-client.py step
#expect ^ok: at the handler's first instruction
#reject ^FAIL
#prog ^usr1 10$
#rc 3
