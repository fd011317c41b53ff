;; handler: an instruction left to its handler: flags stored, registers written back and reloaded around it
;; code: 01d8 0fa2 cd80
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
  (local.set $8
   (i32.load offset=12
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
  (block $block
   (block
    (block
     (loop
      (local.set $13
       (local.get $5)
      )
      (local.set $14
       (local.get $8)
      )
      (local.set $15
       (i32.add
        (local.get $13)
        (local.get $14)
       )
      )
      (local.set $5
       (local.get $15)
      )
      (i32.store offset=68
       (local.get $0)
       (i32.const 1)
      )
      (i32.store offset=72
       (local.get $0)
       (local.get $13)
      )
      (i32.store offset=76
       (local.get $0)
       (local.get $14)
      )
      (i32.store offset=80
       (local.get $0)
       (local.get $15)
      )
      (i32.store offset=84
       (local.get $0)
       (i32.const -2147483648)
      )
      (i32.store
       (local.get $0)
       (local.get $5)
      )
      (@metadata.code.branch_hint "\00")
      (if
       (call $fimport$1
        (i32.const 0)
        (i32.const 1)
       )
       (then
        (local.set $3
         (i32.load offset=96
          (local.get $0)
         )
        )
        (local.set $4
         (i32.const 2)
        )
        (br $block)
       )
      )
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
      (drop
       (call $fimport$1
        (i32.const 0)
        (i32.const 2)
       )
      )
      (local.set $3
       (i32.load offset=96
        (local.get $0)
       )
      )
      (local.set $4
       (i32.const 3)
      )
      (br $block)
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
