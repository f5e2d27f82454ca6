"""Organisations as records and assessment rounds (issue 18).

`register` keeps the organisations (who may be assessed, under which name), `states`
says where an organisation stands in a round from what is stored, `rounds` opens,
closes and reports rounds, and `checklist` tells a manager what is still missing.
"""
