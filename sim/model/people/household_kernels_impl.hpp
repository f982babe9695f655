// The household kernels' bodies, included once by each household_kernels_<isa>.cpp with
// AIDFLOW_KERNELS_ISA naming its instruction set, and compiled with that set's flags (CMake sets
// them per file): everything here has internal linkage, so nothing compiled for one instruction
// set can be linked into code that runs under another (tests/isa_objects.sh checks the objects).
// A block of eight households at a time: the last, partial block of a district is read through
// padded copies (engine/lanes.hpp) and only its real lanes are stored.
#include "engine/lanes.hpp"  // with <immintrin.h>
#include "engine/normal_quantile.hpp"
#include "engine/philox_range.hpp"
#include "model/people/household_kernels.hpp"

#ifndef AIDFLOW_KERNELS_ISA
#error "define AIDFLOW_KERNELS_ISA (baseline, avx2 or avx512) before including this file"
#endif

namespace aidflow::model::AIDFLOW_KERNELS_ISA {
namespace {

using namespace engine::lanes;

// A block's body is forced inline, so the lanes stay in registers.
#define AIDFLOW_BLOCK __attribute__((always_inline))

// Displacement codes (model/state/people.hpp) held in double lanes: GCC 12 cannot compare 64-bit
// integer lanes without SSE4.2 (an internal compiler error), and doubles hold small codes exactly.
// Codes up to kInternal are in the country; up to kFled, the model's own displaced (who may come
// back on their own); above, households hosted abroad before the run.
constexpr double kHome = 0.0, kInternal = 1.0, kFled = 3.0;
constexpr int kStates = 6;

AIDFLOW_LANES F64 load_states(const std::uint8_t* d, int n) {
  return to_f64(load<U8>(d, n, std::uint8_t{0}));
}

// RandomStream::unit on lanes: the uniform on (0, 1) of each 32-bit word.
AIDFLOW_LANES F64 unit(U32 words) {
  return (to_f64(words) + 0.5) * 0x1.0p-32;
}

// Runs block(k, n) for the blocks of eight lanes of [0, count), n lanes in the last.
template <class Block>
AIDFLOW_LANES void for_each_block(std::uint32_t count, Block&& block) {
  std::uint32_t k = 0;
  for (; k + kLanes <= count; k += kLanes) block(k, kLanes);
  if (k < count) block(k, static_cast<int>(count - k));
}

#if defined(__AVX2__)
// Philox for a register's worth of households at once, each in a 64-bit lane (its word in the low
// half), with mul_epu32 for the 32 x 32 -> 64-bit products: the compiler's own vectorisation of
// philox_words_for_range uses the slower full 64-bit multiply (and under AVX2 is slower than the
// baseline's). The same numbers (tested). Wide: AVX-512's eight lanes or AVX2's four.
#if defined(__AVX512F__)
struct Wide {
  using V = __m512i;
  static constexpr std::uint32_t kWidth = 8;
  static V set1(std::uint64_t x) { return _mm512_set1_epi64(static_cast<long long>(x)); }
  static V lanes() { return _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0); }
  static V zero() { return _mm512_setzero_si512(); }
  static V add(V a, V b) { return _mm512_add_epi64(a, b); }
  static V mul(V a, V b) { return _mm512_mul_epu32(a, b); }
  static V bit_xor(V a, V b) { return _mm512_xor_si512(a, b); }
  static V bit_and(V a, V b) { return _mm512_and_si512(a, b); }
  static V high_word(V a) { return _mm512_srli_epi64(a, 32); }
  static void store_words(std::uint32_t* out, V v) {  // each lane's low word
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), _mm512_cvtepi64_epi32(v));
  }
};
#else
struct Wide {
  using V = __m256i;
  static constexpr std::uint32_t kWidth = 4;
  static V set1(std::uint64_t x) { return _mm256_set1_epi64x(static_cast<long long>(x)); }
  static V lanes() { return _mm256_set_epi64x(3, 2, 1, 0); }
  static V zero() { return _mm256_setzero_si256(); }
  static V add(V a, V b) { return _mm256_add_epi64(a, b); }
  static V mul(V a, V b) { return _mm256_mul_epu32(a, b); }
  static V bit_xor(V a, V b) { return _mm256_xor_si256(a, b); }
  static V bit_and(V a, V b) { return _mm256_and_si256(a, b); }
  static V high_word(V a) { return _mm256_srli_epi64(a, 32); }
  static void store_words(std::uint32_t* out, V v) {  // each lane's low word
    const __m256i even = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out),
                     _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(v, even)));
  }
};
#endif
// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized on their own undefined vectors (GCC bug
// 105593, fixed in GCC 13), hence the pragma around this function only.
#if !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
void draw(std::uint32_t stream, std::uint32_t key0, std::uint32_t key1, std::uint32_t first,
          std::uint32_t count, std::uint32_t step, std::uint32_t* const out[4]) {
  using W = Wide;
  const W::V m0 = W::set1(0xD2511F53), m1 = W::set1(0xCD9E8D57), low = W::set1(0xFFFFFFFF);
  std::uint32_t k = 0;
  for (; k + W::kWidth <= count; k += W::kWidth) {
    W::V x0 = W::set1(stream), x2 = W::set1(step);
    W::V x1 = W::bit_and(W::add(W::set1(first + k), W::lanes()), low), x3 = W::zero();
    std::uint32_t k0 = key0, k1 = key1;
    for (int round = 0; round < 10; ++round) {
      const W::V p0 = W::mul(x0, m0), p1 = W::mul(x2, m1);
      x0 = W::bit_xor(W::high_word(p1), W::bit_xor(x1, W::set1(k0)));
      x2 = W::bit_xor(W::high_word(p0), W::bit_xor(x3, W::set1(k1)));
      x1 = W::bit_and(p1, low);
      x3 = W::bit_and(p0, low);
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    const W::V words[4] = {x0, x1, x2, x3};
    for (int j = 0; j < 4; ++j) W::store_words(out[j] + k, words[j]);
  }
  std::uint32_t* const rest[4] = {out[0] + k, out[1] + k, out[2] + k, out[3] + k};
  engine::philox_words_for_range(stream, key0, key1, first + k, count - k, step, rest);
}
#if !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#else
void draw(std::uint32_t stream, std::uint32_t key0, std::uint32_t key1, std::uint32_t first,
          std::uint32_t count, std::uint32_t step, std::uint32_t* const out[4]) {
  engine::philox_words_for_range(stream, key0, key1, first, count, step, out);
}
#endif

void prioritise(double targeting, std::uint32_t buckets, const DistrictView& d,
                const std::uint32_t* chance, double* priority, std::uint32_t* bucket) {
  const double top = static_cast<double>(buckets - 1);
  const U32 no_claim = U32{} + 0xFFFFFFFFu;  // kNoClaim (rations.hpp)
  for_each_block(d.count, [&](std::uint32_t k, int n) AIDFLOW_BLOCK {
    const F64 need = load<F64>(d.need + k, n, 0.0);
    const F64 p = targeting * need + (1.0 - targeting) * unit(load<U32>(chance + k, n, 0u));
    // bucket_of (rations.hpp), lane by lane.
    const F64 b = clamp(p * static_cast<double>(buckets), splat(0.0), splat(top));
    const I64 reachable = le(load_states(d.displacement + k, n), kInternal);
    store(priority + k, p, n);
    store(bucket + k, select(reachable, to_u32(b), no_claim), n);
  });
}

void shocks(double shock_sd, const std::uint32_t* words, std::uint32_t count, double* shock) {
  const double* knots = engine::normal_quantile_knots();
  for_each_block(count, [&](std::uint32_t k, int n) AIDFLOW_BLOCK {
    const F64 u = unit(load<U32>(words + k, n, 0u));
    store(shock + k, shock_sd * engine::tabulated_normal_quantile(u, knots), n);
  });
}

// Appends the positions of a block's flagged lanes (of its first n) to `flagged`, in order, from
// the mask's bits: the usual block has none and costs one test.
AIDFLOW_LANES std::uint32_t append_flagged(I64 mask, std::uint32_t k, int n, std::uint32_t* flagged,
                                           std::uint32_t count) {
  for (unsigned bits = mask_bits(mask) & ((1u << n) - 1); bits != 0; bits &= bits - 1) {
    flagged[count++] = k + static_cast<std::uint32_t>(std::countr_zero(bits));
  }
  return count;
}

// A district's sums kept by lane: DistrictTally's meaning (model/state/world.hpp), each lane adding
// its households in order, the lanes added first to last at the end. The aid weight is people x
// need in the country, the need's sum itself.
struct TallyLanes {
  Sums people, need, in_need, reached, displaced[kStates];
  // Households of `p` people (zero in padding lanes: they add nothing), need x, aid in cents and
  // displacement state. People, need and people in need are those in the country.
  AIDFLOW_LANES void add(TallyLanes& t, F64 p, F64 x, F64 aid, F64 state, double need_threshold,
                         double rations_per_cent) {
    const F64 zero = splat(0.0);
    const F64 here = select(le(state, kInternal), p, zero);
    accumulate(t.people, here);
    accumulate(t.need, here * x);
    accumulate(t.in_need, select(gt(x, need_threshold), here, zero));
    accumulate(t.reached, min(p, aid * rations_per_cent));  // people with a full ration
    for (int s = 0; s < kStates; ++s) {
      accumulate(t.displaced[s], select(eq(state, static_cast<double>(s)), p, zero));
    }
  }
  void finish(KernelTally* out) const {
    out->people = sum(people);
    out->need = sum(need);
    out->in_need = sum(in_need);
    out->reached = sum(reached);
    out->aid_weight = out->need;
    for (int s = 0; s < kStates; ++s) out->displaced[s] = sum(displaced[s]);
  }
};

std::uint32_t step(const StepRule& r, const DistrictColumns& d, const double* shock,
                   const std::uint32_t* move, const std::uint32_t* recruit,
                   std::uint32_t* may_recruit, KernelTally* tally) {
  const F64 zero = splat(0.0), one = splat(1.0), home = splat(kHome);
  const F64 crossing = splat(static_cast<double>(r.crossing)), internal = splat(kInternal);
  const double cents_per_ration = 100.0 * r.relief_usd;
  TallyLanes sums;
  std::uint32_t flagged = 0;
  for_each_block(d.count, [&](std::uint32_t k, int n) AIDFLOW_BLOCK {
    const F64 people = load<F64>(d.people + k, n, 1.0);  // padding: no division by zero
    const F64 aid = to_f64(load<I64>(d.aid + k, n, std::int64_t{0}));
    const F64 state = load_states(d.displacement + k, n);
    const F64 u = unit(load<U32>(move + k, n, 0u));
    // Need moves toward the target, less what aid relieves (the share of a full ration each
    // person received), plus the shock. One division: the others are folded into cents_per_ration.
    const F64 relief = min(one, aid / (people * cents_per_ration));
    const F64 goal = r.need_target * (1.0 - r.relief_effect * relief);
    F64 need = load<F64>(d.need + k, n, 0.0);
    need = clamp(need + r.reversion * (goal - need) + load<F64>(shock + k, n, 0.0), zero, one);
    // One uniform decides a move: a household at home leaves with probability p when u < p,
    // and then u / p is again uniform on (0, 1), so it decides whether it crosses a border
    // (u / p < share, written without the division).
    const F64 leaves = r.displacement_per_week * need;
    const F64 away = select(lt(u, r.cross_border_share * leaves), crossing, internal);
    const F64 from_home = select(lt(u, leaves), away, home);
    const I64 comes_back = lt(u, r.return_per_week * (1.0 - need)) & le(state, kFled);
    const F64 elsewhere = select(comes_back, home, state);
    const I64 at_home = eq(state, kHome);
    const F64 next = select(at_home, from_home, elsewhere);
    // Returnees come back poorer.
    need = select(~at_home & eq(next, kHome), min(one, need + r.returnee_need), need);
    // Recruitment: binomial_from(young men, p, u) is zero when u <= 1 - young men x p - 1e-12.
    const F64 young = to_f64(load<U32>(d.young_men + k, n, 0u));
    const F64 p = (r.need_floor + (1.0 - r.need_floor) * need) * r.recruit_odds;
    const F64 v = unit(load<U32>(recruit + k, n, 0u));
    const I64 may =
        le(next, kInternal) & gt(young, zero) & gt(p, zero) & gt(v, 1.0 - young * p - 1e-12);
    store(d.need + k, need, n);
    store(d.displacement + k, to_u8(next), n);
    flagged = append_flagged(may, k, n, may_recruit, flagged);
    TallyLanes::add(sums, load<F64>(d.people + k, n, 0.0), need, aid, next, r.need_threshold,
                    1.0 / cents_per_ration);
  });
  sums.finish(tally);
  return flagged;
}

void tally(double need_threshold, double relief_usd, const DistrictView& d, KernelTally* out) {
  const double rations_per_cent = 1.0 / (100.0 * relief_usd);
  TallyLanes sums;
  for_each_block(d.count, [&](std::uint32_t k, int n) AIDFLOW_BLOCK {
    TallyLanes::add(sums, load<F64>(d.people + k, n, 0.0), load<F64>(d.need + k, n, 0.0),
                    to_f64(load<I64>(d.aid + k, n, std::int64_t{0})),
                    load_states(d.displacement + k, n), need_threshold, rations_per_cent);
  });
  sums.finish(out);
}

}  // namespace

extern const HouseholdKernels kernels;
const HouseholdKernels kernels = {draw, prioritise, shocks, step, tally};

}  // namespace aidflow::model::AIDFLOW_KERNELS_ISA
