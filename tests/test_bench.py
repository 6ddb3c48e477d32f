"""Unit tests of interview_lab.bench: quick mode, timing, CPU per wall, table and chart."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import psutil  # noqa: E402
import pytest  # noqa: E402

from interview_lab import bench, workloads  # noqa: E402
from interview_lab.bench import Comparison, Timing  # noqa: E402

SPIN = 1_000_000  # about 0.05 s of pure-Python work on an idle core
POOL_SPIN = 2 * SPIN  # per worker: long enough that pool start-up is a small part


@pytest.mark.parametrize("value,quick", [
    ("1", True), ("true", True), ("TRUE", True), (" yes ", True), ("on", True),
    ("0", False), ("false", False), ("", False), ("no", False),
])
def test_size_follows_interview_lab_quick(monkeypatch, value, quick):
    monkeypatch.setenv(bench.QUICK_ENV, value)
    assert bench.is_quick() is quick
    assert bench.size(quick=10, full=1000) == (10 if quick else 1000)


def test_size_is_full_when_quick_is_unset(monkeypatch):
    monkeypatch.delenv(bench.QUICK_ENV, raising=False)
    assert bench.size(quick=0.5, full=2.5) == 2.5


def test_best_of_runs_warmups_untimed_and_returns_the_min_wall_run(monkeypatch):
    calls = []
    fake = iter([Timing(wall=0.30, cpu=0.01), Timing(wall=0.10, cpu=0.25),
                 Timing(wall=0.20, cpu=0.02)])

    def fake_timed(fn):
        return next(fake), fn()

    monkeypatch.setattr(bench, "timed", fake_timed)
    best = bench.best_of(lambda: calls.append(1), repeat=3, warmup=2)
    assert best == Timing(wall=0.10, cpu=0.25)  # chosen by wall time, not CPU
    assert len(calls) == 5  # 2 warm-ups + 3 timed runs


def test_best_of_with_real_timer_picks_the_fastest_of_uneven_runs():
    delays = iter([0.0, 0.12, 0.005, 0.1])  # first one is the warm-up
    best = bench.best_of(lambda: time.sleep(next(delays)), repeat=3, warmup=1)
    assert 0.004 <= best.wall < 0.08


def test_best_of_needs_at_least_one_run():
    with pytest.raises(ValueError):
        bench.best_of(lambda: None, repeat=0)


def test_timed_returns_the_result():
    timing, result = bench.timed(lambda: 6 * 7)
    assert result == 42 and timing.wall >= 0 and timing.cpu >= 0


def test_timed_counts_cpu_of_a_busy_loop():
    """A spin is all CPU: timed's CPU matches the process clock and CPU/wall nears 1.

    On a machine busy with other work a spin gets only part of a core (a quarter
    at a load of 9 on 2 cores), so the ratio is checked loosely; the exact check
    is against time.process_time().
    """
    ratios = []
    for _ in range(3):
        cpu0 = time.process_time()
        timing, _ = bench.timed(lambda: workloads.spin(SPIN))
        process_cpu = time.process_time() - cpu0
        assert timing.cpu == pytest.approx(process_cpu, rel=0.1, abs=0.01)
        ratios.append(timing.parallelism)
        if timing.parallelism > 0.8:
            break
    assert 0.1 < max(ratios) < 1.1, ratios


def test_timed_counts_almost_no_cpu_while_sleeping():
    timing, _ = bench.timed(lambda: time.sleep(0.1))
    assert timing.wall >= 0.09
    assert timing.parallelism < 0.2


def test_cpu_time_of_joined_child_processes_is_included():
    """Two spins on a process pool cost about twice one spin's CPU, all of it in children."""
    one, _ = bench.timed(lambda: workloads.spin(SPIN))
    pool, _ = bench.timed(lambda: workloads.run_batch("processes", workloads.spin, [SPIN, SPIN]))
    assert pool.cpu > 1.3 * one.cpu


@pytest.mark.serial  # needs both cores free: `make test` runs it in the quiet phase
def test_process_pool_of_two_spinning_workers_uses_more_than_one_core():
    if bench.cores() < 2:
        pytest.skip(f"needs 2 cores to run two workers at once, this machine has {bench.cores()}")
    attempts = []
    for _ in range(2):  # best of 2: a busy machine may take a core away for one attempt
        timing, spans = bench.timed(
            lambda: workloads.timeline("processes", workloads.spin, [POOL_SPIN, POOL_SPIN]))
        attempts.append((round(timing.parallelism, 2), round(workloads.busy_overlap(spans), 2)))
        if timing.parallelism > 1.2:
            return
    # The workers must at least have run at the same time; if they did and still got
    # about one core's worth of CPU, something else on the machine had the other core.
    assert max(overlap for _par, overlap in attempts) > 1.5, f"(CPU/wall, overlap): {attempts}"
    pytest.skip(f"two workers ran at once but shared one core (machine busy): {attempts}")


def test_parallelism_is_cpu_over_wall_and_zero_for_zero_wall():
    assert Timing(wall=2.0, cpu=3.0).parallelism == 1.5
    assert Timing(wall=0.0, cpu=1.0).parallelism == 0.0


def comparison() -> Comparison:
    return Comparison(
        title="threads vs processes",
        timings={
            "serial": Timing(wall=4.0, cpu=4.0),
            "threads": Timing(wall=4.0, cpu=4.1),
            "processes": Timing(wall=2.0, cpu=3.9),
        },
        repeat=3,
    )


def test_comparison_speedup_and_ratio_divide_wall_times():
    cmp = comparison()
    assert cmp.baseline == "serial"
    assert cmp.speedup("serial") == 1.0
    assert cmp.speedup("processes") == 2.0
    assert cmp.ratio("threads", "processes") == 2.0
    assert cmp.ratio("processes", "serial") == 0.5


def test_comparison_rows_carry_wall_cpu_parallelism_and_speedup():
    assert comparison().rows()[2] == ("processes", 2.0, 3.9, 1.95, 2.0)


def test_table_has_the_header_and_every_variant():
    text = comparison().table()
    lines = text.splitlines()
    assert lines[0] == "threads vs processes"
    assert "best of 3" in lines[1] and "cores" in lines[1] and "Python" in lines[1]
    assert lines[2].split() == ["variant", "wall", "s", "CPU", "s", "CPU/wall", "x", "serial"]
    for name in ("serial", "threads", "processes"):
        assert any(line.startswith(name) for line in lines[3:])
    assert lines[-1].split() == ["processes", "2.0000", "3.9000", "1.95", "2.00"]


def test_chart_returns_an_axes_with_one_bar_per_variant():
    fig, ax = plt.subplots()
    try:
        returned = comparison().chart(ax)
        assert returned is ax
        assert len(ax.patches) == 3
        assert [p.get_height() for p in ax.patches] == [4.0, 4.0, 2.0]
        assert [t.get_text() for t in ax.get_xticklabels()] == ["serial", "threads", "processes"]
        assert ax.get_title() == "threads vs processes"
        assert any("CPU/wall 1.95" in t.get_text() for t in ax.texts)
    finally:
        plt.close(fig)


def test_chart_makes_its_own_figure_when_given_no_axes():
    ax = comparison().chart()
    try:
        assert len(ax.patches) == 3
    finally:
        plt.close(ax.figure)


def test_compare_times_every_variant_and_keeps_the_first_as_baseline(monkeypatch, capsys):
    calls = {"a": 0, "b": 0}

    def variant(name):
        def run():
            calls[name] += 1
        return run

    cmp = bench.compare({"a": variant("a"), "b": variant("b")}, repeat=2, warmup=1,
                        title="t", progress=False)
    assert calls == {"a": 3, "b": 3}
    assert list(cmp.timings) == ["a", "b"] and cmp.baseline == "a" and cmp.repeat == 2
    assert capsys.readouterr().out == ""
    with pytest.raises(ValueError):
        bench.compare({})


def test_require_cores_prints_the_reason_when_too_few(monkeypatch, capsys):
    monkeypatch.setattr(bench, "cores", lambda: 1)
    assert bench.require_cores(2) is False
    assert capsys.readouterr().out == "skipped: this claim needs 2+ cores, this machine has 1\n"
    assert bench.require_cores(1) is True
    assert capsys.readouterr().out == ""


def test_require_free_cores_skips_saying_why_when_others_used_the_cores(monkeypatch, capsys):
    monkeypatch.setattr(bench, "cores", lambda: 2)
    assert bench.require_free_cores(2, other_cores=0.1) is True
    assert capsys.readouterr().out == ""
    assert bench.require_free_cores(1, other_cores=0.6) is False
    assert "other programs kept 0.60 cores busy" in capsys.readouterr().out
    assert bench.require_free_cores(2, other_cores=0.2, tolerance=0.15) is False
    assert bench.require_free_cores(3, other_cores=0.0) is False  # too few cores at all
    assert "needs 3+ cores" in capsys.readouterr().out


def test_other_load_is_the_machine_busy_time_minus_ours_per_wall_second(monkeypatch):
    busy, own, clock = iter([100.0, 103.0]), iter([10.0, 12.0]), iter([0.0, 2.0])
    monkeypatch.setattr(bench, "_machine_busy_seconds", lambda: next(busy))
    monkeypatch.setattr(bench, "cpu_seconds", lambda: next(own))
    monkeypatch.setattr(bench.time, "perf_counter", lambda: next(clock))
    with bench.OtherLoad() as load:
        pass
    assert load.cores == pytest.approx(0.5)  # 3 busy seconds, 2 of them ours, over 2 s


def test_other_load_reports_its_wall_time_and_the_cpu_of_the_servers_named_ours(monkeypatch):
    busy, own, clock = iter([100.0, 103.0]), iter([10.0, 12.0]), iter([0.0, 2.0])
    servers = iter([5.0, 5.5])
    monkeypatch.setattr(bench, "_machine_busy_seconds", lambda: next(busy))
    monkeypatch.setattr(bench, "cpu_seconds", lambda: next(own))
    monkeypatch.setattr(bench, "family_cpu_seconds", lambda pids: next(servers))
    monkeypatch.setattr(bench.time, "perf_counter", lambda: next(clock))
    with bench.OtherLoad(ours=[4242]) as load:
        pass
    assert (load.wall, load.ours_cpu) == (2.0, 0.5)
    assert load.cores == pytest.approx(0.25)  # 3 busy seconds: 2 ours, 0.5 the server's


def test_other_load_sees_a_process_we_did_not_start_or_wait_for():
    burner = subprocess.Popen([sys.executable, "-c", "import time\nt = time.time() + 0.6\n"
                               "while time.time() < t: pass"])
    try:
        with bench.OtherLoad() as load:
            time.sleep(0.4)  # we use no CPU; the burner uses one core
    finally:
        burner.wait(timeout=30)
    assert load.cores > 0.5, load.cores


def test_family_cpu_seconds_counts_a_child_that_already_finished():
    spin = "import time\nt = time.process_time() + 0.3\nwhile time.process_time() < t: pass"
    parent = subprocess.Popen([sys.executable, "-c",
                               "import subprocess, sys, time\n"
                               f"subprocess.run([sys.executable, '-c', {spin!r}])\n"
                               "print('done', flush=True)\ntime.sleep(30)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout.readline().strip() == "done"  # the child spun 0.3 s and was reaped
        assert psutil.Process(parent.pid).children() == []
        assert bench.family_cpu_seconds([parent.pid]) >= 0.3
        assert bench.family_cpu_seconds([]) == 0.0
    finally:
        parent.kill()
        parent.wait(timeout=30)


def test_other_load_counts_a_server_we_name_as_ours(monkeypatch):
    """A database or cache the benchmark talks to is part of the work, not another program."""
    burner = subprocess.Popen([sys.executable, "-c", "import time\nt = time.time() + 0.6\n"
                               "while time.time() < t: pass"])
    try:
        time.sleep(0.1)  # started and spinning

        def machine_busy() -> float:  # a machine where only the burner runs
            return sum(psutil.Process(burner.pid).cpu_times()[:2])

        monkeypatch.setattr(bench, "_machine_busy_seconds", machine_busy)
        with bench.OtherLoad(ours=[burner.pid, None]) as load:
            time.sleep(0.3)
    finally:
        burner.wait(timeout=30)
    assert load.cores < 0.1, load.cores


def test_cores_counts_the_cpus_this_process_may_use():
    assert 1 <= bench.cores() <= (os.cpu_count() or 1)


def test_loglog_slope_recovers_the_exponent_of_a_power_law():
    sizes = [10, 100, 1_000, 10_000]
    assert bench.loglog_slope(sizes, [3 * n for n in sizes]) == pytest.approx(1.0)
    assert bench.loglog_slope(sizes, [n * n for n in sizes]) == pytest.approx(2.0)
    assert bench.loglog_slope(sizes, [5.0 for _ in sizes]) == pytest.approx(0.0, abs=1e-9)


def test_seconds_per_call_uses_the_given_clock_and_divides_by_the_call_count():
    ticks = iter(range(1_000_000))
    fake_clock = lambda: float(next(ticks))  # noqa: E731 - every reading advances one "second"
    per_call = bench.seconds_per_call(lambda: None, repeat=3, budget=10, clock=fake_clock)
    # one trial call "takes" 1 s, so a 10 s budget means 10 calls per sample: 1 s / 10
    assert per_call == pytest.approx(0.1)


def test_peak_bytes_counts_what_the_call_holds_at_its_worst_and_returns_its_result():
    peak, result = bench.peak_bytes(lambda: len(bytearray(2_000_000)), repeat=2)
    assert result == 2_000_000
    assert 2_000_000 <= peak < 2_200_000
    small, _ = bench.peak_bytes(lambda: sum(range(1_000)), repeat=2)
    assert small < 10_000
