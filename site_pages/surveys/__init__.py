"""征集调查: the public form and results (public), one answer per visitor (visitor), admin results and export."""
