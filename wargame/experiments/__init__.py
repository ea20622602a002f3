"""Many bot-played games: plans, runs (local or on Dask), rows, summaries and plots."""
