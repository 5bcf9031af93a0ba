# Ctrl-C (0x03) while the threads spin stops them all (SIGINT).
#client python3 rsp-client.py ctrlc
#args spin
#expect ^ok: Ctrl-C stops
#reject ^FAIL
#prog ^sum 1403$
#rc 3
