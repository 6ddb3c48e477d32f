"""Small web apps the lessons serve for real (one module per concern, reused across lessons)."""
