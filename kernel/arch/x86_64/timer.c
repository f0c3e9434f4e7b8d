// SPDX-License-Identifier: MIT
// Time: the TSC is the clock, calibrated against the PIT; the local APIC
// timer gives the periodic tick; both are measured over one PIT window. The PIT is
// read by latching its counter, so no speaker gate (port 0x61) is needed
// and machines without a PIT fall back to CPUID's frequency leaves.
// Intel SDM vol. 3A, 11.5.4 "APIC Timer"; 8254 datasheet, counter latch.
#include "cpu.h"
#include <arch.h>
#include <klog.h>

#define PIT_HZ 1193182u
#define LAPIC_BASE 0xfee00000ull
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_TPR 0x080
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)

static uint64_t tsc_per_us;
static uint64_t tsc_at_boot;

static volatile uint32_t *lapic_reg(uint32_t off)
{
	return (volatile uint32_t *)(LAPIC_BASE + off);
}

static uint16_t pit_read(void)
{
	outb(0x43, 0x00); // latch channel 0
	uint8_t lo = inb(0x40);
	return (uint16_t)(lo | inb(0x40) << 8);
}

static uint32_t apic_count(void)
{
	return *lapic_reg(LAPIC_TIMER_CUR);
}

// Starts the APIC timer counting down from its maximum, masked, so its
// rate can be measured.
static void apic_count_start(void)
{
	*lapic_reg(LAPIC_TIMER_DIV) = 0x3; // divide by 16
	*lapic_reg(LAPIC_LVT_TIMER) = LVT_MASKED;
	*lapic_reg(LAPIC_TIMER_INIT) = 0xffffffff;
}

// Measures the TSC and the APIC timer over us microseconds of PIT time.
// Returns false if the PIT does not count (no PIT on this machine).
static bool pit_measure(uint32_t us, uint64_t *tsc, uint64_t *apic)
{
	outb(0x43, 0x34); // channel 0, lo/hi, mode 2 (rate generator)
	outb(0x40, 0xff);
	outb(0x40, 0xff);
	uint64_t want = (uint64_t)PIT_HZ * us / 1000000, seen = 0;
	uint16_t last = pit_read();
	uint64_t t0 = rdtsc();
	uint32_t a0 = apic_count();
	for (uint64_t spins = 0; seen < want; spins++) {
		uint16_t now = pit_read();
		seen += (uint16_t)(last - now);
		last = now;
		if (spins > 2000000 && seen == 0)
			return false;
	}
	*tsc = (rdtsc() - t0) * want / seen;
	*apic = (uint64_t)(a0 - apic_count()) * want / seen;
	return true;
}

static uint64_t cpuid_tsc_khz(void)
{
	uint32_t r[4];
	cpuid(0x40000000, 0, r);
	if (r[0] >= 0x40000010) { // hypervisor timing leaf
		cpuid(0x40000010, 0, r);
		if (r[0])
			return r[0];
	}
	cpuid(0, 0, r);
	if (r[0] >= 0x15) {
		cpuid(0x15, 0, r);
		if (r[0] && r[1] && r[2])
			return (uint64_t)r[2] * r[1] / r[0] / 1000;
	}
	return 0;
}

// Measures the APIC timer against the (already calibrated) TSC.
static uint64_t apic_measure_by_tsc(uint32_t us)
{
	uint64_t t0 = rdtsc(), span = tsc_per_us * us;
	uint32_t a0 = apic_count();
	while (rdtsc() - t0 < span)
		__asm__ volatile("pause");
	return a0 - apic_count();
}

#define CALIBRATE_US 5000

// Returns the APIC timer's counts per second.
static uint64_t calibrate(void)
{
	uint64_t tsc, apic;
	tsc_at_boot = rdtsc();
	apic_count_start();
	if (pit_measure(CALIBRATE_US, &tsc, &apic)) {
		tsc_per_us = tsc / CALIBRATE_US;
	} else {
		tsc_per_us = cpuid_tsc_khz() / 1000;
		if (!tsc_per_us) {
			tsc_per_us = 1000;
			klog(KLOG_WARN, "timer: no PIT and no CPUID frequency; assuming 1 GHz TSC");
		}
		apic = apic_measure_by_tsc(CALIBRATE_US);
	}
	if (!tsc_per_us)
		tsc_per_us = 1;
	return apic * (1000000 / CALIBRATE_US);
}

uint64_t arch_cycles_per_us(void)
{
	return tsc_per_us;
}

uint64_t arch_cycles(void)
{
	return rdtsc();
}

uint64_t arch_time_ns(void)
{
	if (!tsc_per_us)
		return 0;
	uint64_t d = rdtsc() - tsc_at_boot;
	return d / tsc_per_us * 1000 + d % tsc_per_us * 1000 / tsc_per_us;
}

void x86_lapic_init(void)
{
	// Enable the APIC globally (IA32_APIC_BASE bit 11) and in software.
	wrmsr(0x1b, rdmsr(0x1b) | (1u << 11));
	*lapic_reg(LAPIC_TPR) = 0;
	*lapic_reg(LAPIC_SVR) = 0x100 | X86_VEC_SPURIOUS;
}

void x86_lapic_eoi(void)
{
	*lapic_reg(LAPIC_EOI) = 0;
}

static uint32_t tick_count; // the APIC timer's initial count for one tick
static bool tick_varied;    // the count now is not tick_count
static uint32_t tick_seed = 0x2545f491u;

// A profile's tick varies its period at random, uniformly within 1/8 of
// the tick either way (the mean rate stays), so that samples do not lock
// onto the phase of a loop whose period divides the tick's; the sequence
// is fixed, so runs under instruction counting repeat. A write of the
// initial count restarts the countdown, and a periodic timer then keeps
// the new count (SDM Vol. 3A 10.5.4).
void x86_timer_vary(bool on)
{
	if (!on) {
		if (tick_varied)
			*lapic_reg(LAPIC_TIMER_INIT) = tick_count;
		tick_varied = false;
		return;
	}
	tick_seed ^= tick_seed << 13; // xorshift32
	tick_seed ^= tick_seed >> 17;
	tick_seed ^= tick_seed << 5;
	uint32_t span = tick_count / 4;
	uint32_t count = tick_count - span / 2 + (span ? tick_seed % span : 0);
	*lapic_reg(LAPIC_TIMER_INIT) = count ? count : 1;
	tick_varied = true;
}

// Starts the APIC timer periodic at hz, given its counts per second.
static void lapic_timer_start(uint64_t per_sec, uint32_t hz)
{
	uint32_t init = (uint32_t)(per_sec / hz);
	tick_count = init ? init : 1;
	klog(KLOG_INFO, "timer: TSC %lu MHz, APIC timer %lu kHz, tick %u Hz",
	     (unsigned long)tsc_per_us, (unsigned long)(per_sec / 1000), hz);
	*lapic_reg(LAPIC_LVT_TIMER) = X86_VEC_TIMER | LVT_PERIODIC;
	*lapic_reg(LAPIC_TIMER_INIT) = init ? init : 1;
}

// Remap the legacy 8259 PICs away from the exception vectors and mask them
// all: every interrupt Isola uses comes through the local APIC.
void x86_pic_disable(void)
{
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0x20);
	outb(0xa1, 0x28);
	outb(0x21, 0x04);
	outb(0xa1, 0x02);
	outb(0x21, 0x01);
	outb(0xa1, 0x01);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

void arch_timer_init(uint32_t hz)
{
	x86_lapic_init();
	lapic_timer_start(calibrate(), hz);
}
