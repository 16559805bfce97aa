"""Adherence, the FLS audit indicators and the nurse's worklist.

Pure measures (`facts`, `coverage`, `measures`, `kpis`, `clinic`, `worklist`, `summary`)
take a `PatientFacts` snapshot and `today` and know nothing of Flask or the
database; the modules that read and write rows (`loading`, `refresh`,
`overview`, `worklist_queries`) feed them and store what they return.
"""
