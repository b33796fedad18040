from collections import OrderedDict


class ModelOutput(OrderedDict):
    def __init__(self, **kw):
        super().__init__((k, v) for k, v in kw.items() if v is not None)
        for k, v in kw.items():
            object.__setattr__(self, k, v)

    def __getitem__(self, k):
        if isinstance(k, int):
            return self.to_tuple()[k]
        return super().__getitem__(k)

    def to_tuple(self):
        return tuple(self.values())
