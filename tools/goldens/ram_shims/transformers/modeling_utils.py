import torch
import torch.nn as nn


class PreTrainedModel(nn.Module):
    def __init__(self, config, *a, **kw):
        super().__init__()
        self.config = config

    @property
    def dtype(self):
        return next(self.parameters()).dtype

    def init_weights(self):
        self.apply(self._init_weights)

    def get_head_mask(self, head_mask, num_hidden_layers, is_attention_chunked=False):
        assert head_mask is None
        return [None] * num_hidden_layers

    def invert_attention_mask(self, m):  # transformers 4.49 ModuleUtilsMixin.invert_attention_mask
        if m.dim() == 3:
            e = m[:, None, :, :]
        else:
            e = m[:, None, None, :]
        e = e.to(dtype=self.dtype)
        return (1.0 - e) * torch.finfo(self.dtype).min

    def resize_token_embeddings(self, n):
        old = self.get_input_embeddings()
        new = nn.Embedding(n, old.weight.shape[1], padding_idx=old.padding_idx)
        k = min(n, old.weight.shape[0])
        with torch.no_grad():
            new.weight[:k] = old.weight[:k]
        self.set_input_embeddings(new)
        self.config.vocab_size = n
        return new


def apply_chunking_to_forward(fn, chunk_size, chunk_dim, *inputs):
    assert chunk_size == 0
    return fn(*inputs)


def find_pruneable_heads_and_indices(*a, **k):
    raise NotImplementedError


def prune_linear_layer(*a, **k):
    raise NotImplementedError
