;; SPDX-License-Identifier: MIT
;; Hostile: a store just past the memory after it grew, then one past the
;; last byte of the new size: the grown pages are usable, the page after
;; them is not (the guard region is committed only as the memory grows):
;; trapped (3001).
(module
  (memory 1)
  (func (export "main")
    (drop (memory.grow (i32.const 2)))
    (i32.store (i32.const 0x2fffc) (i32.const 7))
    (i32.store (i32.const 0x2fffd) (i32.const 7))))
