"""The relevance query set (queries.tsv) and its measurement over both search engines (issue 9)."""
