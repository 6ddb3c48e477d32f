"""Hidden exercise cases, one module per lesson topic (the stem without its number).

Each module defines ``EXERCISES: dict[str, checks.Exercise]``; the solution
notebooks call ``checks.run(stem, name, func)`` to use them.
"""
