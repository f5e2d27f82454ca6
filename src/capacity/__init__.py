"""Humanitarian Diplomacy Capacity: framework, questionnaires, scoring, storage and exports.

The library never imports streamlit: the pages and the CLI are thin layers over it.
"""

__version__ = "0.1.0"
