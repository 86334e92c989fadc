"""``python -m normalize`` runs the ``mtnorm`` command line."""

from normalize.cli import main

if __name__ == "__main__":
    main()
