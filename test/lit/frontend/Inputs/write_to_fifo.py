"""Runs `adjoint-gen SOURCE -o FIFO -- FLAGS...` while a thread reads FIFO,
then prints what was read and whether FIFO is still a FIFO."""
import os
import stat
import subprocess
import sys
import threading

gen, source, fifo, *flags = sys.argv[1:]
received = []
reader = threading.Thread(
    target=lambda: received.append(open(fifo, encoding="utf-8").read()))
reader.start()
result = subprocess.run([gen, source, "-o", fifo, "--", *flags])
reader.join(timeout=30)
print(received[0] if received else "nothing was written into the FIFO")
print("still a fifo:", stat.S_ISFIFO(os.lstat(fifo).st_mode))
sys.stdout.flush()
# A reader still blocked on the FIFO would keep the process alive.
os._exit(result.returncode if received else 1)
