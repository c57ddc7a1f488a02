(module
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
)
