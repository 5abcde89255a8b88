"""Training assignments: the one creation path, the status engine, group assignment, and what HR records
by hand (completions done elsewhere, due date extensions)."""
