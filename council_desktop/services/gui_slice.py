"""A short CPU time slice for the GUI thread, so that on a busy machine it gets a core back quickly.

Linux (6.6 and later) schedules ordinary threads by EEVDF: each thread has a time slice, and a thread with
a shorter slice has an earlier deadline, so when it wakes (a timer, a token frame, the mouse) it is picked
ahead of threads that have been running for a while, such as a background compile or the council's own
decode threads. Since 6.12 a thread may ask for its own slice with ``sched_setattr`` (no privileges
needed: it asks for less CPU at a time, not more CPU). The GUI thread runs in short bursts anyway, so a
short slice costs it nothing and takes nothing from other programs over time.

Elsewhere (other systems, older kernels, a sandbox without the syscall) this does nothing.
"""

from __future__ import annotations

import ctypes
import logging
import platform
import sys
import threading

log = logging.getLogger(__name__)

GUI_SLICE_NS = 500_000  # 0.5 ms; the default is 0.75 ms times (1 + log2 of the CPU count), up to 3 ms
_SYS_SCHED_SETATTR = {"x86_64": 314, "aarch64": 274}


class _SchedAttr(ctypes.Structure):
    _fields_ = [("size", ctypes.c_uint32), ("sched_policy", ctypes.c_uint32), ("sched_flags", ctypes.c_uint64),
                ("sched_nice", ctypes.c_int32), ("sched_priority", ctypes.c_uint32),
                ("sched_runtime", ctypes.c_uint64), ("sched_deadline", ctypes.c_uint64),
                ("sched_period", ctypes.c_uint64)]


def shorten_this_threads_slice(slice_ns: int = GUI_SLICE_NS) -> bool:
    """Ask for a short time slice for the calling thread (keeping its policy SCHED_OTHER and its
    niceness). Returns whether the kernel took it."""
    number = _SYS_SCHED_SETATTR.get(platform.machine())
    if not sys.platform.startswith("linux") or number is None:
        return False
    try:
        import os

        libc = ctypes.CDLL(None, use_errno=True)
        nice = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        attr = _SchedAttr(size=ctypes.sizeof(_SchedAttr), sched_policy=0, sched_nice=nice,
                          sched_runtime=slice_ns)
        if libc.syscall(number, 0, ctypes.byref(attr), 0) != 0:
            log.info("the kernel kept the GUI thread's time slice: %s", os.strerror(ctypes.get_errno()))
            return False
        return True
    except (OSError, AttributeError) as exc:
        log.info("could not shorten the GUI thread's time slice: %s", exc)
        return False
