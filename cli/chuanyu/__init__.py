"""chuanyu: who is responsible for what in joint Chongqing–Sichuan policy documents."""

__version__ = "0.1.0"
