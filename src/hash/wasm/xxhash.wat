;; xxHash kernels (XXH32 and XXH64, as in the xxHash specification) for neardup.
;; Compiled by scripts/build-wasm.mjs into xxhash-wasm-bytes.ts; tests/hash-wasm.test.ts checks the two agree.
;; Memory layout: bytes [0, 8) receive the XXH64 result (lo, hi as little-endian u32); input starts at 16.
(module
  (memory (export "memory") 1)

  (func (export "xxh32") (param $p i32) (param $len i32) (param $seed i32) (result i32)
    (local $end i32) (local $limit i32) (local $h i32)
    (local $v1 i32) (local $v2 i32) (local $v3 i32) (local $v4 i32)
    (local.set $end (i32.add (local.get $p) (local.get $len)))
    (if (i32.ge_u (local.get $len) (i32.const 16))
      (then
        (local.set $limit (i32.sub (local.get $end) (i32.const 16)))
        (local.set $v1 (i32.add (i32.add (local.get $seed) (i32.const 0x9E3779B1)) (i32.const 0x85EBCA77)))
        (local.set $v2 (i32.add (local.get $seed) (i32.const 0x85EBCA77)))
        (local.set $v3 (local.get $seed))
        (local.set $v4 (i32.sub (local.get $seed) (i32.const 0x9E3779B1)))
        (loop $stripe
          (local.set $v1 (i32.mul (i32.rotl (i32.add (local.get $v1)
            (i32.mul (i32.load offset=0 align=1 (local.get $p)) (i32.const 0x85EBCA77))) (i32.const 13)) (i32.const 0x9E3779B1)))
          (local.set $v2 (i32.mul (i32.rotl (i32.add (local.get $v2)
            (i32.mul (i32.load offset=4 align=1 (local.get $p)) (i32.const 0x85EBCA77))) (i32.const 13)) (i32.const 0x9E3779B1)))
          (local.set $v3 (i32.mul (i32.rotl (i32.add (local.get $v3)
            (i32.mul (i32.load offset=8 align=1 (local.get $p)) (i32.const 0x85EBCA77))) (i32.const 13)) (i32.const 0x9E3779B1)))
          (local.set $v4 (i32.mul (i32.rotl (i32.add (local.get $v4)
            (i32.mul (i32.load offset=12 align=1 (local.get $p)) (i32.const 0x85EBCA77))) (i32.const 13)) (i32.const 0x9E3779B1)))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $stripe (i32.le_u (local.get $p) (local.get $limit))))
        (local.set $h (i32.add (i32.add (i32.rotl (local.get $v1) (i32.const 1)) (i32.rotl (local.get $v2) (i32.const 7)))
                               (i32.add (i32.rotl (local.get $v3) (i32.const 12)) (i32.rotl (local.get $v4) (i32.const 18))))))
      (else (local.set $h (i32.add (local.get $seed) (i32.const 0x165667B1)))))
    (local.set $h (i32.add (local.get $h) (local.get $len)))
    (block $done4
      (loop $word
        (br_if $done4 (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $end)))
        (local.set $h (i32.mul (i32.rotl (i32.add (local.get $h)
          (i32.mul (i32.load align=1 (local.get $p)) (i32.const 0xC2B2AE3D))) (i32.const 17)) (i32.const 0x27D4EB2F)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $word)))
    (block $done1
      (loop $byte
        (br_if $done1 (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $h (i32.mul (i32.rotl (i32.add (local.get $h)
          (i32.mul (i32.load8_u (local.get $p)) (i32.const 0x165667B1))) (i32.const 11)) (i32.const 0x9E3779B1)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $byte)))
    (local.set $h (i32.mul (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 15))) (i32.const 0x85EBCA77)))
    (local.set $h (i32.mul (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 13))) (i32.const 0xC2B2AE3D)))
    (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))

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

  ;; Writes XXH64(p, len, seedHi:seedLo) to memory [0, 8) as a little-endian u64.
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
    (i64.store (i32.const 0) (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 32))))))
