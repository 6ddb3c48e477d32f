"""Unit tests of interview_lab.checks: hidden cases, messages, time limits."""

from __future__ import annotations

import re
import signal
import sys
import threading
import time
import types

import pytest

from interview_lab import checks
from interview_lab.checks import Case, CheckFailed, Exercise, TimeLimitExceeded

STEM = "99_labtest"
LIMIT = 1.0  # generous: a loaded CI machine can pause a process for a few hundred ms


def _needs_even(result, args):
    return None if result % 2 == 0 else f"{result} is odd"


def _check_sorts(func):
    if func([3, 1, 2]) != [1, 2, 3]:
        raise CheckFailed("sort([3, 1, 2]) is not [1, 2, 3]")


@pytest.fixture(autouse=True)
def fake_cases(monkeypatch):
    """Register interview_lab.cases.labtest, as a real cases module would."""
    exercises = {
        "double": Exercise(cases=(
            Case(args=([1, 2],), expected=[1, 2, 1, 2]),
            Case(args=([],), expected=[]),
        ), time_limit=LIMIT),
        "halve": Exercise(cases=(Case(args=(3,), kwargs={"exact": True}, expected=1.5,
                                      note="true division"),), time_limit=LIMIT),
        "pair": Exercise(cases=(Case(args=(1, 2), expected=[1, 2]),), time_limit=LIMIT),
        "even": Exercise(cases=(Case(args=(3,), verify=_needs_even),), time_limit=LIMIT),
        "sort": Exercise(check=_check_sorts, cases=(Case(args=([2, 1],), expected=[1, 2]),),
                         time_limit=LIMIT),
    }
    module = types.ModuleType("interview_lab.cases.labtest")
    module.EXERCISES = exercises
    monkeypatch.setitem(sys.modules, "interview_lab.cases.labtest", module)
    return exercises


def test_exercises_of_finds_the_cases_module_by_topic_with_or_without_number():
    assert set(checks.exercises_of(STEM)) == {"double", "halve", "pair", "even", "sort"}
    assert checks.exercises_of("labtest") == checks.exercises_of(STEM)


def test_passing_function_returns_the_case_count_and_prints_a_tick(capsys):
    assert checks.run(STEM, "double", lambda xs: xs * 2) == 2
    assert capsys.readouterr().out == "✔ double: passed 2 hidden checks\n"


def test_quiet_run_prints_nothing(capsys):
    assert checks.run(STEM, "double", lambda xs: xs * 2, quiet=True) == 2
    assert capsys.readouterr().out == ""


def test_wrong_result_names_the_call_its_input_expected_and_got(capsys):
    with pytest.raises(CheckFailed) as info:
        checks.run(STEM, "double", lambda xs: xs + [0])
    message = str(info.value)
    assert "double([1, 2])" in message
    assert "expected: [1, 2, 1, 2]" in message
    assert "got:      [1, 2, 0]" in message
    assert "✔" not in capsys.readouterr().out


def test_message_shows_kwargs_and_the_case_note():
    with pytest.raises(CheckFailed) as info:
        checks.run(STEM, "halve", lambda n, exact: n // 2)
    assert "halve(3, exact=True) (true division)" in str(info.value)


def test_not_implemented_stub_passes_through_untouched():
    def stub(xs):
        raise NotImplementedError("your code here")

    with pytest.raises(NotImplementedError, match="your code here") as info:
        checks.run(STEM, "double", stub)
    assert not isinstance(info.value, CheckFailed)


def test_exception_in_the_learners_function_becomes_check_failed_naming_it():
    with pytest.raises(CheckFailed, match=r"double\(\[1, 2\]\) raised ZeroDivisionError") as info:
        checks.run(STEM, "double", lambda xs: 1 / 0)
    assert isinstance(info.value.__cause__, ZeroDivisionError)


def test_infinite_loop_ends_with_time_limit_exceeded_near_the_limit():
    def forever(xs):
        while True:
            pass

    start = time.perf_counter()
    with pytest.raises(TimeLimitExceeded, match=r"double\(\[1, 2\]\) did not finish within 1 s"):
        checks.run(STEM, "double", forever)
    elapsed = time.perf_counter() - start
    assert LIMIT * 0.8 <= elapsed < LIMIT + 1.5
    assert issubclass(TimeLimitExceeded, CheckFailed)


def test_time_limit_interrupts_a_sleep_and_restores_the_previous_handler():
    before = signal.getsignal(signal.SIGALRM)
    start = time.perf_counter()
    with pytest.raises(TimeLimitExceeded):
        checks.run(STEM, "double", lambda xs: time.sleep(10))
    assert time.perf_counter() - start < LIMIT + 1.5
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_limit_outside_the_main_thread_runs_without_a_limit():
    results = []
    thread = threading.Thread(target=lambda: results.append(
        checks.call_limited(lambda a: a + 1, (1,), {}, 0.01, "inc(1)")))
    thread.start()
    thread.join(5)
    assert results == [2]


def test_inputs_are_deep_copied_so_a_mutating_function_does_not_change_the_message(fake_cases):
    def mutate(xs):
        xs.append(99)
        return xs

    with pytest.raises(CheckFailed) as info:
        checks.run(STEM, "double", mutate)
    assert "double([1, 2])" in str(info.value)
    assert "got:      [1, 2, 99]" in str(info.value)
    assert fake_cases["double"].cases[0].args == ([1, 2],)  # the hidden case is untouched


def test_verify_accepts_results_it_approves_of():
    assert checks.run(STEM, "even", lambda n: n * 2, quiet=True) == 1


def test_verify_rejection_names_call_result_and_problem():
    with pytest.raises(CheckFailed, match=r"even\(3\) returned 3: 3 is odd"):
        checks.run(STEM, "even", lambda n: n)


def test_verify_gets_the_original_arguments_not_the_mutated_copy():
    seen = []
    exercise = Exercise(cases=(Case(args=([1],), verify=lambda r, a: seen.append(a)),))
    checks.run_case("grow", lambda xs: xs.append(2), exercise.cases[0], LIMIT)
    assert seen == [([1],)]


def test_check_function_runs_before_the_cases_and_counts_as_one():
    assert checks.run(STEM, "sort", sorted, quiet=True) == 2


def test_check_function_failure_is_reported():
    with pytest.raises(CheckFailed, match="is not"):
        checks.run(STEM, "sort", lambda xs: xs)


def test_check_function_error_becomes_check_failed_and_stub_passes_through():
    with pytest.raises(CheckFailed, match="sort raised TypeError"):
        checks.run(STEM, "sort", lambda: None)

    def stub(xs):
        raise NotImplementedError

    with pytest.raises(NotImplementedError):
        checks.run(STEM, "sort", stub)


def test_tuple_instead_of_list_fails_the_type_check():
    with pytest.raises(CheckFailed) as info:
        checks.run(STEM, "pair", lambda a, b: (a, b))
    assert "expected: [1, 2]" in str(info.value) and "got:      (1, 2)" in str(info.value)


@pytest.mark.parametrize("got", [True, 1.0])
def test_equal_value_of_another_type_fails(got):
    with pytest.raises(CheckFailed):
        checks.run_case("one", lambda: got, Case(expected=1), LIMIT)


def test_unknown_exercise_name_raises_key_error_listing_known_names():
    with pytest.raises(KeyError) as info:
        checks.run(STEM, "tripple", lambda xs: xs * 3)
    message = info.value.args[0]
    assert "'tripple'" in message
    assert "['double', 'even', 'halve', 'pair', 'sort']" in message


def test_non_callable_answer_fails_clearly():
    with pytest.raises(CheckFailed, match="expected a function for double, got list"):
        checks.run(STEM, "double", [1, 2])


def test_exercise_needs_cases_or_a_check():
    with pytest.raises(ValueError):
        Exercise()


def test_describe_call_shortens_long_arguments():
    call = Case(args=(list(range(100)),), kwargs={"k": "v"}).describe_call("f")
    assert call.startswith("f([0, 1, 2") and call.endswith("...), k='v')")
    assert len(call) < 100


def test_expect_raise_returns_the_expected_exception():
    error = checks.expect_raise(ValueError, lambda: int("x"), "int('x')")
    assert isinstance(error, ValueError) and "invalid literal" in str(error)


@pytest.mark.parametrize("fn, message", [
    (lambda: 42, "f(): expected ValueError, but it returned 42"),
    (lambda: {}["k"], "f(): expected ValueError, got KeyError: 'k'"),
    (lambda: int("x"), "does not mention 'port'"),
])
def test_expect_raise_fails_on_a_return_another_exception_or_the_wrong_message(fn, message):
    with pytest.raises(CheckFailed, match=re.escape(message)):
        checks.expect_raise(ValueError, fn, "f()", mentions="port")


def test_expect_raise_lets_a_stub_and_a_failed_check_through():
    def stub():
        raise NotImplementedError
    with pytest.raises(NotImplementedError):
        checks.expect_raise(ValueError, stub, "stub()")
    with pytest.raises(CheckFailed, match="inner"):
        checks.expect_raise(ValueError, lambda: checks.expect_raise(KeyError, lambda: 1, "inner"),
                            "outer")
