/**
 * The WebAssembly kernel of word shingles under the default normalization, for pure-ASCII text: the same single
 * pass as `scanAscii` in ./fused (fold, words, MurmurHash3 per word), then the n-gram hashes and the sort with
 * duplicates removed, and the XXH64 of the normalized text for `prepareDocument`, in one ~2.3 KB module. About twice as fast as the JS path and, unlike it, compiled ahead of
 * time, so its speed does not depend on what the JIT happened to inline. Instantiated synchronously on first use
 * (browsers refuse synchronous compiles above 4 KB on the main thread); where WebAssembly is missing or forbidden,
 * or for texts that are not pure ASCII or longer than {@link WASM_MAX_UNITS}, callers use the JS paths, which give
 * the same values (tests/shingle.test.ts runs the oracle comparisons both ways).
 *
 * Memory layout (bytes) for a text of L UTF-16 units: the fold table of ASCII bytes at 0 (256 bytes), the XXH64
 * of the normalized text (8 bytes), then the UTF-8 input (3L + 2 bytes: two sentinel spaces after it), the normalized text (L), the word hashes, the
 * shingles, a scratch array (4 (L/2 + 2) bytes each) and the bucket counts (4 (L + 4)).
 * @internal
 */
import { asciiFoldTable } from '../text/normalize';
import { sortDistinct } from './sort';

/**
 * The WebAssembly text of {@link SHINGLE_WASM}; `tests/shingle.test.ts` compiles it with wabt and checks that the
 * bytes agree (to change the kernel, edit this text and paste the bytes the test prints).
 */
export const SHINGLE_WAT = `(module
  ;; words(in, n, out, hs, seed) -> word count, or -1 at a byte that is not ASCII.
  ;;   The n bytes at in (followed by two space bytes) are ASCII text; the fold table is at 0 (256 bytes).
  ;;   Writes the normalized text at out (its length into the global textLength) and one MurmurHash3_x86_32
  ;;   (UTF-16LE) hash per word at hs, as src/shingle/fused.ts scanAscii does.
  ;; xxh64(p, len, seedLo, seedHi): XXH64 of the len bytes at p (the normalized text), written at 256.
  ;; shingles(hs, words, size, seed, vals, tmp, counts) -> number of distinct shingles, sorted ascending at vals,
  ;;   or -1 when a bucket overflows (the unsorted shingles are then at vals, words - size + 1 of them).
  (memory (export "memory") 1)
  (global $textLength (export "textLength") (mut i32) (i32.const 0))
  (func (export "words") (param $in i32) (param $n i32) (param $out i32) (param $hs i32) (param $seed i32) (result i32)
    (local $i i32) (local $end i32) (local $o i32) (local $w i32) (local $v i32) (local $a i32) (local $c i32)
    (local $state i32) (local $h i32) (local $lo i32) (local $len i32) (local $k i32) (local $t i32)
    (local.set $i (local.get $in))
    (local.set $end (i32.add (local.get $in) (local.get $n)))
    (local.set $o (local.get $out))
    (local.set $w (local.get $hs))
    (local.set $h (local.get $seed))
    (local.set $lo (i32.const -1))
    (block $exit
      (loop $main
        (br_if $exit (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (i32.load8_u (i32.load8_u (local.get $i))))
        (if (i32.lt_u (i32.sub (local.get $v) (i32.const 0x61)) (i32.const 26)) (then
          ;; a letter: opens or extends the word
          (if (i32.eq (local.get $state) (i32.const 1)) (then
            (i32.store8 (local.get $o) (i32.const 0x20))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))))
          (local.set $state (i32.const 0))
          (if (i32.ge_s (local.get $lo) (i32.const 0)) (then
            (i32.store8 (local.get $o) (local.get $v))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))
            (local.set $k (i32.mul (i32.rotl (i32.mul (i32.or (local.get $lo) (i32.shl (local.get $v) (i32.const 16))) (i32.const 0xcc9e2d51)) (i32.const 15)) (i32.const 0x1b873593)))
            (local.set $h (i32.add (i32.mul (i32.rotl (i32.xor (local.get $h) (local.get $k)) (i32.const 13)) (i32.const 5)) (i32.const 0xe6546b64)))
            (local.set $lo (i32.const -1))
            (local.set $len (i32.add (local.get $len) (i32.const 1)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))))
          ;; the rest of the letter run, two letters (one block) at a time; the sentinel spaces stop it
          (block $run_end
            (loop $run
              (local.set $a (i32.load8_u (i32.load8_u (local.get $i))))
              (br_if $run_end (i32.ge_u (i32.sub (local.get $a) (i32.const 0x61)) (i32.const 26)))
              (local.set $c (i32.load8_u (i32.load8_u offset=1 (local.get $i))))
              (if (i32.ge_u (i32.sub (local.get $c) (i32.const 0x61)) (i32.const 26)) (then
                (i32.store8 (local.get $o) (local.get $a))
                (local.set $o (i32.add (local.get $o) (i32.const 1)))
                (local.set $lo (local.get $a))
                (local.set $len (i32.add (local.get $len) (i32.const 1)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $run_end)))
              (i32.store8 (local.get $o) (local.get $a))
              (i32.store8 offset=1 (local.get $o) (local.get $c))
              (local.set $o (i32.add (local.get $o) (i32.const 2)))
              (local.set $k (i32.mul (i32.rotl (i32.mul (i32.or (local.get $a) (i32.shl (local.get $c) (i32.const 16))) (i32.const 0xcc9e2d51)) (i32.const 15)) (i32.const 0x1b873593)))
              (local.set $h (i32.add (i32.mul (i32.rotl (i32.xor (local.get $h) (local.get $k)) (i32.const 13)) (i32.const 5)) (i32.const 0xe6546b64)))
              (local.set $len (i32.add (local.get $len) (i32.const 2)))
              (local.set $i (i32.add (local.get $i) (i32.const 2)))
              (br $run)))
          (br $main)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.eq (local.get $v) (i32.const 2)) (then
          ;; a digit: a digit run is one 0, inside the word
          (if (i32.ne (local.get $state) (i32.const 2)) (then
            (if (i32.eq (local.get $state) (i32.const 1)) (then
              (i32.store8 (local.get $o) (i32.const 0x20))
              (local.set $o (i32.add (local.get $o) (i32.const 1)))))
            (i32.store8 (local.get $o) (i32.const 0x30))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))
            (local.set $state (i32.const 2))
            (local.set $len (i32.add (local.get $len) (i32.const 1)))
            (if (i32.lt_s (local.get $lo) (i32.const 0))
              (then (local.set $lo (i32.const 0x30)))
              (else
                (local.set $k (i32.mul (i32.rotl (i32.mul (i32.or (local.get $lo) (i32.const 0x300000)) (i32.const 0xcc9e2d51)) (i32.const 15)) (i32.const 0x1b873593)))
                (local.set $h (i32.add (i32.mul (i32.rotl (i32.xor (local.get $h) (local.get $k)) (i32.const 13)) (i32.const 5)) (i32.const 0xe6546b64)))
                (local.set $lo (i32.const -1))))))
          (br $main)))
        (if (i32.eq (local.get $v) (i32.const 1))
          (then
            ;; a separator: a space is due before the next kept character, unless nothing was written yet
            (local.set $state (i32.gt_u (local.get $o) (local.get $out))))
          (else
            (if (i32.lt_u (local.get $v) (i32.const 0x80)) (then (return (i32.const -1))))
            ;; an ASCII control character (0x80 | c): kept, but it ends the word
            (if (i32.eq (local.get $state) (i32.const 1)) (then
              (i32.store8 (local.get $o) (i32.const 0x20))
              (local.set $o (i32.add (local.get $o) (i32.const 1)))))
            (local.set $state (i32.const 0))
            (i32.store8 (local.get $o) (i32.and (local.get $v) (i32.const 0x7f)))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))))
        ;; the word (if any) ends here
        (if (local.get $len) (then
          (if (i32.ge_s (local.get $lo) (i32.const 0)) (then
            (local.set $h (i32.xor (local.get $h)
              (i32.mul (i32.rotl (i32.mul (local.get $lo) (i32.const 0xcc9e2d51)) (i32.const 15)) (i32.const 0x1b873593))))))
          (local.set $t (i32.xor (local.get $h) (i32.shl (local.get $len) (i32.const 1))))
          (local.set $t (i32.mul (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 16))) (i32.const 0x85ebca6b)))
          (local.set $t (i32.mul (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 13))) (i32.const 0xc2b2ae35)))
          (local.set $t (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 16))))
          (i32.store (local.get $w) (local.get $t))
          (local.set $w (i32.add (local.get $w) (i32.const 4)))
          (local.set $h (local.get $seed))
          (local.set $lo (i32.const -1))
          (local.set $len (i32.const 0))))
        (br $main)))
    (if (local.get $len) (then
      (if (i32.ge_s (local.get $lo) (i32.const 0)) (then
        (local.set $h (i32.xor (local.get $h)
          (i32.mul (i32.rotl (i32.mul (local.get $lo) (i32.const 0xcc9e2d51)) (i32.const 15)) (i32.const 0x1b873593))))))
      (local.set $t (i32.xor (local.get $h) (i32.shl (local.get $len) (i32.const 1))))
      (local.set $t (i32.mul (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 16))) (i32.const 0x85ebca6b)))
      (local.set $t (i32.mul (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 13))) (i32.const 0xc2b2ae35)))
      (local.set $t (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 16))))
      (i32.store (local.get $w) (local.get $t))
      (local.set $w (i32.add (local.get $w) (i32.const 4)))))
    (global.set $textLength (i32.sub (local.get $o) (local.get $out)))
    (i32.shr_u (i32.sub (local.get $w) (local.get $hs)) (i32.const 2)))

  (func (export "shingles") (param $hs i32) (param $words i32) (param $size i32) (param $seed i32) (param $vals i32) (param $tmp i32) (param $counts i32) (result i32)
    (local $p i32) (local $end i32) (local $count i32) (local $i i32) (local $j i32) (local $jend i32) (local $h i32)
    (local $tail i32) (local $shift i32) (local $buckets i32) (local $b i32) (local $sum i32) (local $x i32) (local $v i32)
    (local $m i32) (local $last i32) (local $q i32) (local $t i32)
    (if (i32.eqz (local.get $words)) (then (return (i32.const 0))))
    (if (i32.lt_u (local.get $words) (local.get $size)) (then (local.set $size (local.get $words))))
    ;; each word hash becomes its MurmurHash3 block rotl(w·C1, 15)·C2, in place
    (local.set $p (local.get $hs))
    (local.set $end (i32.add (local.get $hs) (i32.shl (local.get $words) (i32.const 2))))
    (block $bd (loop $bl
      (br_if $bd (i32.ge_u (local.get $p) (local.get $end)))
      (i32.store (local.get $p) (i32.mul (i32.rotl (i32.mul (i32.load (local.get $p)) (i32.const 0xcc9e2d51)) (i32.const 15)) (i32.const 0x1b873593)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $bl)))
    ;; shingle i = MurmurHash3 of blocks i … i + size − 1
    (local.set $count (i32.add (i32.sub (local.get $words) (local.get $size)) (i32.const 1)))
    (local.set $tail (i32.shl (local.get $size) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $nd (loop $nl
      (br_if $nd (i32.ge_u (local.get $i) (local.get $count)))
      (local.set $h (local.get $seed))
      (local.set $p (i32.add (local.get $hs) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $end (i32.add (local.get $p) (local.get $tail)))
      (block $gd (loop $gl
        (local.set $h (i32.add (i32.mul (i32.rotl (i32.xor (local.get $h) (i32.load (local.get $p))) (i32.const 13)) (i32.const 5)) (i32.const 0xe6546b64)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br_if $gl (i32.lt_u (local.get $p) (local.get $end)))))
      (local.set $t (i32.xor (local.get $h) (local.get $tail)))
      (local.set $t (i32.mul (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 16))) (i32.const 0x85ebca6b)))
      (local.set $t (i32.mul (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 13))) (i32.const 0xc2b2ae35)))
      (local.set $t (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 16))))
      (i32.store (i32.add (local.get $vals) (i32.shl (local.get $i) (i32.const 2))) (local.get $t))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $nl)))
    ;; bucket pass on the top bits (2^bits buckets, count < 2^bits <= 2 count), then insertion with dedupe
    (local.set $shift (i32.clz (local.get $count)))
    (local.set $buckets (i32.shl (i32.const 1) (i32.sub (i32.const 32) (local.get $shift))))
    (local.set $p (local.get $counts))
    (local.set $end (i32.add (local.get $counts) (i32.shl (i32.add (local.get $buckets) (i32.const 1)) (i32.const 2))))
    (block $zd (loop $zl
      (br_if $zd (i32.ge_u (local.get $p) (local.get $end)))
      (i32.store (local.get $p) (i32.const 0))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $zl)))
    (local.set $i (i32.const 0))
    (block $cd (loop $cl
      (br_if $cd (i32.ge_u (local.get $i) (local.get $count)))
      (local.set $p (i32.add (local.get $counts) (i32.shl (i32.add (i32.shr_u (i32.load (i32.add (local.get $vals) (i32.shl (local.get $i) (i32.const 2)))) (local.get $shift)) (i32.const 1)) (i32.const 2))))
      (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $cl)))
    (local.set $b (i32.const 1))
    (block $sd (loop $sl
      (br_if $sd (i32.gt_u (local.get $b) (local.get $buckets)))
      (local.set $p (i32.add (local.get $counts) (i32.shl (local.get $b) (i32.const 2))))
      (local.set $x (i32.load (local.get $p)))
      (if (i32.gt_u (local.get $x) (i32.const 32)) (then (return (i32.const -1))))
      (local.set $sum (i32.add (local.get $sum) (local.get $x)))
      (i32.store (local.get $p) (local.get $sum))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $sl)))
    (local.set $i (i32.const 0))
    (block $td (loop $tl
      (br_if $td (i32.ge_u (local.get $i) (local.get $count)))
      (local.set $v (i32.load (i32.add (local.get $vals) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $p (i32.add (local.get $counts) (i32.shl (i32.shr_u (local.get $v) (local.get $shift)) (i32.const 2))))
      (local.set $x (i32.load (local.get $p)))
      (i32.store (i32.add (local.get $tmp) (i32.shl (local.get $x) (i32.const 2))) (local.get $v))
      (i32.store (local.get $p) (i32.add (local.get $x) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $tl)))
    ;; values are grouped by bucket in ascending order: each insertion stays within its bucket
    (i32.store (local.get $vals) (i32.load (local.get $tmp)))
    (local.set $m (i32.const 1))
    (local.set $i (i32.const 1))
    (block $id (loop $il
      (br_if $id (i32.ge_u (local.get $i) (local.get $count)))
      (local.set $v (i32.load (i32.add (local.get $tmp) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $j (i32.sub (local.get $m) (i32.const 1)))
      (local.set $last (i32.load (i32.add (local.get $vals) (i32.shl (local.get $j) (i32.const 2)))))
      (if (i32.lt_u (local.get $last) (local.get $v)) (then
        (i32.store (i32.add (local.get $vals) (i32.shl (local.get $m) (i32.const 2))) (local.get $v))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $il)))
      ;; walk back to the last value <= v
      (block $wd (loop $wl
        (br_if $wd (i32.le_u (local.get $last) (local.get $v)))
        (local.set $j (i32.sub (local.get $j) (i32.const 1)))
        (br_if $wd (i32.lt_s (local.get $j) (i32.const 0)))
        (local.set $last (i32.load (i32.add (local.get $vals) (i32.shl (local.get $j) (i32.const 2)))))
        (br $wl)))
      (if (i32.ge_s (local.get $j) (i32.const 0)) (then
        (br_if $il (i32.eq (local.get $last) (local.get $v)))))
      ;; shift vals[j + 1 … m) up by one and put v at j + 1
      (local.set $q (local.get $m))
      (block $md (loop $ml
        (br_if $md (i32.le_s (local.get $q) (i32.add (local.get $j) (i32.const 1))))
        (local.set $p (i32.add (local.get $vals) (i32.shl (local.get $q) (i32.const 2))))
        (i32.store (local.get $p) (i32.load (i32.sub (local.get $p) (i32.const 4))))
        (local.set $q (i32.sub (local.get $q) (i32.const 1)))
        (br $ml)))
      (i32.store (i32.add (local.get $vals) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 2))) (local.get $v))
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (br $il)))
    (local.get $m))

  ;; round(acc, lane) = rotl(acc + lane * P2, 31) * P1
  (func $round (param $acc i64) (param $lane i64) (result i64)
    (i64.mul (i64.rotl (i64.add (local.get $acc) (i64.mul (local.get $lane) (i64.const 0xC2B2AE3D27D4EB4F)))
                       (i64.const 31))
             (i64.const 0x9E3779B185EBCA87)))

  ;; mergeRound(h, v) = (h ^ round(0, v)) * P1 + P4
  (func $merge (param $h i64) (param $v i64) (result i64)
    (i64.add (i64.mul (i64.xor (local.get $h) (call $round (i64.const 0) (local.get $v)))
                      (i64.const 0x9E3779B185EBCA87))
             (i64.const 0x85EBCA77C2B2AE63)))

  ;; Writes XXH64(p, len, seedHi:seedLo) to memory [256, 264) as a little-endian u64 (from src/hash/wasm/xxhash.wat).
  (func (export "xxh64") (param $p i32) (param $len i32) (param $seedLo i32) (param $seedHi i32)
    (local $seed i64) (local $end i32) (local $limit i32) (local $h i64)
    (local $v1 i64) (local $v2 i64) (local $v3 i64) (local $v4 i64)
    (local.set $seed (i64.or (i64.shl (i64.extend_i32_u (local.get $seedHi)) (i64.const 32))
                             (i64.extend_i32_u (local.get $seedLo))))
    (local.set $end (i32.add (local.get $p) (local.get $len)))
    (if (i32.ge_u (local.get $len) (i32.const 32))
      (then
        (local.set $limit (i32.sub (local.get $end) (i32.const 32)))
        (local.set $v1 (i64.add (i64.add (local.get $seed) (i64.const 0x9E3779B185EBCA87)) (i64.const 0xC2B2AE3D27D4EB4F)))
        (local.set $v2 (i64.add (local.get $seed) (i64.const 0xC2B2AE3D27D4EB4F)))
        (local.set $v3 (local.get $seed))
        (local.set $v4 (i64.sub (local.get $seed) (i64.const 0x9E3779B185EBCA87)))
        (loop $stripe
          (local.set $v1 (call $round (local.get $v1) (i64.load offset=0 align=1 (local.get $p))))
          (local.set $v2 (call $round (local.get $v2) (i64.load offset=8 align=1 (local.get $p))))
          (local.set $v3 (call $round (local.get $v3) (i64.load offset=16 align=1 (local.get $p))))
          (local.set $v4 (call $round (local.get $v4) (i64.load offset=24 align=1 (local.get $p))))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (br_if $stripe (i32.le_u (local.get $p) (local.get $limit))))
        (local.set $h (i64.add (i64.add (i64.rotl (local.get $v1) (i64.const 1)) (i64.rotl (local.get $v2) (i64.const 7)))
                               (i64.add (i64.rotl (local.get $v3) (i64.const 12)) (i64.rotl (local.get $v4) (i64.const 18)))))
        (local.set $h (call $merge (local.get $h) (local.get $v1)))
        (local.set $h (call $merge (local.get $h) (local.get $v2)))
        (local.set $h (call $merge (local.get $h) (local.get $v3)))
        (local.set $h (call $merge (local.get $h) (local.get $v4))))
      (else (local.set $h (i64.add (local.get $seed) (i64.const 0x27D4EB2F165667C5)))))
    (local.set $h (i64.add (local.get $h) (i64.extend_i32_u (local.get $len))))
    (block $done8
      (loop $lane
        (br_if $done8 (i32.gt_u (i32.add (local.get $p) (i32.const 8)) (local.get $end)))
        (local.set $h (i64.add (i64.mul (i64.rotl (i64.xor (local.get $h)
            (call $round (i64.const 0) (i64.load align=1 (local.get $p)))) (i64.const 27))
          (i64.const 0x9E3779B185EBCA87)) (i64.const 0x85EBCA77C2B2AE63)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $lane)))
    (if (i32.le_u (i32.add (local.get $p) (i32.const 4)) (local.get $end))
      (then
        (local.set $h (i64.add (i64.mul (i64.rotl (i64.xor (local.get $h)
            (i64.mul (i64.load32_u align=1 (local.get $p)) (i64.const 0x9E3779B185EBCA87))) (i64.const 23))
          (i64.const 0xC2B2AE3D27D4EB4F)) (i64.const 0x165667B19E3779F9)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))))
    (block $done1
      (loop $byte
        (br_if $done1 (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $h (i64.mul (i64.rotl (i64.xor (local.get $h)
            (i64.mul (i64.load8_u (local.get $p)) (i64.const 0x27D4EB2F165667C5))) (i64.const 11))
          (i64.const 0x9E3779B185EBCA87)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $byte)))
    (local.set $h (i64.mul (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 33))) (i64.const 0xC2B2AE3D27D4EB4F)))
    (local.set $h (i64.mul (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 29))) (i64.const 0x165667B19E3779F9)))
    (i64.store (i32.const 256) (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 32)))))
)`;

/** {@link SHINGLE_WAT} compiled by wabt 1.0.39. */
export const SHINGLE_WASM: readonly number[] = [
  0,97,115,109,1,0,0,0,1,34,4,96,5,127,127,127,127,127,1,127,96,7,127,127,
  127,127,127,127,127,1,127,96,2,126,126,1,126,96,4,127,127,127,127,0,3,6,5,0,
  1,2,2,3,5,3,1,0,1,6,6,1,127,1,65,0,11,7,50,5,6,109,101,109,
  111,114,121,2,0,10,116,101,120,116,76,101,110,103,116,104,3,0,5,119,111,114,100,115,
  0,0,8,115,104,105,110,103,108,101,115,0,1,5,120,120,104,54,52,0,4,10,214,16,
  5,155,6,1,13,127,32,0,33,5,32,0,32,1,106,33,6,32,2,33,7,32,3,33,
  8,32,4,33,13,65,127,33,14,2,64,3,64,32,5,32,6,79,13,1,32,5,45,0,
  0,45,0,0,33,9,32,9,65,225,0,107,65,26,73,4,64,32,12,65,1,70,4,64,
  32,7,65,32,58,0,0,32,7,65,1,106,33,7,11,65,0,33,12,32,14,65,0,78,
  4,64,32,7,32,9,58,0,0,32,7,65,1,106,33,7,32,14,32,9,65,16,116,114,
  65,209,218,248,228,124,108,65,15,119,65,147,235,156,220,1,108,33,16,32,13,32,16,115,
  65,13,119,65,5,108,65,228,214,209,178,126,106,33,13,65,127,33,14,32,15,65,1,106,
  33,15,32,5,65,1,106,33,5,11,2,64,3,64,32,5,45,0,0,45,0,0,33,10,
  32,10,65,225,0,107,65,26,79,13,1,32,5,45,0,1,45,0,0,33,11,32,11,65,
  225,0,107,65,26,79,4,64,32,7,32,10,58,0,0,32,7,65,1,106,33,7,32,10,
  33,14,32,15,65,1,106,33,15,32,5,65,1,106,33,5,12,2,11,32,7,32,10,58,
  0,0,32,7,32,11,58,0,1,32,7,65,2,106,33,7,32,10,32,11,65,16,116,114,
  65,209,218,248,228,124,108,65,15,119,65,147,235,156,220,1,108,33,16,32,13,32,16,115,
  65,13,119,65,5,108,65,228,214,209,178,126,106,33,13,32,15,65,2,106,33,15,32,5,
  65,2,106,33,5,12,0,11,11,12,1,11,32,5,65,1,106,33,5,32,9,65,2,70,
  4,64,32,12,65,2,71,4,64,32,12,65,1,70,4,64,32,7,65,32,58,0,0,32,
  7,65,1,106,33,7,11,32,7,65,48,58,0,0,32,7,65,1,106,33,7,65,2,33,
  12,32,15,65,1,106,33,15,32,14,65,0,72,4,64,65,48,33,14,5,32,14,65,128,
  128,192,1,114,65,209,218,248,228,124,108,65,15,119,65,147,235,156,220,1,108,33,16,32,
  13,32,16,115,65,13,119,65,5,108,65,228,214,209,178,126,106,33,13,65,127,33,14,11,
  11,12,1,11,32,9,65,1,70,4,64,32,7,32,2,75,33,12,5,32,9,65,128,1,
  73,4,64,65,127,15,11,32,12,65,1,70,4,64,32,7,65,32,58,0,0,32,7,65,
  1,106,33,7,11,65,0,33,12,32,7,32,9,65,255,0,113,58,0,0,32,7,65,1,
  106,33,7,11,32,15,4,64,32,14,65,0,78,4,64,32,13,32,14,65,209,218,248,228,
  124,108,65,15,119,65,147,235,156,220,1,108,115,33,13,11,32,13,32,15,65,1,116,115,
  33,17,32,17,32,17,65,16,118,115,65,235,148,175,175,120,108,33,17,32,17,32,17,65,
  13,118,115,65,181,220,202,149,124,108,33,17,32,17,32,17,65,16,118,115,33,17,32,8,
  32,17,54,2,0,32,8,65,4,106,33,8,32,4,33,13,65,127,33,14,65,0,33,15,
  11,12,0,11,11,32,15,4,64,32,14,65,0,78,4,64,32,13,32,14,65,209,218,248,
  228,124,108,65,15,119,65,147,235,156,220,1,108,115,33,13,11,32,13,32,15,65,1,116,
  115,33,17,32,17,32,17,65,16,118,115,65,235,148,175,175,120,108,33,17,32,17,32,17,
  65,13,118,115,65,181,220,202,149,124,108,33,17,32,17,32,17,65,16,118,115,33,17,32,
  8,32,17,54,2,0,32,8,65,4,106,33,8,11,32,7,32,2,107,36,0,32,8,32,
  3,107,65,2,118,11,131,6,1,18,127,32,1,69,4,64,65,0,15,11,32,1,32,2,
  73,4,64,32,1,33,2,11,32,0,33,7,32,0,32,1,65,2,116,106,33,8,2,64,
  3,64,32,7,32,8,79,13,1,32,7,32,7,40,2,0,65,209,218,248,228,124,108,65,
  15,119,65,147,235,156,220,1,108,54,2,0,32,7,65,4,106,33,7,12,0,11,11,32,
  1,32,2,107,65,1,106,33,9,32,2,65,2,116,33,14,65,0,33,10,2,64,3,64,
  32,10,32,9,79,13,1,32,3,33,13,32,0,32,10,65,2,116,106,33,7,32,7,32,
  14,106,33,8,2,64,3,64,32,13,32,7,40,2,0,115,65,13,119,65,5,108,65,228,
  214,209,178,126,106,33,13,32,7,65,4,106,33,7,32,7,32,8,73,13,0,11,11,32,
  13,32,14,115,33,24,32,24,32,24,65,16,118,115,65,235,148,175,175,120,108,33,24,32,
  24,32,24,65,13,118,115,65,181,220,202,149,124,108,33,24,32,24,32,24,65,16,118,115,
  33,24,32,4,32,10,65,2,116,106,32,24,54,2,0,32,10,65,1,106,33,10,12,0,
  11,11,32,9,103,33,15,65,1,65,32,32,15,107,116,33,16,32,6,33,7,32,6,32,
  16,65,1,106,65,2,116,106,33,8,2,64,3,64,32,7,32,8,79,13,1,32,7,65,
  0,54,2,0,32,7,65,4,106,33,7,12,0,11,11,65,0,33,10,2,64,3,64,32,
  10,32,9,79,13,1,32,6,32,4,32,10,65,2,116,106,40,2,0,32,15,118,65,1,
  106,65,2,116,106,33,7,32,7,32,7,40,2,0,65,1,106,54,2,0,32,10,65,1,
  106,33,10,12,0,11,11,65,1,33,17,2,64,3,64,32,17,32,16,75,13,1,32,6,
  32,17,65,2,116,106,33,7,32,7,40,2,0,33,19,32,19,65,32,75,4,64,65,127,
  15,11,32,18,32,19,106,33,18,32,7,32,18,54,2,0,32,17,65,1,106,33,17,12,
  0,11,11,65,0,33,10,2,64,3,64,32,10,32,9,79,13,1,32,4,32,10,65,2,
  116,106,40,2,0,33,20,32,6,32,20,32,15,118,65,2,116,106,33,7,32,7,40,2,
  0,33,19,32,5,32,19,65,2,116,106,32,20,54,2,0,32,7,32,19,65,1,106,54,
  2,0,32,10,65,1,106,33,10,12,0,11,11,32,4,32,5,40,2,0,54,2,0,65,
  1,33,21,65,1,33,10,2,64,3,64,32,10,32,9,79,13,1,32,5,32,10,65,2,
  116,106,40,2,0,33,20,32,10,65,1,106,33,10,32,21,65,1,107,33,11,32,4,32,
  11,65,2,116,106,40,2,0,33,22,32,22,32,20,73,4,64,32,4,32,21,65,2,116,
  106,32,20,54,2,0,32,21,65,1,106,33,21,12,1,11,2,64,3,64,32,22,32,20,
  77,13,1,32,11,65,1,107,33,11,32,11,65,0,72,13,1,32,4,32,11,65,2,116,
  106,40,2,0,33,22,12,0,11,11,32,11,65,0,78,4,64,32,22,32,20,70,13,1,
  11,32,21,33,23,2,64,3,64,32,23,32,11,65,1,106,76,13,1,32,4,32,23,65,
  2,116,106,33,7,32,7,32,7,65,4,107,40,2,0,54,2,0,32,23,65,1,107,33,
  23,12,0,11,11,32,4,32,11,65,1,106,65,2,116,106,32,20,54,2,0,32,21,65,
  1,106,33,21,12,0,11,11,32,21,11,33,0,32,0,32,1,66,207,214,211,190,210,199,
  171,217,66,126,124,66,31,137,66,135,149,175,175,152,182,222,155,158,127,126,11,35,0,32,
  0,66,0,32,1,16,2,133,66,135,149,175,175,152,182,222,155,158,127,126,66,227,220,202,
  149,252,206,242,245,133,127,124,11,235,3,3,1,126,2,127,5,126,32,3,173,66,32,134,
  32,2,173,132,33,4,32,0,32,1,106,33,5,32,1,65,32,79,4,64,32,5,65,32,
  107,33,6,32,4,66,135,149,175,175,152,182,222,155,158,127,124,66,207,214,211,190,210,199,
  171,217,66,124,33,8,32,4,66,207,214,211,190,210,199,171,217,66,124,33,9,32,4,33,
  10,32,4,66,135,149,175,175,152,182,222,155,158,127,125,33,11,3,64,32,8,32,0,41,
  0,0,16,2,33,8,32,9,32,0,41,0,8,16,2,33,9,32,10,32,0,41,0,16,
  16,2,33,10,32,11,32,0,41,0,24,16,2,33,11,32,0,65,32,106,33,0,32,0,
  32,6,77,13,0,11,32,8,66,1,137,32,9,66,7,137,124,32,10,66,12,137,32,11,
  66,18,137,124,124,33,7,32,7,32,8,16,3,33,7,32,7,32,9,16,3,33,7,32,
  7,32,10,16,3,33,7,32,7,32,11,16,3,33,7,5,32,4,66,197,207,217,178,241,
  229,186,234,39,124,33,7,11,32,7,32,1,173,124,33,7,2,64,3,64,32,0,65,8,
  106,32,5,75,13,1,32,7,66,0,32,0,41,0,0,16,2,133,66,27,137,66,135,149,
  175,175,152,182,222,155,158,127,126,66,227,220,202,149,252,206,242,245,133,127,124,33,7,32,
  0,65,8,106,33,0,12,0,11,11,32,0,65,4,106,32,5,77,4,64,32,7,32,0,
  53,0,0,66,135,149,175,175,152,182,222,155,158,127,126,133,66,23,137,66,207,214,211,190,
  210,199,171,217,66,126,66,249,243,221,241,153,246,153,171,22,124,33,7,32,0,65,4,106,
  33,0,11,2,64,3,64,32,0,32,5,79,13,1,32,7,32,0,49,0,0,66,197,207,
  217,178,241,229,186,234,39,126,133,66,11,137,66,135,149,175,175,152,182,222,155,158,127,126,
  33,7,32,0,65,1,106,33,0,12,0,11,11,32,7,32,7,66,33,136,133,66,207,214,
  211,190,210,199,171,217,66,126,33,7,32,7,32,7,66,29,136,133,66,249,243,221,241,153,
  246,153,171,22,126,33,7,65,128,2,32,7,32,7,66,32,136,133,55,3,0,11,
];

/** Longer texts use the JS path (the module's memory never shrinks). */
export const WASM_MAX_UNITS = 1 << 20;

interface Exports {
  memory: WebAssembly.Memory;
  textLength: WebAssembly.Global;
  words(input: number, n: number, out: number, hashes: number, seed: number): number;
  xxh64(p: number, len: number, seedLo: number, seedHi: number): void;
  shingles(hashes: number, words: number, size: number, seed: number, values: number, tmp: number, counts: number): number;
}

interface Kernel {
  readonly exports: Exports;
  bytes: Uint8Array;
  words: Uint32Array;
  /** The memory's size in bytes (read from the buffer only when it grows). */
  capacity: number;
  /** View from the input's offset to the end of memory: `encodeInto` writes only what it needs. */
  input: Uint8Array;
}

/** Where the XXH64 of the normalized text is written (8 bytes, after the fold table). */
const HASH = 256;
/** Where the UTF-8 input starts. */
const INPUT = 264;

let kernel: Kernel | null | undefined;
let encoder: TextEncoder | undefined;
// Where the last call left its results.
let outAt = 0;
let valuesAt = 0;

function refresh(k: Kernel): void {
  const buffer = k.exports.memory.buffer;
  k.bytes = new Uint8Array(buffer);
  k.words = new Uint32Array(buffer);
  k.capacity = buffer.byteLength;
  k.input = k.bytes.subarray(INPUT);
}

function instance(): Kernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const module = new WebAssembly.Module(new Uint8Array(SHINGLE_WASM));
    const exports = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
    const k: Kernel = { exports, bytes: new Uint8Array(0), words: new Uint32Array(0), capacity: 0, input: new Uint8Array(0) };
    refresh(k);
    k.bytes.set(asciiFoldTable(), 0);
    kernel = k;
  } catch {
    kernel = null;
  }
  return kernel;
}

/** Turns the WebAssembly kernel off (or back on), for tests of the JS paths. */
export function setShingleWasmEnabled(enabled: boolean): void {
  kernel = enabled ? undefined : null;
}

/** True when the WebAssembly kernel is available. */
export function shingleWasmActive(): boolean {
  return instance() !== null;
}

const align = (x: number): number => (x + 7) & ~7;

/**
 * The distinct sorted word `size`-gram shingles of `text` under the default normalization, or -1 when the kernel
 * does not apply (no WebAssembly, text not pure ASCII or too long). On success the values are in
 * {@link wasmShingles} and the normalized text (ASCII bytes) in {@link wasmText}, until the next call.
 * @param text - the raw text
 * @param size - words per shingle, ≥ 1
 * @param seed - uint32 seed
 * @returns the number of shingles, or -1
 */
export function wasmWordShingles(text: string, size: number, seed: number): number {
  const L = text.length;
  if (L > WASM_MAX_UNITS) return -1;
  const k = instance();
  if (k === null) return -1;
  const input = INPUT;
  const out = input + align(3 * L + 2);
  const hashes = out + align(L);
  const span = align(4 * ((L >> 1) + 2));
  const values = hashes + span;
  const tmp = values + span;
  const counts = tmp + span;
  const need = counts + 4 * (L + 4);
  if (k.capacity < need) {
    try {
      k.exports.memory.grow(Math.ceil((need - k.capacity) / 65536));
    } catch {
      return -1; // the engine refused the memory: the JS path
    }
    refresh(k);
  }
  encoder ??= new TextEncoder();
  // The memory holds at least 3L + 2 bytes from INPUT on, so the whole text is written, before `out`.
  const n = encoder.encodeInto(text, k.input).written;
  if (n !== L) return -1; // not pure ASCII
  k.bytes[input + n] = 0x20;
  k.bytes[input + n + 1] = 0x20;
  const words = k.exports.words(input, n, out, hashes, seed);
  if (words < 0) return -1;
  outAt = out;
  valuesAt = values;
  let m = k.exports.shingles(hashes, words, size, seed, values, tmp, counts);
  if (m < 0) {
    // A bucket overflowed (adversarial input): sort the unsorted shingles the JS way, O(n log n).
    const count = words - size + 1;
    m = sortDistinct(k.words.subarray(values >> 2, (values >> 2) + count), count);
  }
  return m;
}

/** The shingles left by the last successful {@link wasmWordShingles} call (a view: copy what you keep). */
export function wasmShingles(m: number): Uint32Array {
  return kernel!.words.subarray(valuesAt >> 2, (valuesAt >> 2) + m);
}

/**
 * XXH64 (seed 0) of the normalized text left by the last successful {@link wasmWordShingles} call — the bytes are
 * its UTF-8 — written as `[hi, lo]` into `result` (the same value as `xxh64String(normalized)`).
 */
export function wasmTextHash(result: Uint32Array): void {
  const k = kernel!;
  k.exports.xxh64(outAt, k.exports.textLength.value as number, 0, 0);
  result[0] = k.words[(HASH >> 2) + 1]!;
  result[1] = k.words[HASH >> 2]!;
}

/** The normalized text (ASCII bytes) left by the last successful {@link wasmWordShingles} call (a view). */
export function wasmText(): Uint8Array {
  const k = kernel!;
  return k.bytes.subarray(outAt, outAt + (k.exports.textLength.value as number));
}
