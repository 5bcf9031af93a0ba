# A lost connection detaches: the program runs to its end.
#client python3 rsp-client.py lost
#reject ^FAIL
#prog ^sum 1403$
#prog ^usr1 10$
#rc 3
