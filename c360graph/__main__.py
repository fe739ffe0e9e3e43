"""`python -m c360graph` runs the `c360` command."""

from c360graph.cli import main

main()
