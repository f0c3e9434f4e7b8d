// SPDX-License-Identifier: MIT
// Feature names, as sipverify's --features takes them (wabt's set).
#include <isola/verifier.h>

#include <string.h>

static const struct {
	const char *name;
	uint32_t bits;
} vf_feature_names[] = {
	{"mvp", VF_FEATURES_MVP},
	{"sign-ext", VF_FEAT_SIGN_EXT},
	{"sat-float-to-int", VF_FEAT_SAT_FLOAT_TO_INT},
	{"bulk-memory", VF_FEAT_BULK_MEMORY},
	{"mutable-globals", VF_FEAT_MUTABLE_GLOBALS},
	{"multi-value", VF_FEAT_MULTI_VALUE},
	{"all", VF_FEATURES_ALL},
};

static bool vf_feature_lookup(const char *s, size_t n, uint32_t *bits)
{
	for (size_t i = 0; i < ISOLA_ARRAY_LEN(vf_feature_names); i++) {
		const char *name = vf_feature_names[i].name;
		if (strlen(name) == n && strncmp(name, s, n) == 0) {
			*bits = vf_feature_names[i].bits;
			return true;
		}
	}
	return false;
}

isola_err_t vf_features_parse(const char *list, uint32_t *out)
{
	uint32_t acc = 0;
	const char *p = list;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		uint32_t bits;
		if (!vf_feature_lookup(p, n, &bits))
			return ERR_VF_FEATURE_NAME;
		acc |= bits;
		if (!comma)
			break;
		p = comma + 1;
	}
	*out = acc;
	return ERR_OK;
}

const char *vf_feature_name(uint32_t bit)
{
	for (size_t i = 1; i + 1 < ISOLA_ARRAY_LEN(vf_feature_names); i++)
		if (vf_feature_names[i].bits == bit)
			return vf_feature_names[i].name;
	return NULL;
}
