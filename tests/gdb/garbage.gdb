# Robustness: bad checksums, unknown, truncated, over-long and malformed
# packets never crash or hang the stub; the program then ends normally.
#client python3 rsp-client.py garbage
#expect ^ok: exit reported
#reject ^FAIL
#prog ^sum 1403$
#rc 3
