"""The run's scheduler hands the last tests out one at a time (tests/scheduling.py)."""

from types import SimpleNamespace

from tests import scheduling


class Config:
    def __init__(self, dist="load"):
        self.options = {"maxschedchunk": None, "dist": dist}

    def getoption(self, name, default=None):
        return self.options.get(name, default)

    def getvalue(self, name):
        return ["3*popen"] if name == "tx" else None


class Worker:
    shutting_down = False

    def __init__(self, name):
        self.gateway = SimpleNamespace(id=name)
        self.batches = []

    def send_runtest_some(self, indices):
        self.batches.append(list(indices))

    def shutdown(self):
        self.shutting_down = True


def started(total):
    scheduler = scheduling.make_scheduler(Config(), None)
    workers = [Worker(f"gw{n}") for n in range(3)]
    for worker in workers:
        scheduler.add_node(worker)
        scheduler.add_node_collection(worker, [f"test_{n}" for n in range(total)])
    scheduler.schedule()
    return scheduler, workers


def finish_one(scheduler, worker):
    scheduler.mark_test_complete(worker, scheduler.node2pending[worker][0], duration=5.0)


def test_other_distributions_keep_xdists_scheduler():
    assert scheduling.make_scheduler(Config(dist="loadfile"), None) is None
    assert isinstance(scheduling.make_scheduler(Config(), None), scheduling.TailBalancedScheduling)


def test_in_the_tail_a_free_worker_gets_the_next_test_and_nothing_queues_behind_a_busy_one():
    scheduler, (busy, *free) = started(scheduling.TAIL)
    initial = {worker: len(worker.batches[0]) for worker in (busy, *free)}
    while scheduler.pending:
        for worker in free:
            finish_one(scheduler, worker)
    # Only the free workers took the rest, one test at a time, each when down to its last two.
    assert len(busy.batches) == 1 and len(scheduler.node2pending[busy]) == initial[busy]
    for worker in free:
        assert worker.batches[1:] and all(len(batch) == 1 for batch in worker.batches[1:])
        assert len(scheduler.node2pending[worker]) <= 2
    # A worker running out once nothing is pending is told to stop.
    for worker in free:
        while scheduler.node2pending[worker]:
            finish_one(scheduler, worker)
        assert worker.shutting_down


def test_before_the_tail_workers_are_refilled_in_batches():
    scheduler, (worker, *_rest) = started(scheduling.TAIL * 20)
    while len(worker.batches) == 1:
        finish_one(scheduler, worker)
    assert len(worker.batches[1]) > 2
