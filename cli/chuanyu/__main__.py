"""`python -m chuanyu`."""

from chuanyu.entry import main

main()
