"""Bounds on untrusted input, in one place (profiles, weights files and checklists)."""

MAX_INPUT_BYTES = 1024 * 1024   # a profile or a checklist is a small text file
MAX_NODES = 100_000             # values after alias expansion ("billion laughs")
MAX_DEPTH = 64                  # nesting of YAML mappings and lists
