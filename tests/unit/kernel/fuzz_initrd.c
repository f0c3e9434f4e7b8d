// SPDX-License-Identifier: MIT
// libFuzzer harness for the initrd (newc cpio) reader.
#include <initrd.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct initrd_file f;
	size_t cursor = 0, prev = 0;
	while (initrd_next(data, size, &cursor, &f) == ERR_OK) {
		if (cursor <= prev || cursor > size || f.data < data ||
		    f.data + f.size > data + size)
			abort(); // must move forward and stay inside the input
		prev = cursor;
	}
	return 0;
}
