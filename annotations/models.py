"""Flags, annotations and reviews arrive with the reviewer workspace."""
