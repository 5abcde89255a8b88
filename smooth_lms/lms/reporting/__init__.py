"""What HR reads: training rows and their summary (the API's), compliance counts, the workspace cards."""
