/*
 * The guard behind every libssl function the shim does not implement (docs/design-notes.md).
 *
 * Preloaded, such a call must still reach the real libssl for the real libssl's objects, but must
 * never hand it one of ours: OpenSSL would read our handle as its own struct and crash. The
 * generated trampolines (gen-guards.sh) load their entry {name, next} into %r11 and jump here;
 * `next` is found at the guard's first call that is not refused (sslshim_guard_resolve).
 * We check every integer argument register against the handle region: a handle of ours (or no
 * real libssl at all) goes to sslshim_guard_refuse, which fails the call cleanly; anything else
 * jumps to the real function with every argument register untouched (%r10 and %r11 are scratch
 * in the SysV ABI; %rax, which carries the vector-register count of variadic calls, is kept).
 */
#include "../resolve_keeping_arguments.inc"

	.text
	.globl	sslshim_guard_dispatch
	.hidden	sslshim_guard_dispatch
	.type	sslshim_guard_dispatch, @function
sslshim_guard_dispatch:
	.cfi_startproc
	movq	%rdi, %r10
	subq	sslshim_handle_base(%rip), %r10
	cmpq	sslshim_handle_span(%rip), %r10
	jb	.Lours
	movq	%rsi, %r10
	subq	sslshim_handle_base(%rip), %r10
	cmpq	sslshim_handle_span(%rip), %r10
	jb	.Lours
	movq	%rdx, %r10
	subq	sslshim_handle_base(%rip), %r10
	cmpq	sslshim_handle_span(%rip), %r10
	jb	.Lours
	movq	%rcx, %r10
	subq	sslshim_handle_base(%rip), %r10
	cmpq	sslshim_handle_span(%rip), %r10
	jb	.Lours
	movq	%r8, %r10
	subq	sslshim_handle_base(%rip), %r10
	cmpq	sslshim_handle_span(%rip), %r10
	jb	.Lours
	movq	%r9, %r10
	subq	sslshim_handle_base(%rip), %r10
	cmpq	sslshim_handle_span(%rip), %r10
	jb	.Lours
	movq	8(%r11), %r10
	testq	%r10, %r10
	jz	.Lno_next
	jmp	*%r10
.Lours:
	/* The first argument goes along: a security setter marks the object it was given. */
	movq	%rdi, %rdx
	movq	%r11, %rdi
	movl	$1, %esi
	jmp	sslshim_guard_refuse
.Lno_next:
	/*
	 * Not found yet: this guard's first call, or no real libssl so far (it may come later, with
	 * a module opened RTLD_LOCAL: Python's _ssl). Look it up now, keeping every argument
	 * register (the vector ones too, for floating-point arguments) across the call.
	 */
	RESOLVE_KEEPING_ARGUMENTS sslshim_guard_resolve
	testq	%r10, %r10
	jz	.Lrefuse_no_next
	jmp	*%r10
.Lrefuse_no_next:
	movq	%r11, %rdi
	xorl	%esi, %esi
	xorl	%edx, %edx
	jmp	sslshim_guard_refuse
	.cfi_endproc
	.size	sslshim_guard_dispatch, .-sslshim_guard_dispatch

	.section .note.GNU-stack,"",@progbits
