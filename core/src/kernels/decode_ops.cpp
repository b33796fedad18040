#include "kernels/decode_ops.h"

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#ifdef COZ_CUDA_KERNELS
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "kernels/decode_cuda.h"
#include "kernels/dtype.h"
#endif

namespace coz::kernels {

bool rope_cache_decode(const torch::Tensor& qkv, const torch::Tensor& cos, const torch::Tensor& sin,
                       torch::Tensor& q_out, torch::Tensor& k_cache, torch::Tensor& v_cache, const torch::Tensor& pos,
                       int64_t heads, int64_t kv_heads, int64_t head_dim) {
#ifdef COZ_CUDA_KERNELS
  DType dt;
  if (!qkv.is_cuda() || !kernel_dtype(qkv, dt) || head_dim > 1024 || head_dim % 2) return false;
  for (const torch::Tensor* t : std::initializer_list<const torch::Tensor*>{&qkv, &cos, &sin, &q_out, &k_cache, &v_cache})
    if (!t->is_contiguous() || t->scalar_type() != qkv.scalar_type() || t->device() != qkv.device()) return false;
  if (qkv.numel() != (heads + 2 * kv_heads) * head_dim || cos.numel() != head_dim || sin.numel() != head_dim ||
      q_out.numel() != heads * head_dim || pos.scalar_type() != torch::kInt64 || pos.device() != qkv.device() ||
      k_cache.dim() < 3 || k_cache.size(-1) != head_dim || k_cache.sizes() != v_cache.sizes())
    return false;
  const c10::cuda::CUDAGuard guard(qkv.device());
  RopeCacheArgs a;
  a.qkv = qkv.data_ptr();
  a.cos = cos.data_ptr();
  a.sin = sin.data_ptr();
  a.q_out = q_out.data_ptr();
  a.k_cache = k_cache.data_ptr();
  a.v_cache = v_cache.data_ptr();
  a.pos = pos.data_ptr<int64_t>();
  a.dtype = dt;
  a.heads = static_cast<int>(heads);
  a.kv_heads = static_cast<int>(kv_heads);
  a.head_dim = static_cast<int>(head_dim);
  a.capacity = k_cache.size(-2);
  a.stream = c10::cuda::getCurrentCUDAStream(qkv.device().index()).stream();
  if (const char* err = kernels::rope_cache_decode(a)) throw std::runtime_error(std::string("RoPE CUDA kernel failed: ") + err);
  return true;
#else
  (void)qkv, (void)cos, (void)sin, (void)q_out, (void)k_cache, (void)v_cache, (void)pos, (void)heads, (void)kv_heads,
      (void)head_dim;
  return false;
#endif
}

torch::Tensor silu_mul(const torch::Tensor& gate_up) {
#ifdef COZ_CUDA_KERNELS
  DType dt;
  if (!gate_up.is_cuda() || !gate_up.is_contiguous() || !kernel_dtype(gate_up, dt) || gate_up.size(-1) % 2) return {};
  const c10::cuda::CUDAGuard guard(gate_up.device());
  auto sizes = gate_up.sizes().vec();
  sizes.back() /= 2;
  auto out = torch::empty(sizes, gate_up.options());
  SiluMulArgs a;
  a.gate_up = gate_up.data_ptr();
  a.out = out.data_ptr();
  a.dtype = dt;
  a.n = sizes.back();
  a.rows = out.numel() / a.n;
  a.stream = c10::cuda::getCurrentCUDAStream(gate_up.device().index()).stream();
  if (const char* err = silu_mul_rows(a)) throw std::runtime_error(std::string("SiLU-mul CUDA kernel failed: ") + err);
  return out;
#else
  (void)gate_up;
  return {};
#endif
}

torch::Tensor decode_attention(const torch::Tensor& q, const torch::Tensor& k_cache, const torch::Tensor& v_cache,
                               const torch::Tensor& pos, double scale) {
#ifdef COZ_CUDA_KERNELS
  DType dt;
  if (!q.is_cuda() || !kernel_dtype(q, dt) || q.dim() != 4 || k_cache.dim() != 4 || q.size(0) != 1 || q.size(2) != 1 ||
      k_cache.size(0) != 1 || k_cache.sizes() != v_cache.sizes() || k_cache.size(3) != q.size(3) || (q.size(3) != 64 && q.size(3) != 128) ||
      q.size(1) % k_cache.size(1) || q.size(1) / k_cache.size(1) > kDecodeMaxGroup)
    return {};
  for (const torch::Tensor* t : std::initializer_list<const torch::Tensor*>{&q, &k_cache, &v_cache})
    if (!t->is_contiguous() || t->scalar_type() != q.scalar_type() || t->device() != q.device()) return {};
  if (pos.scalar_type() != torch::kInt64 || pos.device() != q.device() || pos.numel() != 1) return {};
  for (const torch::Tensor* t : std::initializer_list<const torch::Tensor*>{&q, &k_cache, &v_cache})
    if (reinterpret_cast<uintptr_t>(t->data_ptr()) % 16) return {};  // the kernel's 16-byte loads
  const c10::cuda::CUDAGuard guard(q.device());
  const int64_t hd = q.size(3), kvh = k_cache.size(1), group = q.size(1) / kvh, cap = k_cache.size(2);
  auto out = torch::empty_like(q);
  auto partial = torch::empty({kvh, decode_chunks(cap), group, hd + 2}, q.options().dtype(torch::kFloat32));
  DecodeAttentionArgs a;
  a.q = q.data_ptr();
  a.k_cache = k_cache.data_ptr();
  a.v_cache = v_cache.data_ptr();
  a.pos = pos.data_ptr<int64_t>();
  a.out = out.data_ptr();
  a.partial = partial.data_ptr<float>();
  a.dtype = dt;
  a.kv_heads = static_cast<int>(kvh);
  a.group = static_cast<int>(group);
  a.head_dim = static_cast<int>(hd);
  a.capacity = cap;
  a.scale = static_cast<float>(scale);
  a.stream = c10::cuda::getCurrentCUDAStream(q.device().index()).stream();
  if (const char* err = kernels::decode_attention(a))
    throw std::runtime_error(std::string("decode attention CUDA kernel failed: ") + err);
  return out;
#else
  (void)q, (void)k_cache, (void)v_cache, (void)pos, (void)scale;
  return {};
#endif
}

torch::Tensor gemv(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b, int loads) {
#ifdef COZ_CUDA_KERNELS
  DType dt;
  if (!x.is_cuda() || !kernel_dtype(x, dt) || dt == DType::F32 || x.dim() < 1 || w.dim() != 2) return {};
  const int64_t k = x.size(-1), n = w.size(0);
  if (x.numel() != k || w.size(1) != k || k % 8 || !x.is_contiguous() || !w.is_contiguous() ||
      w.scalar_type() != x.scalar_type() || w.device() != x.device())
    return {};
  if (b.defined() && (b.numel() != n || !b.is_contiguous() || b.scalar_type() != x.scalar_type() || b.device() != x.device()))
    return {};
  if (reinterpret_cast<uintptr_t>(x.data_ptr()) % 16 || reinterpret_cast<uintptr_t>(w.data_ptr()) % 16) return {};
  const c10::cuda::CUDAGuard guard(x.device());
  auto sizes = x.sizes().vec();
  sizes.back() = n;
  auto y = torch::empty(sizes, x.options());
  GemvArgs a;
  a.x = x.data_ptr();
  a.w = w.data_ptr();
  a.bias = b.defined() ? b.data_ptr() : nullptr;
  a.y = y.data_ptr();
  a.dtype = dt;
  a.n = n;
  a.k = k;
  static const int env_loads = [] {
    const char* v = std::getenv("COZ_GEMV_LOADS");
    return v && std::string(v) == "8" ? 8 : 4;
  }();
  a.loads = loads == 4 || loads == 8 ? loads : env_loads;
  a.stream = c10::cuda::getCurrentCUDAStream(x.device().index()).stream();
  if (const char* err = kernels::gemv(a)) throw std::runtime_error(std::string("GEMV CUDA kernel failed: ") + err);
  return y;
#else
  (void)x, (void)w, (void)b, (void)loads;
  return {};
#endif
}

}  // namespace coz::kernels
