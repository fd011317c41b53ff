;; store-loop: stores through the TLB (the slow path a callback), a pointer compared and a loop
;; code: 8907 83c704 39f7 75f7 cd80
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
  (local.set $5
   (i32.load
    (local.get $0)
   )
  )
  (local.set $6
   (i32.load offset=4
    (local.get $0)
   )
  )
  (local.set $7
   (i32.load offset=8
    (local.get $0)
   )
  )
  (local.set $8
   (i32.load offset=12
    (local.get $0)
   )
  )
  (local.set $9
   (i32.load offset=16
    (local.get $0)
   )
  )
  (local.set $10
   (i32.load offset=20
    (local.get $0)
   )
  )
  (local.set $11
   (i32.load offset=24
    (local.get $0)
   )
  )
  (local.set $12
   (i32.load offset=28
    (local.get $0)
   )
  )
  (block $block2
   (block $block1
    (block $block
     (loop $label
      (local.set $13
       (local.get $12)
      )
      (@metadata.code.branch_hint "\01")
      (if
       (i32.eq
        (i32.load offset=1638400
         (local.tee $14
          (i32.and
           (i32.shr_u
            (local.get $13)
            (i32.const 9)
           )
           (i32.const 524280)
          )
         )
        )
        (i32.and
         (i32.add
          (local.get $13)
          (i32.const 3)
         )
         (i32.const -4096)
        )
       )
       (then
        (i32.store
         (i32.add
          (i32.load offset=1638404
           (local.get $14)
          )
          (local.get $13)
         )
         (local.get $5)
        )
       )
       (else
        (local.set $15
         (call $fimport$0
          (i32.const 20)
          (local.get $13)
          (local.get $5)
          (i32.const 0)
         )
        )
        (@metadata.code.branch_hint "\00")
        (br_if $block
         (i32.load offset=116
          (local.get $0)
         )
        )
        (@metadata.code.branch_hint "\00")
        (if
         (local.get $15)
         (then
          (local.set $3
           (i32.const 4098)
          )
          (local.set $4
           (i32.const 1)
          )
          (br $block1)
         )
        )
       )
      )
      (local.set $12
       (i32.add
        (local.get $12)
        (i32.const 4)
       )
      )
      (local.set $15
       (local.get $12)
      )
      (local.set $14
       (local.get $11)
      )
      (local.set $13
       (i32.sub
        (local.get $15)
        (local.get $14)
       )
      )
      (if
       (i32.ne
        (local.get $15)
        (local.get $14)
       )
       (then
        (local.set $2
         (i32.add
          (local.get $2)
          (i32.const 4)
         )
        )
        (local.set $1
         (i32.sub
          (local.get $1)
          (i32.const 4)
         )
        )
        (@metadata.code.branch_hint "\01")
        (if
         (i32.and
          (i32.eqz
           (i32.load offset=108
            (local.get $0)
           )
          )
          (i32.ge_u
           (local.get $1)
           (i32.const 5)
          )
         )
         (then
          (i32.store offset=100
           (local.get $0)
           (i32.const 0)
          )
          (i32.store offset=104
           (local.get $0)
           (local.get $2)
          )
          (br $label)
         )
        )
        (local.set $3
         (i32.const 4096)
        )
        (local.set $4
         (i32.const 0)
        )
        (br $block1)
       )
      )
      (i32.store offset=68
       (local.get $0)
       (i32.const 3)
      )
      (i32.store offset=72
       (local.get $0)
       (local.get $15)
      )
      (i32.store offset=76
       (local.get $0)
       (local.get $14)
      )
      (i32.store offset=80
       (local.get $0)
       (local.get $13)
      )
      (i32.store offset=84
       (local.get $0)
       (i32.const -2147483648)
      )
      (i32.store
       (local.get $0)
       (local.get $5)
      )
      (i32.store offset=4
       (local.get $0)
       (local.get $6)
      )
      (i32.store offset=8
       (local.get $0)
       (local.get $7)
      )
      (i32.store offset=12
       (local.get $0)
       (local.get $8)
      )
      (i32.store offset=16
       (local.get $0)
       (local.get $9)
      )
      (i32.store offset=20
       (local.get $0)
       (local.get $10)
      )
      (i32.store offset=24
       (local.get $0)
       (local.get $11)
      )
      (i32.store offset=28
       (local.get $0)
       (local.get $12)
      )
      (drop
       (call $fimport$1
        (i32.const 0)
        (i32.const 4)
       )
      )
      (local.set $3
       (i32.load offset=96
        (local.get $0)
       )
      )
      (local.set $4
       (i32.const 5)
      )
      (br $block2)
     )
    )
    (i32.store
     (local.get $0)
     (local.get $5)
    )
    (i32.store offset=4
     (local.get $0)
     (local.get $6)
    )
    (i32.store offset=8
     (local.get $0)
     (local.get $7)
    )
    (i32.store offset=12
     (local.get $0)
     (local.get $8)
    )
    (i32.store offset=16
     (local.get $0)
     (local.get $9)
    )
    (i32.store offset=20
     (local.get $0)
     (local.get $10)
    )
    (i32.store offset=24
     (local.get $0)
     (local.get $11)
    )
    (i32.store offset=28
     (local.get $0)
     (local.get $12)
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
   (i32.store offset=4
    (local.get $0)
    (local.get $6)
   )
   (i32.store offset=8
    (local.get $0)
    (local.get $7)
   )
   (i32.store offset=12
    (local.get $0)
    (local.get $8)
   )
   (i32.store offset=16
    (local.get $0)
    (local.get $9)
   )
   (i32.store offset=20
    (local.get $0)
    (local.get $10)
   )
   (i32.store offset=24
    (local.get $0)
    (local.get $11)
   )
   (i32.store offset=28
    (local.get $0)
    (local.get $12)
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
