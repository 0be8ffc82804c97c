/*
 * The guard behind every libssl function the shim does not implement (DESIGN.md §4).
 *
 * Preloaded, such a call must still reach the real libssl for the real libssl's objects, but must
 * never hand it one of ours: OpenSSL would read our handle as its own struct and crash. The
 * generated trampolines (gen-guards.sh) load their entry {name, next} into %r11 and jump here.
 * We check every integer argument register against the handle region: a handle of ours (or no
 * real libssl at all) goes to sslshim_guard_refuse, which fails the call cleanly; anything else
 * jumps to the real function with every argument register untouched (%r10 and %r11 are scratch
 * in the SysV ABI; %rax, which carries the vector-register count of variadic calls, is kept).
 */
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
	movq	%r11, %rdi
	movl	$1, %esi
	jmp	sslshim_guard_refuse
.Lno_next:
	movq	%r11, %rdi
	xorl	%esi, %esi
	jmp	sslshim_guard_refuse
	.cfi_endproc
	.size	sslshim_guard_dispatch, .-sslshim_guard_dispatch

	.section .note.GNU-stack,"",@progbits
