"""Streamlit glue shared by the pages: language, the signed-in user, cached data access.

It lives outside `src/capacity` because the library never imports streamlit; it holds no
scoring logic, only what every page would otherwise repeat.
"""
