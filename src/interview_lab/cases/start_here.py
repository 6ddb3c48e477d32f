"""Hidden cases for the demo exercise in 00_start_here."""

from interview_lab.checks import Case, Exercise

EXERCISES = {
    "add": Exercise(cases=(
        Case(args=(1, 2), expected=3),
        Case(args=(-1, 1), expected=0),
        Case(args=("a", "b"), expected="ab", note="+ also joins strings"),
    )),
}
