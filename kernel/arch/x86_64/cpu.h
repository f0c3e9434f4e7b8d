// SPDX-License-Identifier: MIT
// x86-64 instruction wrappers used by the arch code (Intel SDM vol. 2).
#ifndef ISOLA_X86_CPU_H
#define ISOLA_X86_CPU_H

#include <stdbool.h>
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_rflags(void)
{
	uint64_t v;
	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline void io_wait(void)
{
	outb(0x80, 0);
}

#define X86_RFLAGS_IF (1u << 9)

// The kernel image's parts (kernel.ld).
extern char _kernel_start[], _kernel_end[];
extern char _text_start[], _text_end[], _rodata_start[], _data_start[];

// The register frame isr.S builds on the stack for x86_trap().
struct x86_trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

void x86_gdt_init(void);
void x86_idt_init(void);
void x86_pic_disable(void);
void x86_serial_init(void);
void x86_serial_write(const char *s, uint64_t n);
// Interrupts-off accounting (arch.c), for the paths that switch without
// arch_irq_save/restore: interrupt entry and return.
void x86_irqoff_begin(uint64_t pc);
void x86_irqoff_end(uint64_t pc);
int x86_serial_poll(void);
void x86_vga_init(uint64_t addr, uint32_t cols, uint32_t rows);
void x86_vga_write(const char *s, uint64_t n);
void x86_lapic_init(void);
void x86_lapic_eoi(void);
// While on (a profile runs), each tick's period varies at random by up to
// 1/8 of a tick; off restores the fixed period (timer.c).
void x86_timer_vary(bool on);
void x86_fpu_boot_init(void);
void x86_trap(struct x86_trap_frame *f);
void x86_boot64(uint32_t magic, const void *info);

#define X86_VEC_TIMER 32
#define X86_VEC_SPURIOUS 0xff

#endif
