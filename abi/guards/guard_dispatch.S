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
	pushq	%rbp
	.cfi_def_cfa_offset 16
	.cfi_offset %rbp, -16
	movq	%rsp, %rbp
	.cfi_def_cfa_register %rbp
	subq	$192, %rsp
	movq	%rdi, 0(%rsp)
	movq	%rsi, 8(%rsp)
	movq	%rdx, 16(%rsp)
	movq	%rcx, 24(%rsp)
	movq	%r8, 32(%rsp)
	movq	%r9, 40(%rsp)
	movq	%rax, 48(%rsp)
	movq	%r11, 56(%rsp)
	movdqu	%xmm0, 64(%rsp)
	movdqu	%xmm1, 80(%rsp)
	movdqu	%xmm2, 96(%rsp)
	movdqu	%xmm3, 112(%rsp)
	movdqu	%xmm4, 128(%rsp)
	movdqu	%xmm5, 144(%rsp)
	movdqu	%xmm6, 160(%rsp)
	movdqu	%xmm7, 176(%rsp)
	movq	%r11, %rdi
	call	sslshim_guard_resolve
	movq	%rax, %r10
	movq	0(%rsp), %rdi
	movq	8(%rsp), %rsi
	movq	16(%rsp), %rdx
	movq	24(%rsp), %rcx
	movq	32(%rsp), %r8
	movq	40(%rsp), %r9
	movq	48(%rsp), %rax
	movq	56(%rsp), %r11
	movdqu	64(%rsp), %xmm0
	movdqu	80(%rsp), %xmm1
	movdqu	96(%rsp), %xmm2
	movdqu	112(%rsp), %xmm3
	movdqu	128(%rsp), %xmm4
	movdqu	144(%rsp), %xmm5
	movdqu	160(%rsp), %xmm6
	movdqu	176(%rsp), %xmm7
	leave
	.cfi_def_cfa %rsp, 8
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
