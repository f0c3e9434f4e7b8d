// SPDX-License-Identifier: MIT
// Calls a function that nothing defines: sipcc must fail at link time
// (no undefined symbols become imports).
int isola_test_missing(int x);
int main(void);

int main(void)
{
	return isola_test_missing(1);
}
