"""Review campaigns: who reviews which articles, how many per article, by when, and editors' rulings."""
