def named_apply(*a, **k):
    raise NotImplementedError
def adapt_input_conv(*a, **k):
    raise NotImplementedError
