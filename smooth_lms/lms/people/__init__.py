"""People as HR records them: Employee records (the two shared predicates: current staff, leavers) and
managers with their direct reports."""
