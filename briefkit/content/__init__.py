"""What a brief says: figures of a pair, the guards and rules that turn them into claims, the
wording templates, sections, notes, tables and charts, and the claims ledger.

    figures.py     derived figures of a pair, each a Value with its source rows
    guards.py      named checks a judgement must pass (both reporters agree, same source, ...)
    rules/         sentence rules: figures → variables for a template, or nothing
    templates/     sentences/*.j2 (wording) and html/*.j2 (the brief's HTML, autoescaped)
    sections.py    the house order of sections and what each drafts
    placeholders.py  analyst prose and its {{ placeholders }}
    document.py    the whole brief drafted and numbered once
    html.py, ledger.py, notes.py, tables.py, charts.py, numbers.py, front.py, settings.py

Nothing here switches matplotlib's backend: charts are drawn on Figure objects without pyplot.
"""
