from .file_utils import ModelOutput
class BaseModelOutputWithPastAndCrossAttentions(ModelOutput): pass
class BaseModelOutputWithPoolingAndCrossAttentions(ModelOutput): pass
class CausalLMOutputWithCrossAttentions(ModelOutput): pass
class MaskedLMOutput(ModelOutput): pass
class MultipleChoiceModelOutput(ModelOutput): pass
class NextSentencePredictorOutput(ModelOutput): pass
class QuestionAnsweringModelOutput(ModelOutput): pass
class SequenceClassifierOutput(ModelOutput): pass
class TokenClassifierOutput(ModelOutput): pass
