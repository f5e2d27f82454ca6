"""The improvement plan: an organisation's gaps turned into dated actions, and whether they worked.

`actions` records the plan (managers write it for their own organisations, evaluators
comment, boards read; every change on the audit trail); `figures` makes its numbers:
each action's indicator before and after the next round, the share of actions done on
time, and the mean change of indicators with a completed action against those without.
Pages, scorecards and the command line only show these figures; none computes its own.
"""
