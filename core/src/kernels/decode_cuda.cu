#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "kernels/cuda_types.cuh"
#include "kernels/decode_cuda.h"

namespace coz::kernels {
namespace {

// The value a LibTorch op of storage type T leaves: computed in fp32, stored as T.
template <typename T> __device__ __forceinline__ float r(float v) { return to_f(from_f<T>(v)); }

// One block per head (q heads, k heads, v heads), one thread per dimension.
template <typename T>
__global__ void rope_cache_kernel(const T* __restrict__ qkv, const T* __restrict__ cos, const T* __restrict__ sin,
                                  T* __restrict__ q_out, T* __restrict__ kc, T* __restrict__ vc,
                                  const int64_t* __restrict__ pos, int heads, int kv_heads, int hd, int64_t cap) {
  const int b = blockIdx.x, d = threadIdx.x, half = hd / 2;
  const int64_t p = *pos;
  const T* src = qkv + static_cast<int64_t>(b) * hd;
  if (b >= heads + kv_heads) {
    vc[(static_cast<int64_t>(b - heads - kv_heads) * cap + p) * hd + d] = src[d];
    return;
  }
  const float x = to_f(src[d]);
  const float rot = d < half ? -to_f(src[d + half]) : to_f(src[d - half]);
  const T y = from_f<T>(r<T>(x * to_f(cos[d])) + r<T>(rot * to_f(sin[d])));
  if (b < heads) q_out[static_cast<int64_t>(b) * hd + d] = y;
  else kc[(static_cast<int64_t>(b - heads) * cap + p) * hd + d] = y;
}

template <typename T>
__global__ void silu_mul_kernel(const T* __restrict__ gu, T* __restrict__ out, int64_t rows, int64_t n) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= rows * n) return;
  const int64_t row = i / n, col = i - row * n;
  const float g = to_f(gu[row * 2 * n + col]);
  const float s = r<T>(g / (1.0f + expf(-g)));
  out[i] = from_f<T>(s * to_f(gu[row * 2 * n + n + col]));
}

const char* last_error() {
  const cudaError_t e = cudaGetLastError();
  return e == cudaSuccess ? nullptr : cudaGetErrorString(e);
}

}  // namespace

const char* rope_cache_decode(const RopeCacheArgs& a) {
  auto s = static_cast<cudaStream_t>(a.stream);
  const dim3 grid(static_cast<unsigned>(a.heads + 2 * a.kv_heads)), block(static_cast<unsigned>(a.head_dim));
#define COZ_ROPE(T)                                                                                               \
  rope_cache_kernel<T><<<grid, block, 0, s>>>(static_cast<const T*>(a.qkv), static_cast<const T*>(a.cos),        \
                                              static_cast<const T*>(a.sin), static_cast<T*>(a.q_out),             \
                                              static_cast<T*>(a.k_cache), static_cast<T*>(a.v_cache), a.pos,      \
                                              a.heads, a.kv_heads, a.head_dim, a.capacity)
  switch (a.dtype) {
    case DType::F32: COZ_ROPE(float); break;
    case DType::F16: COZ_ROPE(__half); break;
    case DType::BF16: COZ_ROPE(__nv_bfloat16); break;
  }
#undef COZ_ROPE
  return last_error();
}

const char* silu_mul_rows(const SiluMulArgs& a) {
  if (a.rows <= 0 || a.n <= 0) return nullptr;
  auto s = static_cast<cudaStream_t>(a.stream);
  const int64_t total = a.rows * a.n;
  const dim3 grid(static_cast<unsigned>((total + 255) / 256)), block(256);
  switch (a.dtype) {
    case DType::F32:
      silu_mul_kernel<float><<<grid, block, 0, s>>>(static_cast<const float*>(a.gate_up), static_cast<float*>(a.out), a.rows, a.n);
      break;
    case DType::F16:
      silu_mul_kernel<__half><<<grid, block, 0, s>>>(static_cast<const __half*>(a.gate_up), static_cast<__half*>(a.out), a.rows, a.n);
      break;
    case DType::BF16:
      silu_mul_kernel<__nv_bfloat16><<<grid, block, 0, s>>>(static_cast<const __nv_bfloat16*>(a.gate_up),
                                                             static_cast<__nv_bfloat16*>(a.out), a.rows, a.n);
      break;
  }
  return last_error();
}

}  // namespace coz::kernels
