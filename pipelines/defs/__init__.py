"""Dagster objects only, one folder per data layer. Loaded by `pipelines.definitions`."""
