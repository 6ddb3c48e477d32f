"""Unit tests of interview_lab.workloads: results, pools, start methods, timelines, races."""

from __future__ import annotations

import hashlib
import multiprocessing
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import threading
from concurrent.futures import ProcessPoolExecutor

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from interview_lab import leftovers, workloads  # noqa: E402
from interview_lab.workloads import Span  # noqa: E402


@pytest.mark.parametrize("limit,count", [(0, 0), (2, 0), (3, 1), (10, 4), (100, 25), (1000, 168)])
def test_count_primes_counts_primes_below_the_limit(limit, count):
    assert workloads.count_primes(limit) == count


def test_spin_and_sha256_rounds_compute_their_documented_values():
    assert workloads.spin(7) == sum(i % 7 for i in range(7)) == 21
    assert workloads.sha256_rounds(1000, 3) == hashlib.sha256(b"x" * 1000).hexdigest()
    assert workloads.wait_io(0.001) == 0.001


@pytest.mark.parametrize("kind", ["serial", "threads", "processes"])
def test_run_batch_gives_the_same_results_in_input_order(kind):
    limits = [500, 10, 300, 2, 100]
    assert workloads.run_batch(kind, workloads.count_primes, limits) == [95, 4, 62, 0, 25]


def test_run_batch_accepts_any_iterable_and_an_empty_batch():
    assert workloads.run_batch("threads", workloads.count_primes, iter([10, 100])) == [4, 25]
    assert workloads.run_batch("processes", workloads.count_primes, []) == []


def test_run_batch_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="'fibers'"):
        workloads.run_batch("fibers", workloads.count_primes, [10])


@pytest.fixture
def pool_helpers_stopped(monkeypatch):
    """Spawn and forkserver pools start a resource tracker (and a fork server) that live
    as long as the test process. Keep them free of the run marker, so the per-notebook
    leftover check does not blame a notebook for them, and stop them afterwards."""
    monkeypatch.delenv(leftovers.MARKER_ENV, raising=False)
    yield
    for helper in (multiprocessing.forkserver._forkserver,
                   multiprocessing.resource_tracker._resource_tracker):
        stop = getattr(helper, "_stop", None)
        if stop is not None:
            stop()


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_workloads_are_importable_by_spawn_and_forkserver_workers(method, pool_helpers_stopped):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"start method {method} is not available on this platform")
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        assert pool.submit(workloads.count_primes, 100).result(timeout=60) == 25
        span = pool.submit(workloads.traced, ("t", workloads.count_primes, 100)).result(timeout=60)
    assert isinstance(span, Span) and span.label == "t"
    assert span.pid != os.getpid()
    assert span.start <= span.end


def test_serial_timeline_spans_are_well_formed_and_back_to_back():
    spans = workloads.timeline("serial", workloads.wait_io, [0.02, 0.02, 0.02])
    assert [s.label for s in spans] == ["task 0", "task 1", "task 2"]
    assert {s.pid for s in spans} == {os.getpid()}
    assert {s.thread for s in spans} == {threading.get_ident()}
    for s in spans:
        assert s.end - s.start >= 0.015
    for before, after in zip(spans, spans[1:], strict=False):
        assert after.start >= before.end
    assert 0.5 < workloads.busy_overlap(spans) <= 1.0


def test_thread_timeline_overlaps_sleeping_tasks():
    spans = workloads.timeline("threads", workloads.wait_io, [0.1, 0.1], workers=2)
    assert len({s.thread for s in spans}) == 2
    assert workloads.busy_overlap(spans) > 1.3


def test_process_timeline_runs_in_worker_processes():
    spans = workloads.timeline("processes", workloads.count_primes, [200, 200])
    assert os.getpid() not in {s.pid for s in spans}
    assert all(s.start <= s.end for s in spans)


def span(start: float, end: float, label: str = "t") -> Span:
    return Span(label, 1, 1, start, end)


def test_busy_overlap_is_one_for_back_to_back_spans():
    assert workloads.busy_overlap([span(0.0, 1.0), span(1.0, 2.0), span(2.0, 3.0)]) == 1.0


def test_busy_overlap_is_two_for_fully_overlapping_spans():
    assert workloads.busy_overlap([span(5.0, 6.0), span(5.0, 6.0)]) == 2.0
    assert workloads.busy_overlap([span(0.0, 1.0), span(0.5, 1.0)]) == 1.5


def test_busy_overlap_of_instant_spans_is_zero():
    assert workloads.busy_overlap([span(1.0, 1.0)]) == 0.0


def test_peak_overlap_counts_the_most_spans_at_one_instant():
    assert workloads.peak_overlap([span(0.0, 1.0), span(1.0, 2.0), span(2.0, 3.0)]) == 1
    assert workloads.peak_overlap([span(0.0, 1.0), span(0.5, 1.5), span(0.9, 2.0)]) == 3
    assert workloads.peak_overlap([]) == 0


def test_peak_overlap_sees_staggered_waits_all_in_progress_where_the_average_does_not():
    staggered = [span(0.01 * i, 0.01 * i + 0.1) for i in range(8)]  # started over 70 ms
    assert workloads.peak_overlap(staggered) == 8
    assert workloads.busy_overlap(staggered) < 0.6 * 8


def test_threads_waiting_on_io_are_all_in_progress_at_once():
    spans = workloads.timeline("threads", workloads.wait_io, [0.5] * 8, workers=8)
    assert workloads.peak_overlap(spans) == 8


def test_plot_timelines_draws_one_bar_per_task_and_one_row_per_worker():
    runs = {
        "serial": [Span("a", 1, 1, 0.0, 1.0), Span("b", 1, 1, 1.0, 2.0)],
        "threads": [Span("a", 1, 2, 0.0, 1.0), Span("b", 1, 3, 0.0, 1.0)],
    }
    fig, ax = plt.subplots()
    try:
        assert workloads.plot_timelines(runs, ax=ax, title="demo") is ax
        assert len(ax.patches) == 4
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels == ["serial w0", "threads w0", "threads w1"]
        assert ax.get_title() == "demo"
    finally:
        plt.close(fig)


def test_unsafe_increment_loses_updates_with_four_threads():
    counter = workloads.Counter()
    workloads.start_threads(workloads.unsafe_increment, [(counter, 200)] * 4)
    assert 0 < counter.value < 800


def test_locked_increment_loses_no_update():
    counter, lock = workloads.Counter(), threading.Lock()
    workloads.start_threads(workloads.locked_increment, [(counter, 200, lock)] * 4)
    assert counter.value == 800


def test_start_threads_runs_every_target_and_waits_for_all():
    seen, lock = [], threading.Lock()

    def record(n):
        with lock:
            seen.append(n)

    workloads.start_threads(record, [(1,), (2,), (3,)])
    assert sorted(seen) == [1, 2, 3]
