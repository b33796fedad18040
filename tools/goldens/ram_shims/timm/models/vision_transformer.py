def _cfg(*a, **k):
    return {}
class PatchEmbed:
    pass
