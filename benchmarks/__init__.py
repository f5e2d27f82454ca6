"""Performance benchmarks of the capacity dashboard (issue 10): `make bench` runs them.

Five stages, each measured against the targets the issue sets:

- `ingestion`: 1,000 generated questionnaires validated, scored and stored in SQLite,
  compared in the same run with reading the same files with python-calamine only (the
  floor) and with pandas + openpyxl (the usual tool); plus the CLI with 1 and 2 workers.
- `dashboard`: each board page's data and figures at 200 and 2,000 organisations, cold
  (caches cleared) and warm (what a rerun served from `st.cache_data` costs), and the
  peak memory of the process doing it.
- `scorecards`: one Excel and one PDF scorecard, and a batch of 100 PDFs on every core.
- `browser`: headless Chromium against `streamlit run app.py`, from clicking a page in
  the menu to every chart drawn.
- `scale` (only with `--only scale`): the dashboard stage's pages at 2,000 and 20,000
  organisations on SQLite and PostgreSQL, on databases `bulk` writes directly and caches.

Everything runs on data the demo generator writes into a temporary directory, so the
suite works on a clean clone. The table goes to stdout, progress to stderr, and the
figures with the machine they came from to `benchmarks/results.json`. Output is for
developers, in English, so it does not go through the translation layer.
"""
