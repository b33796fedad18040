// The backbone and prompt-source families built into the engine. Each lives in its own file; builtin.cpp lists them.
#pragma once
#include <memory>
#include <vector>

#include "coz/engine.h"

namespace coz::families {

std::shared_ptr<const BackboneFamily> baseline_family();  // bicubic, nearest (no files)
std::shared_ptr<const BackboneFamily> esrgan_family();    // esrgan-thick|medium|slim|gans (TF.js, UpscalerJS)
std::shared_ptr<const BackboneFamily> sd3_family();       // sd3-osediff (SD3 medium + CoZ LoRAs)

std::shared_ptr<const PromptSourceFamily> null_prompt_family();  // null: the user's text alone
std::shared_ptr<const PromptSourceFamily> dape_prompt_family();  // dape: RAM Swin-L tags + CoZ's DAPE LoRA
std::shared_ptr<const PromptSourceFamily> vlm_prompt_family();   // vlm: Qwen2.5-VL-3B-Instruct's set of words

std::vector<std::shared_ptr<const BackboneFamily>> builtin_backbone_families();
std::vector<std::shared_ptr<const PromptSourceFamily>> builtin_prompt_families();

}  // namespace coz::families
