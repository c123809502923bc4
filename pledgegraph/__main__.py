"""``python -m pledgegraph`` runs the command-line interface."""

from pledgegraph.cli import main

if __name__ == "__main__":
    main()
