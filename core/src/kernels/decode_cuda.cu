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

// acc[g] += src[g] * x for the G query heads of a group, 16-byte shared-memory loads where G allows.
template <int G>
__device__ __forceinline__ void fma_heads(float (&acc)[G], const float* src, float x) {
  if constexpr (G >= 4) {
#pragma unroll
    for (int g = 0; g < G; g += 4) {
      const float4 v = *reinterpret_cast<const float4*>(src + g);
      acc[g] += v.x * x, acc[g + 1] += v.y * x, acc[g + 2] += v.z * x, acc[g + 3] += v.w * x;
    }
  } else {
#pragma unroll
    for (int g = 0; g < G; ++g) acc[g] += src[g] * x;
  }
}

// Split-KV decode attention, phase 1: block (chunk of kDecodeChunk = 32 slots, key/value head),
// 128 threads; G = the query heads per key/value head rounded up to a power of two (the extra heads
// are zero and never written). Every global load of the block is issued up front and independent
// of the others (the group's queries, 4 threads' 16-byte slices of each key row, each thread's
// column of the 32 value rows), so the block waits for memory once instead of once per slot.
// Queries and scores sit in shared memory head-minor ([dimension][G], [slot][G]) so one 16-byte
// load serves four heads. Scores: 4 threads a slot, combined by shuffles; softmax: a warp per query
// head, one lane a slot; values: a thread a dimension. Writes the chunk's max, sum and unnormalised
// weighted values per query head.
template <typename T, int HD, int G>
__global__ void __launch_bounds__(128) attn_partial_kernel(const T* __restrict__ q, const T* __restrict__ kc,
                                                           const T* __restrict__ vc, const int64_t* __restrict__ pos,
                                                           float* __restrict__ part, int group, int64_t cap, float scale) {
  constexpr int C = kDecodeChunk, V = 16 / sizeof(T), NV = HD / V, PER = NV / 4;
  static_assert(C == 32 && NV % 4 == 0 && HD <= 128 && G <= kDecodeMaxGroup, "one lane a slot, 4 threads a key row");
  const int chunk = blockIdx.x, kvh = blockIdx.y, tid = threadIdx.x, chunks = gridDim.x;
  const int64_t n = *pos + 1, start = static_cast<int64_t>(chunk) * C;
  if (start >= n) return;
  const int len = static_cast<int>(n - start < C ? n - start : C);
  __shared__ __align__(16) float qs[HD * G];
  __shared__ __align__(16) float ps[C * G];
  __shared__ float mx[G], sm[G];

  const int j = tid >> 2, p = tid & 3;
  const T* krow = kc + (static_cast<int64_t>(kvh) * cap + start + j) * HD;
  uint4 kr[PER];
#pragma unroll
  for (int i = 0; i < PER; ++i)
    kr[i] = j < len ? __ldg(reinterpret_cast<const uint4*>(krow + (p + 4 * i) * V)) : make_uint4(0, 0, 0, 0);
  float vv[C];
  const T* vcol = vc + (static_cast<int64_t>(kvh) * cap + start) * HD + tid;
#pragma unroll
  for (int s = 0; s < C; ++s) vv[s] = tid < HD && s < len ? to_f(vcol[static_cast<int64_t>(s) * HD]) : 0.f;
  const T* qh = q + static_cast<int64_t>(kvh) * group * HD;
  for (int i = tid; i < G * NV; i += blockDim.x) {
    const int g = i / NV, d0 = (i % NV) * V;
    uint4 raw = make_uint4(0, 0, 0, 0);
    if (g < group) raw = __ldg(reinterpret_cast<const uint4*>(qh) + i);
    const T* e = reinterpret_cast<const T*>(&raw);
#pragma unroll
    for (int u = 0; u < V; ++u) qs[(d0 + u) * G + g] = to_f(e[u]);
  }
  __syncthreads();

  float sc[G];
#pragma unroll
  for (int g = 0; g < G; ++g) sc[g] = 0.f;
#pragma unroll
  for (int i = 0; i < PER; ++i) {
    const T* e = reinterpret_cast<const T*>(&kr[i]);
#pragma unroll
    for (int u = 0; u < V; ++u) fma_heads<G>(sc, qs + ((p + 4 * i) * V + u) * G, to_f(e[u]));
  }
#pragma unroll
  for (int g = 0; g < G; ++g) {
    sc[g] += __shfl_xor_sync(0xffffffffu, sc[g], 1);
    sc[g] += __shfl_xor_sync(0xffffffffu, sc[g], 2);
  }
  if (p == 0 && j < len) {
#pragma unroll
    for (int g = 0; g < G; ++g) ps[j * G + g] = sc[g] * scale;
  }
  __syncthreads();

  const int warp = tid >> 5, lane = tid & 31;
  for (int g = warp; g < group; g += blockDim.x >> 5) {
    const float v = lane < len ? ps[lane * G + g] : -INFINITY;
    float m = v;
    for (int o = 16; o > 0; o >>= 1) m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, o));
    const float e = lane < len ? expf(v - m) : 0.f;
    ps[lane * G + g] = e;
    float l = e;
    for (int o = 16; o > 0; o >>= 1) l += __shfl_xor_sync(0xffffffffu, l, o);
    if (lane == 0) mx[g] = m, sm[g] = l;
  }
  __syncthreads();

  float* out = part + (static_cast<int64_t>(kvh) * chunks + chunk) * group * (HD + 2);
  if (tid < HD) {
    float acc[G];
#pragma unroll
    for (int g = 0; g < G; ++g) acc[g] = 0.f;
#pragma unroll
    for (int s = 0; s < C; ++s) fma_heads<G>(acc, ps + s * G, vv[s]);
#pragma unroll
    for (int g = 0; g < G; ++g)
      if (g < group) out[g * (HD + 2) + tid] = acc[g];
  }
  if (tid < group) out[tid * (HD + 2) + HD] = mx[tid], out[tid * (HD + 2) + HD + 1] = sm[tid];
}

// Phase 2: block per query head, a thread per dimension. Each thread first issues the loads of its
// dimension's partial values (up to 32 chunks at once), then warp 0 turns the chunks' maxima into
// weights in shared memory (a lane a chunk) while those loads are in flight: the block waits for
// memory about twice instead of once per chunk.
template <typename T>
__global__ void __launch_bounds__(128) attn_combine_kernel(const float* __restrict__ part, const int64_t* __restrict__ pos,
                                                           T* __restrict__ out, int group, int hd, int chunks) {
  extern __shared__ float wsh[];  // [chunks] weights, then the normaliser
  constexpr int kFirst = 32;
  const int h = blockIdx.x, kvh = h / group, g = h % group, tid = threadIdx.x;
  const int64_t n = *pos + 1;
  const int used = static_cast<int>((n + kDecodeChunk - 1) / kDecodeChunk);
  const float* base = part + static_cast<int64_t>(kvh) * chunks * group * (hd + 2) + g * (hd + 2);
  const int64_t stride = static_cast<int64_t>(group) * (hd + 2);
  float pv[kFirst];
#pragma unroll
  for (int c = 0; c < kFirst; ++c) pv[c] = tid < hd && c < used ? base[c * stride + tid] : 0.f;
  if (tid < 32) {
    float m = -INFINITY;
    for (int c = tid; c < used; c += 32) m = fmaxf(m, base[c * stride + hd]);
    for (int o = 16; o > 0; o >>= 1) m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, o));
    float l = 0.f;
    for (int c = tid; c < used; c += 32) {
      const float w = expf(base[c * stride + hd] - m);
      wsh[c] = w;
      l += w * base[c * stride + hd + 1];
    }
    for (int o = 16; o > 0; o >>= 1) l += __shfl_xor_sync(0xffffffffu, l, o);
    if (tid == 0) wsh[chunks] = l;
  }
  __syncthreads();
  if (tid >= hd) return;
  float acc = 0.f;
#pragma unroll
  for (int c = 0; c < kFirst; ++c)
    if (c < used) acc += wsh[c] * pv[c];
#pragma unroll 8
  for (int c = kFirst; c < used; ++c) acc += wsh[c] * base[c * stride + tid];
  out[static_cast<int64_t>(h) * hd + tid] = from_f<T>(acc / wsh[chunks]);
}

// Two packed half-precision values as floats; Pair<T> is T's two-value type.
__device__ __forceinline__ float2 to_f2(__nv_bfloat162 v) { return __bfloat1622float2(v); }
__device__ __forceinline__ float2 to_f2(__half2 v) { return __half22float2(v); }
template <typename T> struct Pair;
template <> struct Pair<__nv_bfloat16> { using type = __nv_bfloat162; };
template <> struct Pair<__half> { using type = __half2; };

// The fp32 dot product of two 16-byte vectors of eight half-precision values.
template <typename T>
__device__ __forceinline__ float dot16(const uint4& a, const uint4& b) {
  const auto* x = reinterpret_cast<const typename Pair<T>::type*>(&a);
  const auto* y = reinterpret_cast<const typename Pair<T>::type*>(&b);
  float s = 0.f;
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const float2 p = to_f2(x[i]), r = to_f2(y[i]);
    s = fmaf(p.x, r.x, s);
    s = fmaf(p.y, r.y, s);
  }
  return s;
}

constexpr int kGemvWarps = 8;

// One warp per output row; each lane issues U 16-byte weight loads (streamed past the caches: every
// weight is read once per token) and the matching loads of x (which stays cached) before it uses
// any of them. Past the end of the row the loads are predicated off and count as zero. U = 4 is the
// default: on the H200, U = 8 (a 2048-wide row in one wait) measured slower (the whole decode step
// 333 against 355 tokens/s; coz_cuda_check --time compares the two per shape).
template <typename T, int U>
__global__ void gemv_kernel(const T* __restrict__ x, const T* __restrict__ w, const T* __restrict__ bias,
                            T* __restrict__ y, int64_t n, int64_t k) {
  const int64_t row = static_cast<int64_t>(blockIdx.x) * kGemvWarps + (threadIdx.x >> 5);
  const int lane = threadIdx.x & 31;
  if (row >= n) return;
  const uint4* wr = reinterpret_cast<const uint4*>(w + row * k);
  const uint4* xv = reinterpret_cast<const uint4*>(x);
  const int64_t nv = k / 8;
  float acc = 0.f;
  for (int64_t base = lane; base < nv; base += 32 * U) {
    uint4 a[U], b[U];
#pragma unroll
    for (int u = 0; u < U; ++u) {
      const int64_t i = base + 32 * u;
      a[u] = i < nv ? __ldcs(wr + i) : make_uint4(0, 0, 0, 0);
      b[u] = i < nv ? __ldg(xv + i) : make_uint4(0, 0, 0, 0);
    }
#pragma unroll
    for (int u = 0; u < U; ++u) acc += dot16<T>(a[u], b[u]);
  }
  for (int o = 16; o > 0; o >>= 1) acc += __shfl_xor_sync(0xffffffffu, acc, o);
  if (lane == 0) y[row] = from_f<T>(bias ? acc + to_f(bias[row]) : acc);
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

const char* decode_attention(const DecodeAttentionArgs& a) {
  if (a.group <= 0 || a.group > kDecodeMaxGroup || (a.head_dim != 64 && a.head_dim != 128))
    return "decode attention: unsupported shape";
  auto s = static_cast<cudaStream_t>(a.stream);
  const int chunks = static_cast<int>(decode_chunks(a.capacity));
  const dim3 grid1(static_cast<unsigned>(chunks), static_cast<unsigned>(a.kv_heads)), block(128);
  const dim3 grid2(static_cast<unsigned>(a.kv_heads * a.group));
  const size_t shmem2 = static_cast<size_t>(chunks + 1) * sizeof(float);
#define COZ_ATTN(T, HD, G)                                                                                            \
  attn_partial_kernel<T, HD, G><<<grid1, block, 0, s>>>(static_cast<const T*>(a.q), static_cast<const T*>(a.k_cache), \
                                                        static_cast<const T*>(a.v_cache), a.pos, a.partial, a.group,  \
                                                        a.capacity, a.scale);                                         \
  attn_combine_kernel<T><<<grid2, block, shmem2, s>>>(a.partial, a.pos, static_cast<T*>(a.out), a.group, a.head_dim, chunks)
#define COZ_ATTN_G(T, HD)                        \
  if (a.group <= 1) { COZ_ATTN(T, HD, 1); }      \
  else if (a.group <= 2) { COZ_ATTN(T, HD, 2); } \
  else if (a.group <= 4) { COZ_ATTN(T, HD, 4); } \
  else if (a.group <= 8) { COZ_ATTN(T, HD, 8); } \
  else { COZ_ATTN(T, HD, 16); }
#define COZ_ATTN_HD(T) \
  if (a.head_dim == 64) { COZ_ATTN_G(T, 64); } else { COZ_ATTN_G(T, 128); }
  switch (a.dtype) {
    case DType::F32: COZ_ATTN_HD(float); break;
    case DType::F16: COZ_ATTN_HD(__half); break;
    case DType::BF16: COZ_ATTN_HD(__nv_bfloat16); break;
  }
#undef COZ_ATTN_HD
#undef COZ_ATTN_G
#undef COZ_ATTN
  return last_error();
}

const char* gemv(const GemvArgs& a) {
  if (a.n <= 0) return nullptr;
  if (a.k % 8) return "GEMV: k is not a multiple of 8";
  auto s = static_cast<cudaStream_t>(a.stream);
  const dim3 grid(static_cast<unsigned>((a.n + kGemvWarps - 1) / kGemvWarps)), block(kGemvWarps * 32);
#define COZ_GEMV(T)                                                                                              \
  if (a.loads == 4)                                                                                              \
    gemv_kernel<T, 4><<<grid, block, 0, s>>>(static_cast<const T*>(a.x), static_cast<const T*>(a.w),            \
                                             static_cast<const T*>(a.bias), static_cast<T*>(a.y), a.n, a.k);     \
  else                                                                                                           \
    gemv_kernel<T, 8><<<grid, block, 0, s>>>(static_cast<const T*>(a.x), static_cast<const T*>(a.w),            \
                                             static_cast<const T*>(a.bias), static_cast<T*>(a.y), a.n, a.k)
  switch (a.dtype) {
    case DType::F16: COZ_GEMV(__half); break;
    case DType::BF16: COZ_GEMV(__nv_bfloat16); break;
    case DType::F32: return "GEMV: fp32 is left to cuBLAS";
  }
#undef COZ_GEMV
  return last_error();
}

}  // namespace coz::kernels
