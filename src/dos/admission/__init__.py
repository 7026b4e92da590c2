"""Admission: who may work where? Lanes, trees and the lease store.

Here live the tree algebra, the pure arbiter, lease values, the scope gate, refusal
reasons, and the edges that hold state: lane leases, id allocation, the mutex and
the holder identity (which reads the environment and the host name). The pure
modules (tree, arbiter, lease, scope) import no I/O; the edges use ``dos.store``
and ``dos.git``. Admission never imports truth, temporal or any surface.
"""
