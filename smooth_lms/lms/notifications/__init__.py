"""Notifications: the one email sender, learner emails (assigned, due soon, overdue, expiring, expired) and
the managers' opt-in overdue digest."""
