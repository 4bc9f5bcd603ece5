"""`python -m chuanyu`."""

from chuanyu.cli import main

main()
