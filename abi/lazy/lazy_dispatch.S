/*
 * Behind every entry point of the lazy preload library (lazy_preload.c): the generated trampolines
 * (gen-lazy-trampolines.sh) load their entry {name, target} into %r11 and jump here. A resolved
 * entry jumps straight to the shim's function; the first call of each name asks
 * sslshim_lazy_resolve, which loads the shim on the process's first libssl call, with every
 * argument register kept across the call. %r10 and %r11 are scratch in the SysV ABI.
 */
#include <cet.h> /* the CET property note; the dispatcher is only jumped to directly */

#include "../resolve_keeping_arguments.inc"

	.text
	.globl	sslshim_lazy_dispatch
	.hidden	sslshim_lazy_dispatch
	.type	sslshim_lazy_dispatch, @function
sslshim_lazy_dispatch:
	.cfi_startproc
	movq	8(%r11), %r10
	testq	%r10, %r10
	jz	.Lresolve
	jmp	*%r10
.Lresolve:
	RESOLVE_KEEPING_ARGUMENTS sslshim_lazy_resolve
	jmp	*%r10
	.cfi_endproc
	.size	sslshim_lazy_dispatch, .-sslshim_lazy_dispatch

	.section .note.GNU-stack,"",@progbits
