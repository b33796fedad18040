// One block per row: a strided pass accumulates the sum of squares in fp32, a block reduction gives
// rsqrt(mean + eps), a second pass writes weight * storage(x * r) with the storage type's rounding
// between the two products (transformers: weight * hidden.to(input_dtype)).
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "kernels/cuda_types.cuh"
#include "kernels/rms_norm_cuda.h"

namespace coz::kernels {
namespace {

constexpr int kThreads = 256;

// The sum of every thread's s over a block of kThreads threads (warp shuffles, then one warp over
// the warps' sums), returned to every thread.
__device__ __forceinline__ float block_sum(float s) {
  __shared__ float red[kThreads / 32];
  for (int o = 16; o > 0; o >>= 1) s += __shfl_xor_sync(0xffffffffu, s, o);
  if ((threadIdx.x & 31) == 0) red[threadIdx.x >> 5] = s;
  __syncthreads();
  if (threadIdx.x < 32) {
    s = threadIdx.x < kThreads / 32 ? red[threadIdx.x] : 0.f;
    for (int o = 16; o > 0; o >>= 1) s += __shfl_xor_sync(0xffffffffu, s, o);
    if (threadIdx.x == 0) red[0] = s;
  }
  __syncthreads();
  return red[0];
}

template <typename T>
__global__ void rms_norm_kernel(const T* __restrict__ x, const T* __restrict__ res, T* __restrict__ sum, T* __restrict__ y,
                                const T* __restrict__ w, int64_t n, float eps) {
  const T* row = x + blockIdx.x * n;
  T* out = y + blockIdx.x * n;
  // With a residual, each thread first stores its elements of x + residual (rounded like a LibTorch
  // add) and later reads back only those same elements.
  if (res) {
    const T* rr = res + blockIdx.x * n;
    T* ss = sum + blockIdx.x * n;
    for (int64_t i = threadIdx.x; i < n; i += kThreads) ss[i] = from_f<T>(to_f(row[i]) + to_f(rr[i]));
    row = ss;
  }
  float s = 0.f;
  for (int64_t i = threadIdx.x; i < n; i += kThreads) {
    const float v = to_f(row[i]);
    s += v * v;
  }
  const float r = rsqrtf(block_sum(s) / static_cast<float>(n) + eps);
  for (int64_t i = threadIdx.x; i < n; i += kThreads) {
    const T h = from_f<T>(to_f(row[i]) * r);
    out[i] = from_f<T>(to_f(w[i]) * to_f(h));
  }
}

// The same arithmetic for rows of at most kThreads * kMaxVec 16-byte vectors (2048-wide bf16 rows:
// one vector a thread): every load of the row (x, residual, weight) is issued at once and the sum
// stays in registers, instead of three strided passes that each wait on memory once per element
// group. Only the order of the fp32 sum of squares differs from rms_norm_kernel.
constexpr int kMaxVec = 4;

template <typename T>
__global__ void __launch_bounds__(kThreads) rms_norm_vec_kernel(const T* __restrict__ x, const T* __restrict__ res,
                                                                T* __restrict__ sum, T* __restrict__ y,
                                                                const T* __restrict__ w, int64_t n, float eps) {
  constexpr int V = 16 / sizeof(T);
  const int64_t nv = n / V, off = static_cast<int64_t>(blockIdx.x) * nv;
  const uint4* xr = reinterpret_cast<const uint4*>(x) + off;
  const uint4* rr = res ? reinterpret_cast<const uint4*>(res) + off : nullptr;
  const uint4* wr = reinterpret_cast<const uint4*>(w);
  uint4 xv[kMaxVec], rv[kMaxVec], wv[kMaxVec];
#pragma unroll
  for (int k = 0; k < kMaxVec; ++k) {
    const int64_t i = threadIdx.x + static_cast<int64_t>(k) * kThreads;
    if (i < nv) {
      xv[k] = xr[i];
      if (rr) rv[k] = rr[i];
      wv[k] = __ldg(wr + i);
    }
  }
  float v[kMaxVec][V];
  float s = 0.f;
#pragma unroll
  for (int k = 0; k < kMaxVec; ++k) {
    const int64_t i = threadIdx.x + static_cast<int64_t>(k) * kThreads;
    if (i >= nv) continue;
    const T* xe = reinterpret_cast<const T*>(&xv[k]);
    const T* re = reinterpret_cast<const T*>(&rv[k]);
    uint4 packed;
    T* pe = reinterpret_cast<T*>(&packed);
#pragma unroll
    for (int u = 0; u < V; ++u) {
      float t = to_f(xe[u]);
      if (rr) {
        pe[u] = from_f<T>(t + to_f(re[u]));
        t = to_f(pe[u]);
      }
      v[k][u] = t;
      s += t * t;
    }
    if (rr) reinterpret_cast<uint4*>(sum)[off + i] = packed;
  }
  const float r = rsqrtf(block_sum(s) / static_cast<float>(n) + eps);
#pragma unroll
  for (int k = 0; k < kMaxVec; ++k) {
    const int64_t i = threadIdx.x + static_cast<int64_t>(k) * kThreads;
    if (i >= nv) continue;
    const T* we = reinterpret_cast<const T*>(&wv[k]);
    uint4 packed;
    T* pe = reinterpret_cast<T*>(&packed);
#pragma unroll
    for (int u = 0; u < V; ++u) pe[u] = from_f<T>(to_f(we[u]) * to_f(from_f<T>(v[k][u] * r)));
    reinterpret_cast<uint4*>(y)[off + i] = packed;
  }
}

bool aligned16(const void* p) { return reinterpret_cast<uintptr_t>(p) % 16 == 0; }

}  // namespace

const char* rms_norm_rows(const RmsNormArgs& a) {
  if (a.rows <= 0 || a.n <= 0) return nullptr;
  auto stream = static_cast<cudaStream_t>(a.stream);
  const dim3 grid(static_cast<unsigned>(a.rows));
  const int64_t elems = 16 / (a.dtype == DType::F32 ? 4 : 2);
  const bool vec = a.n % elems == 0 && a.n / elems <= static_cast<int64_t>(kThreads) * kMaxVec && aligned16(a.x) &&
                   aligned16(a.y) && aligned16(a.weight) && (!a.residual || (aligned16(a.residual) && aligned16(a.sum)));
  if (vec) {
    switch (a.dtype) {
      case DType::F32:
        rms_norm_vec_kernel<float><<<grid, kThreads, 0, stream>>>(
            static_cast<const float*>(a.x), static_cast<const float*>(a.residual), static_cast<float*>(a.sum),
            static_cast<float*>(a.y), static_cast<const float*>(a.weight), a.n, a.eps);
        break;
      case DType::F16:
        rms_norm_vec_kernel<__half><<<grid, kThreads, 0, stream>>>(
            static_cast<const __half*>(a.x), static_cast<const __half*>(a.residual), static_cast<__half*>(a.sum),
            static_cast<__half*>(a.y), static_cast<const __half*>(a.weight), a.n, a.eps);
        break;
      case DType::BF16:
        rms_norm_vec_kernel<__nv_bfloat16><<<grid, kThreads, 0, stream>>>(
            static_cast<const __nv_bfloat16*>(a.x), static_cast<const __nv_bfloat16*>(a.residual),
            static_cast<__nv_bfloat16*>(a.sum), static_cast<__nv_bfloat16*>(a.y),
            static_cast<const __nv_bfloat16*>(a.weight), a.n, a.eps);
        break;
    }
    const cudaError_t e = cudaGetLastError();
    return e == cudaSuccess ? nullptr : cudaGetErrorString(e);
  }
  switch (a.dtype) {
    case DType::F32:
      rms_norm_kernel<float><<<grid, kThreads, 0, stream>>>(static_cast<const float*>(a.x), static_cast<const float*>(a.residual),
                                                           static_cast<float*>(a.sum), static_cast<float*>(a.y),
                                                           static_cast<const float*>(a.weight), a.n, a.eps);
      break;
    case DType::F16:
      rms_norm_kernel<__half><<<grid, kThreads, 0, stream>>>(static_cast<const __half*>(a.x), static_cast<const __half*>(a.residual),
                                                            static_cast<__half*>(a.sum), static_cast<__half*>(a.y),
                                                            static_cast<const __half*>(a.weight), a.n, a.eps);
      break;
    case DType::BF16:
      rms_norm_kernel<__nv_bfloat16><<<grid, kThreads, 0, stream>>>(
          static_cast<const __nv_bfloat16*>(a.x), static_cast<const __nv_bfloat16*>(a.residual),
          static_cast<__nv_bfloat16*>(a.sum), static_cast<__nv_bfloat16*>(a.y), static_cast<const __nv_bfloat16*>(a.weight),
          a.n, a.eps);
      break;
  }
  const cudaError_t e = cudaGetLastError();
  return e == cudaSuccess ? nullptr : cudaGetErrorString(e);
}

}  // namespace coz::kernels
