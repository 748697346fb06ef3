#!/usr/bin/env python3
"""Open N connections that each ask for PATH and never read the answer
(a 4 KiB receive buffer), then hold them for SECONDS: the stalled clients
of the measurement in RESULTS.md.  stall.py HOST:PORT PATH N SECONDS"""
import socket, sys, time

host, port = sys.argv[1].rsplit(":", 1)
path, n, secs = sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
conns = []
for _ in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((host, int(port)))
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    conns.append(s)
print(f"stall: {n} clients asked {path} and read nothing", flush=True)
time.sleep(secs)
for s in conns:
    s.close()
