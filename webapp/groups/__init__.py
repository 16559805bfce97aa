"""Support group listings: search, validation, CSV import and export, meeting dates, calendar files.

Plain services that know nothing of Flask: they take a database session and
explicit arguments (`today` included) and never commit; the view, command or
job that calls them commits once.
"""
