"""Interview Lab: helpers the lesson notebooks import.

Lesson text lives in the notebooks; this package holds only code that is worth
testing on its own (quiz engine, exercise checks, benchmark helpers, workloads).
"""

__version__ = "0.1.0"
