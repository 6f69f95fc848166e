"""hm-warehouse: the Python side of the H&M recommendations warehouse.

The data generator, the command line, and the ML helpers that the dbt Python
models call (so pytest can test them).
"""

__version__ = "0.1.0"
