;; pc-thunk: a call of a PC thunk in another page (mov eax,[esp]; ret): under the epoch it was checked in, eax := the return address, esp as before, on at the return address; the call itself otherwise
;; code: b903000000 e8f60f0000 49 75f8 cd80
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
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
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
  (local $16 i32)
  (local.set $9
   (i32.load offset=16
    (local.get $0)
   )
  )
  (local.set $5
   (i32.load
    (local.get $0)
   )
  )
  (block
   (block $block1
    (block $block
     (loop
      (local.set $13
       (i32.const 4106)
      )
      (local.set $14
       (i32.sub
        (local.get $9)
        (i32.const 4)
       )
      )
      (@metadata.code.branch_hint "\01")
      (if
       (i32.eq
        (i32.load offset=1638400
         (local.tee $15
          (i32.and
           (i32.shr_u
            (local.get $14)
            (i32.const 9)
           )
           (i32.const 524280)
          )
         )
        )
        (i32.and
         (i32.add
          (local.get $14)
          (i32.const 3)
         )
         (i32.const -4096)
        )
       )
       (then
        (i32.store
         (i32.add
          (i32.load offset=1638404
           (local.get $15)
          )
          (local.get $14)
         )
         (local.get $13)
        )
        (local.set $9
         (local.get $14)
        )
       )
       (else
        (local.set $16
         (call $fimport$0
          (i32.const 20)
          (local.get $14)
          (local.get $13)
          (i32.const 0)
         )
        )
        (@metadata.code.branch_hint "\00")
        (br_if $block
         (i32.load offset=116
          (local.get $0)
         )
        )
        (local.set $9
         (local.get $14)
        )
        (@metadata.code.branch_hint "\00")
        (if
         (local.get $16)
         (then
          (local.set $3
           (i32.const 8192)
          )
          (local.set $4
           (i32.const 1)
          )
          (br $block1)
         )
        )
       )
      )
      (@metadata.code.branch_hint "\01")
      (if
       (i32.and
        (i32.or
         (i32.eq
          (i32.load offset=112
           (local.get $0)
          )
          (i32.load offset=2162688
           (i32.const 0)
          )
         )
         (i32.eq
          (i32.load offset=112
           (local.get $0)
          )
          (i32.load offset=2162692
           (i32.const 0)
          )
         )
        )
        (i32.ge_u
         (local.get $1)
         (i32.const 3)
        )
       )
       (then
        (local.set $9
         (i32.add
          (local.get $14)
          (i32.const 4)
         )
        )
        (local.set $5
         (local.get $13)
        )
        (local.set $2
         (i32.add
          (local.get $2)
          (i32.const 2)
         )
        )
        (local.set $1
         (i32.sub
          (local.get $1)
          (i32.const 2)
         )
        )
        (local.set $3
         (i32.const 4106)
        )
        (local.set $4
         (i32.const 1)
        )
        (br $block1)
       )
      )
      (local.set $3
       (i32.const 8192)
      )
      (local.set $4
       (i32.const 1)
      )
      (br $block1)
     )
    )
    (i32.store
     (local.get $0)
     (local.get $5)
    )
    (i32.store offset=16
     (local.get $0)
     (local.get $9)
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
    (local.get $5)
   )
   (i32.store offset=16
    (local.get $0)
    (local.get $9)
   )
  )
  (return_call $fimport$3
   (local.get $0)
   (i32.sub
    (local.get $1)
    (local.get $4)
   )
   (i32.add
    (local.get $2)
    (local.get $4)
   )
   (local.get $3)
  )
 )
)
