;; simd: SSE inline: pshufb (a swizzle), pcmpeqb, pmovmskb; the xmm registers in v128 locals, loaded in the prologue and written back on the way out (and around a handler)
;; code: 660f3800c1 660f74c2 660fd7c0 cd80
(module
 (type $0 (func (param i32 i32) (result i32)))
 (type $1 (func (param i32 i32 i32 i32) (result i32)))
 (type $2 (func (param i32) (result i32)))
 (type $3 (func (param i32 i32 i32) (result i32)))
 (import "e" "m" (memory $mimport$0 0 16384 shared))
 (import "e" "slow" (func $fimport$0 (param i32 i32 i32 i32) (result i32)))
 (import "e" "exec" (func $fimport$1 (param i32 i32) (result i32)))
 (import "e" "cond" (func $fimport$2 (param i32 i32) (result i32)))
 (import "e" "next" (func $fimport$3 (param i32 i32 i32 i32) (result i32)))
 (import "e" "x87" (func $fimport$4 (param i32 i32) (result i32)))
 (import "e" "x87cmp" (func $fimport$5 (param i32 i32) (result i32)))
 (import "e" "x87ld" (func $fimport$6 (param i32 i32 i32 i32) (result i32)))
 (import "e" "x87st" (func $fimport$7 (param i32 i32) (result i32)))
 (import "e" "x87ist" (func $fimport$8 (param i32 i32) (result i32)))
 (import "e" "x87rnd" (func $fimport$9 (param i32) (result i32)))
 (import "e" "x87tr" (func $fimport$10 (param i32 i32) (result i32)))
 (export "b0" (func $0))
 (func $0 (param $0 i32) (param $1 i32) (param $2 i32) (result i32)
  (local $3 v128)
  (local $4 v128)
  (local $5 v128)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i32)
  (local $13 i32)
  (local $14 i32)
  (local $15 i32)
  (local.set $3
   (v128.load offset=128 align=1
    (local.get $0)
   )
  )
  (local.set $4
   (v128.load offset=144 align=1
    (local.get $0)
   )
  )
  (local.set $5
   (v128.load offset=160 align=1
    (local.get $0)
   )
  )
  (local.set $8
   (i32.load
    (local.get $0)
   )
  )
  (block $block
   (block
    (block
     (loop
      (local.set $3
       (i8x16.swizzle
        (local.get $3)
        (v128.and
         (local.get $4)
         (v128.const i32x4 0x8f8f8f8f 0x8f8f8f8f 0x8f8f8f8f 0x8f8f8f8f)
        )
       )
      )
      (local.set $3
       (i8x16.eq
        (local.get $3)
        (local.get $5)
       )
      )
      (local.set $8
       (i8x16.bitmask
        (local.get $3)
       )
      )
      (i32.store
       (local.get $0)
       (local.get $8)
      )
      (v128.store offset=128 align=1
       (local.get $0)
       (local.get $3)
      )
      (drop
       (call $fimport$1
        (i32.const 0)
        (i32.const 3)
       )
      )
      (local.set $6
       (i32.load offset=96
        (local.get $0)
       )
      )
      (local.set $7
       (i32.const 4)
      )
      (br $block)
     )
    )
    (i32.store
     (local.get $0)
     (local.get $8)
    )
    (v128.store offset=128 align=1
     (local.get $0)
     (local.get $3)
    )
    (drop
     (call $fimport$0
      (i32.const 64)
      (i32.const 0)
      (i32.const 0)
      (i32.const 0)
     )
    )
    (unreachable)
   )
   (i32.store
    (local.get $0)
    (local.get $8)
   )
   (v128.store offset=128 align=1
    (local.get $0)
    (local.get $3)
   )
  )
  (return_call $fimport$3
   (local.get $0)
   (i32.sub
    (local.get $1)
    (local.get $7)
   )
   (i32.add
    (local.get $2)
    (local.get $7)
   )
   (local.get $6)
  )
 )
)
