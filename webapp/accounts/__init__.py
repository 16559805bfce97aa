"""Staff accounts: passwords, security codes, sign-in limits and the audit log.

Plain Python that knows nothing of Flask: functions take the database session,
the signed-in actor and the time explicitly, add and flush, and leave the
commit to the caller (a view or a command).
"""
