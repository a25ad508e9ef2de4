"""
Values whose methods raise or lie: the package must read them by the
built-in types' own methods, and name them in bounded messages.
"""


class HostileInt(int):
    def __repr__(self):
        raise RuntimeError("repr")

    __str__ = __repr__

    def bit_length(self):
        raise RuntimeError("bit_length")

    def __index__(self):
        raise RuntimeError("index")

    def __int__(self):
        raise RuntimeError("int")

    def __eq__(self, other):
        raise RuntimeError("eq")

    __hash__ = int.__hash__


class HostileStr(str):
    def __repr__(self):
        raise RuntimeError("repr")

    def __getitem__(self, item):
        raise RuntimeError("getitem")

    def __len__(self):
        raise RuntimeError("len")

    def strip(self, *a):
        raise RuntimeError("strip")

    def __eq__(self, other):
        raise RuntimeError("eq")

    __hash__ = str.__hash__


class HostileMap(dict):
    def items(self):
        raise RuntimeError("items")

    def __iter__(self):
        raise RuntimeError("iter")

    def __len__(self):
        raise RuntimeError("len")


class HostileList(list):
    def __iter__(self):
        raise RuntimeError("iter")

    def __len__(self):
        raise RuntimeError("len")

    def __repr__(self):
        raise RuntimeError("repr")
