"""Scripted-caller dialogue runner (issue 10): YAML dialogues said to the real agent with the real
LLM, judged on the final calendar state, wrong bookings, loops and reply language.

suite.py loads and validates dialogue files, runner.py talks to the agent, calendar_check.py
compares the calendar with what the caller meant, report.py summarises results for
scripts/bench-dialogues. Only public APIs of `receptionist` are used, so an older checkout can be
measured too (`scripts/bench-dialogues --repo PATH`).
"""
