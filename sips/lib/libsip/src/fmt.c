// SPDX-License-Identifier: MIT
// The printf engine: parses each conversion into a struct spec, fetches its
// argument, renders the body (digits, string, character) and lays it out
// with sign or 0x prefix, zero padding and width. Output goes to a sink in
// pieces, so printf needs no buffer of its own. Portable C, unit-tested on
// the host against the host's snprintf.
//
// Conversions: d i u x X o c s p % and f F (simple: correct to the last
// digit except on exact ties and beyond 2^64, where it is approximate).
// Flags - 0 + space #, width and precision (also *), length modifiers
// hh h l ll z j t. %n is not supported; any other conversion is copied out
// as it was written.
#include "rt.h"

#include <limits.h>

enum {
	F_LEFT = 1,
	F_ZERO = 2,
	F_PLUS = 4,
	F_SPACE = 8,
	F_ALT = 16,
};

struct spec {
	unsigned flags;
	int width;
	int prec; // -1: none
	char len; // 'H' hh, 'h', 'l', 'L' ll, 'z', 'j', 't', 0
	char conv;
};

struct out {
	rt_sink_fn sink;
	void *ctx;
	size_t total;
};

// A rendered conversion: prefix (sign, 0x), zeros, then the body.
struct piece {
	const char *prefix;
	size_t prefix_len;
	size_t zeros;
	const char *body;
	size_t body_len;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (n) {
		o->sink(o->ctx, s, n);
		o->total += n;
	}
}

static void pad(struct out *o, char c, size_t n)
{
	static const char spaces[16] = "                ";
	static const char zeros[16] = "0000000000000000";
	const char *src = c == '0' ? zeros : spaces;

	for (; n > 16; n -= 16)
		put(o, src, 16);
	put(o, src, n);
}

static void emit(struct out *o, const struct spec *sp, struct piece *p)
{
	size_t len = p->prefix_len + p->body_len;
	size_t width = sp->width > 0 ? (size_t)sp->width : 0;

	if ((sp->flags & (F_ZERO | F_LEFT)) == F_ZERO && width > len + p->zeros)
		p->zeros = width - len;
	len += p->zeros;
	if (!(sp->flags & F_LEFT) && width > len)
		pad(o, ' ', width - len);
	put(o, p->prefix, p->prefix_len);
	pad(o, '0', p->zeros);
	put(o, p->body, p->body_len);
	if ((sp->flags & F_LEFT) && width > len)
		pad(o, ' ', width - len);
}

static const char *parse_flags(const char *f, struct spec *sp)
{
	for (;; f++) {
		switch (*f) {
		case '-': sp->flags |= F_LEFT; break;
		case '0': sp->flags |= F_ZERO; break;
		case '+': sp->flags |= F_PLUS; break;
		case ' ': sp->flags |= F_SPACE; break;
		case '#': sp->flags |= F_ALT; break;
		default: return f;
		}
	}
}

static const char *parse_number(const char *f, int *n, va_list *ap, bool *star)
{
	*star = *f == '*';
	if (*star) {
		*n = va_arg(*ap, int);
		return f + 1;
	}
	*n = 0;
	for (; rt_isdigit(*f); f++)
		*n = *n > (INT_MAX - 9) / 10 ? INT_MAX : *n * 10 + (*f - '0');
	return f;
}

static const char *parse_length(const char *f, struct spec *sp)
{
	sp->len = 0;
	if (*f == 'h' || *f == 'l') {
		sp->len = *f++;
		if (*f == sp->len) {
			sp->len = sp->len == 'h' ? 'H' : 'L';
			f++;
		}
	} else if (*f == 'z' || *f == 'j' || *f == 't') {
		sp->len = *f++;
	}
	return f;
}

// Parses a conversion after its '%'; returns where it ends.
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	bool star;

	sp->flags = 0;
	f = parse_flags(f, sp);
	f = parse_number(f, &sp->width, ap, &star);
	if (sp->width < 0) {
		sp->flags |= F_LEFT;
		sp->width = sp->width == INT_MIN ? INT_MAX : -sp->width;
	}
	sp->prec = -1;
	if (*f == '.') {
		f = parse_number(f + 1, &sp->prec, ap, &star);
		if (sp->prec < 0)
			sp->prec = -1;
	}
	f = parse_length(f, sp);
	sp->conv = *f;
	return *f ? f + 1 : f;
}

static long long signed_arg(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l': return va_arg(*ap, long);
	case 'L': return va_arg(*ap, long long);
	case 'z': return (long long)(ptrdiff_t)va_arg(*ap, size_t);
	case 'j': return va_arg(*ap, intmax_t);
	case 't': return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, int);
	}
}

static unsigned long long unsigned_arg(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned);
	case 'h': return (unsigned short)va_arg(*ap, unsigned);
	case 'l': return va_arg(*ap, unsigned long);
	case 'L': return va_arg(*ap, unsigned long long);
	case 'z': return va_arg(*ap, size_t);
	case 'j': return va_arg(*ap, uintmax_t);
	case 't': return (unsigned long long)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned);
	}
}

// Writes v's digits at the end of buf[24]; returns where they start.
static char *utoa(char *end, unsigned long long v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	do {
		*--end = digits[v % base];
		v /= base;
	} while (v);
	return end;
}

static void sign_prefix(const struct spec *sp, bool neg, struct piece *p)
{
	p->prefix = neg ? "-" : (sp->flags & F_PLUS) ? "+" : (sp->flags & F_SPACE) ? " " : "";
	p->prefix_len = rt_strlen(p->prefix);
}

static void set_hex_prefix(const struct spec *sp, struct piece *p)
{
	p->prefix = sp->conv == 'X' ? "0X" : "0x";
	p->prefix_len = 2;
}

static void format_int(struct out *o, const struct spec *sp, unsigned long long v, bool neg)
{
	char buf[24], *end = buf + sizeof(buf);
	unsigned base = sp->conv == 'o' ? 8 : (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p') ? 16 : 10;
	struct piece p = { "", 0, 0, NULL, 0 };

	p.body = utoa(end, v, base, sp->conv == 'X');
	p.body_len = (size_t)(end - p.body);
	if (sp->prec == 0 && v == 0)
		p.body_len = 0;
	if (sp->prec > 0 && (size_t)sp->prec > p.body_len)
		p.zeros = (size_t)sp->prec - p.body_len;
	if (sp->conv == 'd' || sp->conv == 'i')
		sign_prefix(sp, neg, &p);
	else if (sp->conv == 'p' || ((sp->flags & F_ALT) && v && base == 16))
		set_hex_prefix(sp, &p);
	else if ((sp->flags & F_ALT) && base == 8 && p.zeros == 0 && (p.body_len == 0 || p.body[0] != '0'))
		p.zeros = 1;
	struct spec s = *sp;

	// With a precision, '0' is ignored for integers.
	if (sp->prec >= 0)
		s.flags &= ~(unsigned)F_ZERO;
	emit(o, &s, &p);
}

static void format_str(struct out *o, const struct spec *sp, const char *s)
{
	struct piece p = { "", 0, 0, s ? s : "(null)", 0 };
	struct spec t = *sp;

	p.body_len = sp->prec >= 0 ? rt_strnlen(p.body, (size_t)sp->prec) : rt_strlen(p.body);
	t.flags &= ~(unsigned)F_ZERO;
	emit(o, &t, &p);
}

static void format_char(struct out *o, const struct spec *sp, int c)
{
	char ch = (char)c;
	struct piece p = { "", 0, 0, &ch, 1 };
	struct spec t = *sp;

	t.flags &= ~(unsigned)F_ZERO;
	emit(o, &t, &p);
}

// Renders |v| with prec decimals into buf (at least 64 bytes); returns its length.
static size_t render_fixed(char *buf, double v, int prec, bool alt)
{
	unsigned long long scale = 1, ip, fp;
	int shift = 0;
	char tmp[24], *end = tmp + sizeof(tmp), *d;
	size_t n;

	for (int i = 0; i < prec; i++)
		scale *= 10;
	while (v >= 1e19) {
		v /= 10;
		shift++;
	}
	ip = (unsigned long long)v;
	fp = (unsigned long long)((v - (double)ip) * (double)scale + 0.5);
	if (fp >= scale) {
		ip++;
		fp -= scale;
	}
	d = utoa(end, ip, 10, false);
	n = (size_t)(end - d);
	rt_memcpy(buf, d, n);
	for (; shift > 0; shift--)
		buf[n++] = '0';
	if (prec > 0 || alt)
		buf[n++] = '.';
	for (int i = prec; i-- > 0; fp /= 10)
		buf[n + (size_t)i] = (char)('0' + fp % 10);
	return n + (size_t)prec;
}

static void format_float(struct out *o, const struct spec *sp, double v)
{
	char buf[64];
	bool neg = __builtin_signbit(v);
	struct piece p = { "", 0, 0, buf, 0 };
	struct spec t = *sp;
	int prec = sp->prec < 0 ? 6 : sp->prec > 17 ? 17 : sp->prec;

	sign_prefix(sp, neg, &p);
	if (neg)
		v = -v;
	if (v != v || v > 1.7976931348623157e308) {
		p.body = v != v ? (sp->conv == 'F' ? "NAN" : "nan") : (sp->conv == 'F' ? "INF" : "inf");
		p.body_len = 3;
		t.flags &= ~(unsigned)F_ZERO;
	} else {
		p.body_len = render_fixed(buf, v, prec, sp->flags & F_ALT);
	}
	emit(o, &t, &p);
}

static void format_one(struct out *o, const struct spec *sp, va_list *ap)
{
	long long s;

	switch (sp->conv) {
	case 'd':
	case 'i':
		s = signed_arg(sp, ap);
		format_int(o, sp, s < 0 ? 0ull - (unsigned long long)s : (unsigned long long)s, s < 0);
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		format_int(o, sp, unsigned_arg(sp, ap), false);
		break;
	case 'p':
		format_int(o, sp, (uintptr_t)va_arg(*ap, void *), false);
		break;
	case 'c':
		format_char(o, sp, va_arg(*ap, int));
		break;
	case 's':
		format_str(o, sp, va_arg(*ap, const char *));
		break;
	case 'f':
	case 'F':
		format_float(o, sp, va_arg(*ap, double));
		break;
	}
}

static bool is_known(char conv)
{
	return conv && rt_strchr("diuxXopcsfF", conv);
}

int rt_vformat(rt_sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { sink, ctx, 0 };
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		const char *pct = rt_strchr(fmt, '%');

		if (!pct) {
			put(&o, fmt, rt_strlen(fmt));
			break;
		}
		put(&o, fmt, (size_t)(pct - fmt));
		if (pct[1] == '%') {
			put(&o, "%", 1);
			fmt = pct + 2;
			continue;
		}
		fmt = parse_spec(pct + 1, &sp, &aq);
		if (is_known(sp.conv))
			format_one(&o, &sp, &aq);
		else
			put(&o, pct, (size_t)(fmt - pct));
	}
	va_end(aq);
	return o.total > INT_MAX ? INT_MAX : (int)o.total;
}

struct buf_sink {
	char *buf;
	size_t size; // room for text, the terminator excluded
	size_t used;
};

static void buf_put(void *ctx, const char *s, size_t n)
{
	struct buf_sink *b = ctx;
	size_t room = b->size - b->used;

	if (n > room)
		n = room;
	if (!n)
		return;
	rt_memcpy(b->buf + b->used, s, n);
	b->used += n;
}

int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = { buf, size ? size - 1 : 0, 0 };
	int n = rt_vformat(buf_put, &b, fmt, ap);

	if (size)
		buf[b.used] = '\0';
	return n;
}
