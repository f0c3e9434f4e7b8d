// SPDX-License-Identifier: MIT
// errno, set only by the strto* functions (ERANGE, EINVAL).
#ifndef _ERRNO_H
#define _ERRNO_H

extern int errno;

#define EINVAL 22
#define ERANGE 34
#define ENOMEM 12

#endif
