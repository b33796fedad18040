# tools/goldens/ram_goldens.py only. Minimal stand-in for the parts of transformers that CoZ's ram/models/bert_lora.py imports (no
# transformers on this machine). Only what the tagging path needs; semantics follow transformers 4.49.
class BertTokenizer:  # never constructed: the golden script replaces init_tokenizer
    pass
