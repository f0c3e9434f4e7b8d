;; SPDX-License-Identifier: MIT
;; Hostile: an endless loop that never calls the kernel. Started in the
;; background and stopped with `kill ID`: killed (3100).
(module
  (func (export "main")
    (loop $forever
      br $forever)))
