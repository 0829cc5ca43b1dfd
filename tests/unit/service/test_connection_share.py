"""ConnectionShare: a worker above an even share of the open connections asks for one to close,
at most once per interval; at or below its share it never does."""

from __future__ import annotations

import time

from service.workers import ConnectionShare


class _State:
    def __init__(self, n: int) -> None:
        self.connections = set(range(n))


class _Server:
    def __init__(self, n: int) -> None:
        self.server_state = _State(n)


def test_only_a_worker_above_its_share_closes_and_not_too_often():
    counts = [0, 6]  # the other worker holds 6
    share = ConnectionShare(0, counts, interval_s=0.2)
    assert not share.should_close()  # not attached to a server yet
    share.server = _Server(10)  # 16 open in all: 8 each is fair
    assert share.should_close() and counts[0] == 10
    assert not share.should_close()  # again only after the interval
    time.sleep(0.25)
    assert share.should_close()
    share.server = _Server(8)
    counts[1] = 8
    time.sleep(0.25)
    assert not share.should_close()  # at its share (8 of 16)
    counts[1] = 7
    share.server = _Server(9)  # 16 in all, ceiling share 8
    time.sleep(0.25)
    assert share.should_close()
    counts[1] = 8
    assert ConnectionShare(1, [9, 8]).should_close() is False  # no server: nothing to judge
