# Under -g without breakpoints code is translated as without -g: the
# spinning workers' loop goes hot (TCG_STATS: hot translations).  A
# breakpoint set then in that hot code (clock_gettime, which the loop
# calls) is hit: the first breakpoint retranslates every TB with CF_DEBUG.
#client python3 rsp-client.py hotbreak
#args spin
#env TCG_STATS=1
#expect ^ok: breakpoint hit
#expect ^ok: at clock_gettime
#reject ^FAIL
#prog translations [0-9]+ \(hot [1-9]
#prog ^sum 1403$
#rc 3
