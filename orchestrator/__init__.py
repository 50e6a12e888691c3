"""Orchestrator: compiles published scenario versions and runs conversations through them,
block by block. The step core is pure: no I/O, state in and state out."""
