"""Pandera models, one per table, named <Table>Schema. They also define the raw tables' columns."""
