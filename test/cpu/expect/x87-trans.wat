;; x87-trans: x87: fld and fstp m80 copied inline through the TLB, fsqrt through the runtime's x87TransFn, the handler where it declines
;; code: db2e d9fa db3f 8b4704 cd80
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
  (local $17 i32)
  (local $18 i32)
  (local $19 i32)
  (local $20 i32)
  (local $scratch i32)
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
  (local.set $5
   (i32.load
    (local.get $0)
   )
  )
  (block $block1
   (block
    (block $block
     (loop
      (local.set $13
       (local.get $11)
      )
      (@metadata.code.branch_hint "\00")
      (if
       (i32.eqz
        (@metadata.code.branch_hint "\01")
        (if (result i32)
         (i32.and
          (i32.and
           (i32.eq
            (i32.load offset=1114112
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
              (i32.const 9)
             )
             (i32.const -4096)
            )
           )
           (block (result i32)
            (local.set $16
             (i32.load offset=456
              (local.get $0)
             )
            )
            (local.set $17
             (i32.load offset=460
              (local.get $0)
             )
            )
            (i32.eqz
             (i32.or
              (i32.and
               (local.tee $18
                (i32.load offset=452
                 (local.get $0)
                )
               )
               (i32.const 128)
              )
              (i32.load offset=124
               (local.get $0)
              )
             )
            )
           )
          )
          (i32.and
           (i32.shr_u
            (local.get $17)
            (i32.and
             (i32.add
              (local.get $16)
              (i32.const 7)
             )
             (i32.const 7)
            )
           )
           (i32.const 1)
          )
         )
         (then
          (local.set $15
           (i32.add
            (i32.load offset=1114116
             (local.get $14)
            )
            (local.get $13)
           )
          )
          (local.set $16
           (i32.and
            (i32.add
             (local.get $16)
             (i32.const 7)
            )
            (i32.const 7)
           )
          )
          (local.set $19
           (i32.add
            (local.get $0)
            (i32.shl
             (i32.and
              (local.get $16)
              (i32.const 7)
             )
             (i32.const 4)
            )
           )
          )
          (i64.store offset=320 align=4
           (local.get $19)
           (i64.load align=4
            (local.get $15)
           )
          )
          (i32.store offset=328
           (local.get $19)
           (i32.load16_u offset=8
            (local.get $15)
           )
          )
          (i32.store offset=460
           (local.get $0)
           (i32.and
            (local.get $17)
            (i32.xor
             (i32.shl
              (i32.const 1)
              (local.get $16)
             )
             (i32.const -1)
            )
           )
          )
          (i32.store offset=456
           (local.get $0)
           (local.get $16)
          )
          (i32.store offset=452
           (local.get $0)
           (i32.and
            (local.get $18)
            (i32.const -513)
           )
          )
          (i32.const 1)
         )
         (else
          (i32.const 0)
         )
        )
       )
       (then
        (drop
         (call $fimport$0
          (i32.const 80)
          (local.get $13)
          (i32.const 0)
          (i32.const 0)
         )
        )
        (local.set $20
         (local.get $11)
        )
        (drop
         (call $fimport$0
          (i32.const 96)
          (local.get $20)
          (i32.const 0)
          (i32.const 0)
         )
        )
        (@metadata.code.branch_hint "\00")
        (br_if $block
         (i32.load offset=116
          (local.get $0)
         )
        )
       )
      )
      (@metadata.code.branch_hint "\00")
      (if
       (i32.eqz
        (call $fimport$10
         (local.get $0)
         (i32.const 4)
        )
       )
       (then
        (drop
         (call $fimport$0
          (i32.const 96)
          (i32.const 0)
          (i32.const 0)
          (i32.const 1)
         )
        )
        (@metadata.code.branch_hint "\00")
        (br_if $block
         (i32.load offset=116
          (local.get $0)
         )
        )
       )
      )
      (local.set $20
       (local.get $12)
      )
      (@metadata.code.branch_hint "\00")
      (if
       (i32.eqz
        (@metadata.code.branch_hint "\01")
        (if (result i32)
         (i32.and
          (i32.and
           (i32.eq
            (i32.load offset=1638400
             (local.tee $19
              (i32.and
               (i32.shr_u
                (local.get $20)
                (i32.const 9)
               )
               (i32.const 524280)
              )
             )
            )
            (i32.and
             (i32.add
              (local.get $20)
              (i32.const 9)
             )
             (i32.const -4096)
            )
           )
           (block (result i32)
            (local.set $17
             (i32.load offset=456
              (local.get $0)
             )
            )
            (local.set $16
             (i32.load offset=460
              (local.get $0)
             )
            )
            (i32.eqz
             (i32.or
              (i32.and
               (local.tee $15
                (i32.load offset=452
                 (local.get $0)
                )
               )
               (i32.const 128)
              )
              (i32.load offset=124
               (local.get $0)
              )
             )
            )
           )
          )
          (i32.eqz
           (i32.and
            (i32.shr_u
             (local.get $16)
             (local.get $17)
            )
            (i32.const 1)
           )
          )
         )
         (then
          (local.set $18
           (i32.add
            (i32.load offset=1638404
             (local.get $19)
            )
            (local.get $20)
           )
          )
          (local.set $14
           (i32.add
            (local.get $0)
            (i32.shl
             (i32.and
              (local.get $17)
              (i32.const 7)
             )
             (i32.const 4)
            )
           )
          )
          (i64.store align=4
           (local.get $18)
           (i64.load offset=320 align=4
            (local.get $14)
           )
          )
          (i32.store16 offset=8
           (local.get $18)
           (i32.load offset=328
            (local.get $14)
           )
          )
          (i32.store offset=460
           (local.get $0)
           (i32.or
            (local.get $16)
            (i32.shl
             (i32.const 1)
             (local.get $17)
            )
           )
          )
          (i32.store offset=456
           (local.get $0)
           (i32.and
            (i32.add
             (local.get $17)
             (i32.const 1)
            )
            (i32.const 7)
           )
          )
          (i32.store offset=452
           (local.get $0)
           (i32.and
            (local.get $15)
            (i32.const -513)
           )
          )
          (i32.const 1)
         )
         (else
          (i32.const 0)
         )
        )
       )
       (then
        (drop
         (call $fimport$0
          (i32.const 80)
          (local.get $20)
          (i32.const 1)
          (i32.const 2)
         )
        )
        (local.set $13
         (local.get $12)
        )
        (drop
         (call $fimport$0
          (i32.const 96)
          (local.get $13)
          (i32.const 0)
          (i32.const 2)
         )
        )
        (@metadata.code.branch_hint "\00")
        (br_if $block
         (i32.load offset=116
          (local.get $0)
         )
        )
       )
      )
      (local.set $13
       (i32.add
        (i32.const 4)
        (local.get $12)
       )
      )
      (local.set $5
       (@metadata.code.branch_hint "\01")
       (if (result i32)
        (i32.eq
         (i32.load offset=1114112
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
         (i32.load
          (i32.add
           (i32.load offset=1114116
            (local.get $14)
           )
           (local.get $13)
          )
         )
        )
        (else
         (local.set $scratch
          (call $fimport$0
           (i32.const 4)
           (local.get $13)
           (i32.const 0)
           (i32.const 3)
          )
         )
         (@metadata.code.branch_hint "\00")
         (br_if $block
          (i32.load offset=116
           (local.get $0)
          )
         )
         (local.get $scratch)
        )
       )
      )
      (i32.store
       (local.get $0)
       (local.get $5)
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
      (br $block1)
     )
    )
    (i32.store
     (local.get $0)
     (local.get $5)
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
