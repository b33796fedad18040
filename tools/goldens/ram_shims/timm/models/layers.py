# Stand-ins for the timm helpers CoZ's Swin imports; DropPath is identity in eval (the only mode used).
import torch
import torch.nn as nn


class DropPath(nn.Module):
    def __init__(self, p=0.0):
        super().__init__()
        self.p = p

    def forward(self, x):
        assert not self.training or self.p == 0.0
        return x


def to_2tuple(x):
    return tuple(x) if isinstance(x, (list, tuple)) else (x, x)


def trunc_normal_(t, mean=0.0, std=1.0, a=-2.0, b=2.0):
    return nn.init.trunc_normal_(t, mean, std, a, b)
