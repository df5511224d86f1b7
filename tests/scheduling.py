"""pytest-xdist's load scheduling, handing out the last tests one at a time.

The default scheduler keeps a queue of tests on every worker, sized by how many are still pending overall. The
browser tests come last (transactional tests follow all others: tests/conftest.py) and take 5-45 s each, so
when nothing was left to hand out one worker still held several of them while the others had stopped: on
PostgreSQL one worker ran alone for the last 60 s, and another waited 226 s for it. From TAIL pending tests on, a worker
gets the next test only when it is down to its last two, so the slow ones go to whoever is free. Before that,
nothing changes: each worker keeps its long runs of one module's tests and the module's fixtures.
"""

from xdist.scheduler import LoadScheduling

# More than the transactional tests at the end of the run (49 today), so that every one of them is handed out
# singly even after more are added.
TAIL = 150


class TailBalancedScheduling(LoadScheduling):
    def check_schedule(self, node, duration=0):
        if node.shutting_down or not self.pending or len(self.pending) > TAIL:
            super().check_schedule(node, duration)
        elif len(self.node2pending[node]) < 2:
            self._send_tests(node, 1)


def make_scheduler(config, log):
    """The scheduler for `-n` with the default distribution; any other --dist keeps pytest-xdist's own."""
    if config.getoption("dist", None) != "load":
        return None
    return TailBalancedScheduling(config, log)
