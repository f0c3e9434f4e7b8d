// SPDX-License-Identifier: MIT
// benchnull: the SIP bench creates, starts and ends over and over; it does
// nothing.
#include <sip/sip.h>

SIP_NS_ENDPOINT(0);

int main(void)
{
	return 0;
}
