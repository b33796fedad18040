// GroupNorm (+ SiLU) over channels-last activations: [N, HW, C] rows of C contiguous channels, the
// layout the SD3 VAE's convolutions run fastest in. Statistics are accumulated in fp32 whatever the
// storage type, per channel with a per-channel shift (the sample's first pixel) and combined per group
// with Chan's formula, so large means do not cancel; the affine and SiLU are applied in one pass.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>

#include "kernels/cuda_types.cuh"
#include "kernels/group_norm_cuda.h"

namespace coz::kernels {
namespace {

// 16 bytes of T moved as one load/store.
template <typename T>
struct alignas(16) Vec {
  static constexpr int N = 16 / sizeof(T);
  T v[N];
};

// Pass 1: per (sample, chunk of rows, channel) the shifted sum and sum of squares.
// Block = rows_par x vpr threads; thread (r, lane) covers channels [lane*VEC, lane*VEC+VEC) of rows
// r, r+rows_par, ... of the chunk. part layout: [N][chunks][C][2].
template <typename T>
__global__ void partial_stats(const T* __restrict__ x, float* __restrict__ part, int64_t hw, int c, int64_t rows_per_chunk) {
  using V = Vec<T>;
  constexpr int VEC = V::N;
  extern __shared__ float smem[];  // [rows_par][c][2]
  const int vpr = c / VEC, rows_par = blockDim.x / vpr;
  const int lane = threadIdx.x % vpr, r = threadIdx.x / vpr;
  const int n = blockIdx.y, chunk = blockIdx.x, chunks = gridDim.x;
  const T* xs = x + static_cast<int64_t>(n) * hw * c;
  const V pivot = reinterpret_cast<const V*>(xs)[lane];
  float s[VEC], q[VEC], shift[VEC];
#pragma unroll
  for (int j = 0; j < VEC; ++j) s[j] = q[j] = 0.f, shift[j] = to_f(pivot.v[j]);
  const int64_t r0 = chunk * rows_per_chunk, r1 = min(hw, r0 + rows_per_chunk);
  for (int64_t row = r0 + r; row < r1; row += rows_par) {
    const V v = reinterpret_cast<const V*>(xs + row * c)[lane];
#pragma unroll
    for (int j = 0; j < VEC; ++j) {
      const float d = to_f(v.v[j]) - shift[j];
      s[j] += d;
      q[j] = fmaf(d, d, q[j]);
    }
  }
#pragma unroll
  for (int j = 0; j < VEC; ++j) {
    smem[(r * c + lane * VEC + j) * 2] = s[j];
    smem[(r * c + lane * VEC + j) * 2 + 1] = q[j];
  }
  __syncthreads();
  for (int ch = threadIdx.x; ch < c; ch += blockDim.x) {
    float ss = 0.f, qq = 0.f;
    for (int k = 0; k < rows_par; ++k) ss += smem[(k * c + ch) * 2], qq += smem[(k * c + ch) * 2 + 1];
    float* out = part + ((static_cast<int64_t>(n) * chunks + chunk) * c + ch) * 2;
    out[0] = ss;
    out[1] = qq;
  }
}

// Pass 2: one block per (group, sample). Per channel: count, mean and M2 from the partials; per
// group: Chan's parallel combination; then each channel's fused scale and shift.
template <typename T>
__global__ void finalize(const T* __restrict__ x, const float* __restrict__ part, const T* __restrict__ w,
                         const T* __restrict__ b, float2* __restrict__ ss, int64_t hw, int c, int groups, int chunks, float eps) {
  extern __shared__ double dsm[];  // [blockDim][2] partial sums, then [cg][2] channel mean and M2
  __shared__ double g_mean, g_rstd;
  const int g = blockIdx.x, n = blockIdx.y, cg = c / groups;
  const double cnt = static_cast<double>(hw);
  // blockDim.x / cg threads per channel walk the chunks (group_norm_supported keeps cg <= 256).
  const int per = blockDim.x / cg, k = threadIdx.x % cg;
  double s = 0.0, q = 0.0;
  if (static_cast<int>(threadIdx.x) < per * cg)
    for (int j = threadIdx.x / cg; j < chunks; j += per) {
      const float* p = part + ((static_cast<int64_t>(n) * chunks + j) * c + g * cg + k) * 2;
      s += p[0];
      q += p[1];
    }
  dsm[threadIdx.x * 2] = s;
  dsm[threadIdx.x * 2 + 1] = q;
  __syncthreads();
  double cm = 0.0, cm2 = 0.0;
  if (static_cast<int>(threadIdx.x) < cg) {
    double ts = 0.0, tq = 0.0;
    for (int t = threadIdx.x; t < per * cg; t += cg) ts += dsm[t * 2], tq += dsm[t * 2 + 1];
    const double shift = to_f(x[static_cast<int64_t>(n) * hw * c + g * cg + threadIdx.x]);
    cm = shift + ts / cnt;
    cm2 = fmax(tq - ts * ts / cnt, 0.0);
  }
  __syncthreads();
  if (static_cast<int>(threadIdx.x) < cg) dsm[threadIdx.x * 2] = cm, dsm[threadIdx.x * 2 + 1] = cm2;
  __syncthreads();
  if (threadIdx.x == 0) {
    double mean = 0.0;
    for (int i = 0; i < cg; ++i) mean += dsm[i * 2];
    mean /= cg;
    double m2 = 0.0;
    for (int i = 0; i < cg; ++i) {
      const double d = dsm[i * 2] - mean;
      m2 += dsm[i * 2 + 1] + cnt * d * d;
    }
    g_mean = mean;
    g_rstd = 1.0 / sqrt(m2 / (cnt * cg) + static_cast<double>(eps));
  }
  __syncthreads();
  for (int i = threadIdx.x; i < cg; i += blockDim.x) {
    const int ch = g * cg + i;
    const float scale = static_cast<float>(to_f(w[ch]) * g_rstd);
    ss[static_cast<int64_t>(n) * c + ch] = make_float2(scale, static_cast<float>(to_f(b[ch]) - g_mean * scale));
  }
}

// Pass 3: y = x * scale + shift (then SiLU), 16 bytes per thread per iteration.
template <typename T, bool SILU>
__global__ void apply(const T* __restrict__ x, T* __restrict__ y, const float2* __restrict__ ss, int64_t vectors, int64_t hwc, int c) {
  using V = Vec<T>;
  constexpr int VEC = V::N;
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < vectors;
       i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int64_t e = i * VEC;
    const int64_t n = e / hwc;
    const int c0 = static_cast<int>(e % c);
    const V v = reinterpret_cast<const V*>(x)[i];
    V o;
#pragma unroll
    for (int j = 0; j < VEC; ++j) {
      const float2 p = ss[n * c + c0 + j];
      float t = fmaf(to_f(v.v[j]), p.x, p.y);
      if (SILU) t = t / (1.f + __expf(-t));
      o.v[j] = from_f<T>(t);
    }
    reinterpret_cast<V*>(y)[i] = o;
  }
}

template <typename T>
void launch(const GroupNormArgs& a) {
  constexpr int VEC = Vec<T>::N;
  auto stream = static_cast<cudaStream_t>(a.stream);
  const int vpr = static_cast<int>(a.c / VEC);
  const int rows_par = std::max(1, 256 / vpr);
  const int threads = vpr * rows_par;
  const int chunks = static_cast<int>(group_norm_chunks(a.n, a.hw));
  const int64_t rows_per_chunk = (a.hw + chunks - 1) / chunks;
  const auto* x = static_cast<const T*>(a.x);
  float* part = a.scratch;
  auto* ss = reinterpret_cast<float2*>(a.scratch + a.n * chunks * a.c * 2);
  partial_stats<T><<<dim3(chunks, static_cast<unsigned>(a.n)), threads, sizeof(float) * rows_par * a.c * 2, stream>>>(
      x, part, a.hw, static_cast<int>(a.c), rows_per_chunk);
  finalize<T><<<dim3(static_cast<unsigned>(a.groups), static_cast<unsigned>(a.n)), 256, sizeof(double) * 256 * 2, stream>>>(
      x, part, static_cast<const T*>(a.weight), static_cast<const T*>(a.bias), ss, a.hw, static_cast<int>(a.c),
      static_cast<int>(a.groups), chunks, a.eps);
  const int64_t vectors = a.n * a.hw * a.c / VEC;
  const int blocks = static_cast<int>(std::min<int64_t>((vectors + 255) / 256, 132 * 16));
  if (a.silu)
    apply<T, true><<<blocks, 256, 0, stream>>>(x, static_cast<T*>(a.y), ss, vectors, a.hw * a.c, static_cast<int>(a.c));
  else
    apply<T, false><<<blocks, 256, 0, stream>>>(x, static_cast<T*>(a.y), ss, vectors, a.hw * a.c, static_cast<int>(a.c));
}

}  // namespace

int64_t group_norm_chunks(int64_t n, int64_t hw) {
  // About two blocks per multiprocessor of a large GPU in pass 1, never more chunks than rows.
  return std::max<int64_t>(1, std::min<int64_t>(hw, (264 + n - 1) / n));
}

int64_t group_norm_scratch_floats(int64_t n, int64_t hw, int64_t c) { return n * group_norm_chunks(n, hw) * c * 2 + n * c * 2; }

bool group_norm_supported(int dtype_bytes, int64_t c, int64_t groups) {
  const int64_t vec = 16 / dtype_bytes;
  return groups > 0 && c % groups == 0 && c % vec == 0 && c / vec <= 1024 && (c / groups) <= 256;
}

const char* group_norm_nhwc(const GroupNormArgs& a) {
  switch (a.dtype) {
    case DType::F32: launch<float>(a); break;
    case DType::F16: launch<__half>(a); break;
    case DType::BF16: launch<__nv_bfloat16>(a); break;
  }
  const cudaError_t e = cudaGetLastError();
  return e == cudaSuccess ? nullptr : cudaGetErrorString(e);
}

}  // namespace coz::kernels
