// SPDX-License-Identifier: MIT
// A small printf engine (see isola/fmt.h): parse one conversion at a time,
// render it into a local buffer, hand pieces to a sink.
#include <isola/fmt.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct fmt_spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec; // -1 when absent
	int len;  // 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t
	char conv;
};

static void emit_pad(isola_fmt_sink_fn sink, void *ctx, char c, int n)
{
	char pad[16];
	memset(pad, c, sizeof(pad));
	while (n > 0) {
		int k = n < (int)sizeof(pad) ? n : (int)sizeof(pad);
		sink(ctx, pad, (size_t)k);
		n -= k;
	}
}

static const char *parse_spec(const char *p, struct fmt_spec *s, va_list *ap)
{
	memset(s, 0, sizeof(*s));
	s->prec = -1;
	for (;; p++) {
		if (*p == '-') s->left = true;
		else if (*p == '0') s->zero = true;
		else if (*p == '+') s->plus = true;
		else if (*p == ' ') s->space = true;
		else if (*p == '#') s->alt = true;
		else break;
	}
	if (*p == '*') {
		s->width = va_arg(*ap, int);
		if (s->width < 0) {
			s->left = true;
			s->width = -s->width;
		}
		p++;
	}
	while (*p >= '0' && *p <= '9')
		s->width = s->width * 10 + (*p++ - '0');
	if (*p == '.') {
		p++;
		s->prec = 0;
		if (*p == '*') {
			s->prec = va_arg(*ap, int);
			p++;
		}
		while (*p >= '0' && *p <= '9')
			s->prec = s->prec * 10 + (*p++ - '0');
	}
	for (;; p++) {
		if (*p == 'l') s->len = s->len == 1 ? 2 : 1;
		else if (*p == 'h') s->len = s->len == -1 ? -2 : -1;
		else if (*p == 'z' || *p == 't' || *p == 'j') s->len = 3;
		else break;
	}
	s->conv = *p;
	return *p ? p + 1 : p;
}

static uint64_t fetch_unsigned(const struct fmt_spec *s, va_list *ap)
{
	switch (s->len) {
	case -2: return (unsigned char)va_arg(*ap, unsigned);
	case -1: return (unsigned short)va_arg(*ap, unsigned);
	case 1: return va_arg(*ap, unsigned long);
	case 2: return va_arg(*ap, unsigned long long);
	case 3: return va_arg(*ap, size_t);
	default: return va_arg(*ap, unsigned);
	}
}

static int64_t fetch_signed(const struct fmt_spec *s, va_list *ap)
{
	switch (s->len) {
	case -2: return (signed char)va_arg(*ap, int);
	case -1: return (short)va_arg(*ap, int);
	case 1: return va_arg(*ap, long);
	case 2: return va_arg(*ap, long long);
	case 3: return (int64_t)va_arg(*ap, size_t);
	default: return va_arg(*ap, int);
	}
}

// Renders digits of v in base into the end of buf; returns the start.
static char *render_digits(char *end, uint64_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	do {
		*--end = digits[v % base];
		v /= base;
	} while (v);
	return end;
}

static int emit_number(isola_fmt_sink_fn sink, void *ctx,
		       const struct fmt_spec *s, uint64_t v, bool neg,
		       unsigned base)
{
	char buf[24], *end = buf + sizeof(buf);
	char *start = (v == 0 && s->prec == 0) ? end
			: render_digits(end, v, base, s->conv == 'X');
	int ndig = (int)(end - start);
	const char *prefix = neg ? "-" : s->plus ? "+" : s->space ? " " : "";
	if (s->alt && v && (base == 16))
		prefix = s->conv == 'X' ? "0X" : "0x";
	int plen = (int)strlen(prefix);
	int zeros = s->prec > ndig ? s->prec - ndig : 0;
	int body = plen + zeros + ndig;
	int pad = s->width > body ? s->width - body : 0;
	if (s->zero && !s->left && s->prec < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!s->left)
		emit_pad(sink, ctx, ' ', pad);
	sink(ctx, prefix, (size_t)plen);
	emit_pad(sink, ctx, '0', zeros);
	sink(ctx, start, (size_t)ndig);
	if (s->left)
		emit_pad(sink, ctx, ' ', pad);
	return plen + zeros + ndig + pad;
}

static int emit_string(isola_fmt_sink_fn sink, void *ctx,
		       const struct fmt_spec *s, const char *str)
{
	if (!str)
		str = "(null)";
	size_t n = s->prec >= 0 ? strnlen(str, (size_t)s->prec) : strlen(str);
	int pad = s->width > (int)n ? s->width - (int)n : 0;
	if (!s->left)
		emit_pad(sink, ctx, ' ', pad);
	sink(ctx, str, n);
	if (s->left)
		emit_pad(sink, ctx, ' ', pad);
	return (int)n + pad;
}

static int emit_conversion(isola_fmt_sink_fn sink, void *ctx,
			   struct fmt_spec *s, va_list *ap)
{
	char c;
	int64_t sv;
	switch (s->conv) {
	case 'd':
	case 'i':
		sv = fetch_signed(s, ap);
		return emit_number(sink, ctx, s,
				   sv < 0 ? -(uint64_t)sv : (uint64_t)sv,
				   sv < 0, 10);
	case 'u': return emit_number(sink, ctx, s, fetch_unsigned(s, ap), false, 10);
	case 'x':
	case 'X': return emit_number(sink, ctx, s, fetch_unsigned(s, ap), false, 16);
	case 'o': return emit_number(sink, ctx, s, fetch_unsigned(s, ap), false, 8);
	case 'p':
		s->alt = true;
		s->conv = 'x';
		return emit_number(sink, ctx, s, (uintptr_t)va_arg(*ap, void *), false, 16);
	case 's': return emit_string(sink, ctx, s, va_arg(*ap, const char *));
	case 'c':
		c = (char)va_arg(*ap, int);
		sink(ctx, &c, 1);
		return 1;
	case '%':
		sink(ctx, "%", 1);
		return 1;
	default:
		// Unknown conversion: print it verbatim so the mistake is visible.
		sink(ctx, "%?", 2);
		return 2;
	}
}

int isola_vformat(isola_fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
	va_list aq;
	int total = 0;
	va_copy(aq, ap);
	while (*fmt) {
		const char *pct = strchr(fmt, '%');
		size_t lit = pct ? (size_t)(pct - fmt) : strlen(fmt);
		sink(ctx, fmt, lit);
		total += (int)lit;
		if (!pct)
			break;
		struct fmt_spec s;
		fmt = parse_spec(pct + 1, &s, &aq);
		total += emit_conversion(sink, ctx, &s, &aq);
	}
	va_end(aq);
	return total;
}

struct buf_sink {
	char *buf;
	size_t size, used;
};

static void buf_sink_put(void *ctx, const char *s, size_t n)
{
	struct buf_sink *b = ctx;
	if (b->used < b->size) {
		size_t room = b->size - b->used;
		memcpy(b->buf + b->used, s, n < room ? n : room);
	}
	b->used += n;
}

int isola_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = { buf, size ? size - 1 : 0, 0 };
	int n = isola_vformat(buf_sink_put, &b, fmt, ap);
	if (size)
		buf[b.used < b.size ? b.used : b.size] = '\0';
	return n;
}

int isola_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = isola_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void isola_appendf(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
	va_list ap;
	size_t at = *used < size ? *used : size;
	va_start(ap, fmt);
	int n = isola_vsnprintf(buf + at, size - at, fmt, ap);
	va_end(ap);
	*used += n > 0 ? (size_t)n : 0;
}
