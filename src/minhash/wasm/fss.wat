(module
  ;; fss(n, k, key, salts, acc, ys): the FSS signature of the n uint32 shingles at byte offset ys (keyed in place)
  ;; into the k slots at acc, with the 2k round salts at salts. Exactly fastInto's values, unsigned (no sign flip):
  ;; slot = round << shift | frac >> rb; the update is a branch-free select (a mispredicted branch costs more).
  ;; The default k = 128 has a loop of its own where bin and frac are constant shifts of h (bin = h >> 25,
  ;; frac = h << 7, rb = 8): x64 shifts by a variable count cost several µops, and the 64-bit product goes; the
  ;; values are the same, and the kernel is ~12% faster.
  (memory (export "memory") 1)
  (func $mix (param $x i32) (result i32)
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 16))))
    (local.set $x (i32.mul (local.get $x) (i32.const 0x7feb352d)))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 15))))
    (local.set $x (i32.mul (local.get $x) (i32.const 0x846ca68b)))
    (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 16))))
  (func (export "fss") (param $n i32) (param $k i32) (param $key i32) (param $salts i32) (param $acc i32) (param $ys i32)
    (local $p i32) (local $end i32) (local $rb i32) (local $shift i32) (local $r i32) (local $filled i32)
    (local $salt i32) (local $base i32) (local $h i32) (local $v i32) (local $cur i32) (local $addr i32)
    (local $k64 i64) (local $b i32) (local $best i32)
    ;; ys[e] = mix(ys[e] ^ key)
    (local.set $end (i32.add (local.get $ys) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $p (local.get $ys))
    (block $kd (loop $kl
      (br_if $kd (i32.ge_u (local.get $p) (local.get $end)))
      (i32.store (local.get $p) (call $mix (i32.xor (i32.load (local.get $p)) (local.get $key))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $kl)))
    ;; acc[0 .. k) = 0xffffffff
    (local.set $p (local.get $acc))
    (local.set $v (i32.add (local.get $acc) (i32.shl (local.get $k) (i32.const 2))))
    (block $ad (loop $al
      (br_if $ad (i32.ge_u (local.get $p) (local.get $v)))
      (i32.store (local.get $p) (i32.const -1))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $al)))
    (local.set $rb (i32.sub (i32.const 32) (i32.clz (i32.sub (i32.shl (local.get $k) (i32.const 1)) (i32.const 1)))))
    (local.set $shift (i32.sub (i32.const 32) (local.get $rb)))
    (local.set $k64 (i64.extend_i32_u (local.get $k)))
    ;; random rounds r < k until every slot is filled: bin = h·k >> 32, frac = h·k mod 2^32
    (block $rd (loop $rl
      (br_if $rd (i32.ge_u (local.get $r) (local.get $k)))
      (br_if $rd (i32.ge_u (local.get $filled) (local.get $k)))
      (local.set $salt (i32.load (i32.add (local.get $salts) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $base (i32.shl (local.get $r) (local.get $shift)))
      (local.set $p (local.get $ys))
      (if (i32.eq (local.get $k) (i32.const 128))
        (then
          (block $qd (loop $ql
            (br_if $qd (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $h (i32.xor (i32.load (local.get $p)) (local.get $salt)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
            (local.set $h (i32.mul (local.get $h) (i32.const 0x7feb352d)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 15))))
            (local.set $h (i32.mul (local.get $h) (i32.const 0x846ca68b)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
            (local.set $addr (i32.add (local.get $acc) (i32.shl (i32.shr_u (local.get $h) (i32.const 25)) (i32.const 2))))
            (local.set $v (i32.or (local.get $base) (i32.shr_u (i32.shl (local.get $h) (i32.const 7)) (i32.const 8))))
            (local.set $cur (i32.load (local.get $addr)))
            (local.set $filled (i32.add (local.get $filled) (i32.eq (local.get $cur) (i32.const -1))))
            (i32.store (local.get $addr) (select (local.get $v) (local.get $cur) (i32.lt_u (local.get $v) (local.get $cur))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $ql))))
        (else
          (block $ed (loop $el
            (br_if $ed (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $h (i32.xor (i32.load (local.get $p)) (local.get $salt)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
            (local.set $h (i32.mul (local.get $h) (i32.const 0x7feb352d)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 15))))
            (local.set $h (i32.mul (local.get $h) (i32.const 0x846ca68b)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
            (local.set $addr (i32.add (local.get $acc) (i32.shl
              (i32.wrap_i64 (i64.shr_u (i64.mul (i64.extend_i32_u (local.get $h)) (local.get $k64)) (i64.const 32)))
              (i32.const 2))))
            (local.set $v (i32.or (local.get $base) (i32.shr_u (i32.mul (local.get $h) (local.get $k)) (local.get $rb))))
            (local.set $cur (i32.load (local.get $addr)))
            (local.set $filled (i32.add (local.get $filled) (i32.eq (local.get $cur) (i32.const -1))))
            (i32.store (local.get $addr) (select (local.get $v) (local.get $cur) (i32.lt_u (local.get $v) (local.get $cur))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $el)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl)))
    ;; rounds k + b fill every slot b still empty: the minimum hash with salt k + b
    (if (i32.lt_u (local.get $filled) (local.get $k)) (then
      (local.set $b (i32.const 0))
      (block $bd (loop $bl
        (br_if $bd (i32.ge_u (local.get $b) (local.get $k)))
        (local.set $addr (i32.add (local.get $acc) (i32.shl (local.get $b) (i32.const 2))))
        (if (i32.eq (i32.load (local.get $addr)) (i32.const -1)) (then
          (local.set $salt (i32.load (i32.add (local.get $salts) (i32.shl (i32.add (local.get $k) (local.get $b)) (i32.const 2)))))
          (local.set $best (i32.const -1))
          (local.set $p (local.get $ys))
          (block $fd (loop $fl
            (br_if $fd (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $h (call $mix (i32.xor (i32.load (local.get $p)) (local.get $salt))))
            (local.set $best (select (local.get $h) (local.get $best) (i32.lt_u (local.get $h) (local.get $best))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $fl)))
          ;; a real 0xffffffff becomes 0xfffffffe, so no non-empty signature looks empty (only a value of these
          ;; rounds can be 0xffffffff: a random round r < k gives values below 2^31, since k <= 2^(rb - 1))
          (local.set $v (i32.or
            (i32.shl (i32.add (local.get $k) (local.get $b)) (local.get $shift))
            (i32.shr_u (local.get $best) (local.get $rb))))
          (i32.store (local.get $addr) (select (i32.const -2) (local.get $v) (i32.eq (local.get $v) (i32.const -1))))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bl))))))
)
