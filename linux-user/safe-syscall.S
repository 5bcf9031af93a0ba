/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * safe_syscall_base(int *pending, long number, a1, a2, a3, a4, a5, a6):
 * a host syscall that a guest signal can interrupt without being lost
 * (QEMU's safe-syscall design, written for ctcg).
 *
 * Returns the kernel's result: a value >= 0 or -errno, or
 * -CTCG_ERESTARTSYS (-512) when *pending was set before the syscall
 * instruction ran (the syscall did not happen; the caller restarts it
 * after delivering the signal).
 *
 * The host signal handler (linux-user/signal.c) sets *pending and, when
 * the interrupted host PC lies in (safe_syscall_start, safe_syscall_end),
 * rewinds it to safe_syscall_start: the check below then sees the flag
 * and returns -512 instead of entering the kernel.  A signal that lands
 * while the kernel blocks in the syscall makes the kernel return -EINTR,
 * or restart it when the host handler has SA_RESTART (which mirrors the
 * guest's SA_RESTART): the restart rewinds the PC onto the syscall
 * instruction, inside the window, so that case also returns -512 and the
 * guest's ecall is re-executed after its handler, as Linux does.
 * The syscall instruction must be the last instruction of the window.
 */
        .text
        .globl  safe_syscall_base
        .globl  safe_syscall_start
        .globl  safe_syscall_end
        .type   safe_syscall_base, @function
        .type   safe_syscall_start, @function
        .type   safe_syscall_end, @function

safe_syscall_base:
        .cfi_startproc
        push    %rbp
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset rbp, 0
        /*
         * In:  rdi = pending, rsi = number, rdx, rcx, r8, r9, 16(%rsp),
         *      24(%rsp) = a1..a6 (after the push).
         * syscall: rax = number, rdi, rsi, rdx, r10, r8, r9 = a1..a6;
         * it clobbers rcx and r11.
         */
        mov     %rdi, %rbp
        mov     %rsi, %rax
        mov     %rdx, %rdi
        mov     %rcx, %rsi
        mov     %r8, %rdx
        mov     %r9, %r10
        mov     16(%rsp), %r8
        mov     24(%rsp), %r9
safe_syscall_start:
        cmpl    $0, (%rbp)
        jnz     2f
        syscall
safe_syscall_end:
        pop     %rbp
        .cfi_remember_state
        .cfi_adjust_cfa_offset -8
        .cfi_restore rbp
        ret
2:
        .cfi_restore_state
        mov     $-512, %rax
        pop     %rbp
        .cfi_adjust_cfa_offset -8
        .cfi_restore rbp
        ret
        .cfi_endproc
        .size   safe_syscall_base, .-safe_syscall_base

/*
 * ctcg_host_sigreturn: the sa_restorer of ctcg's host signal handlers
 * (signal.c installs them with raw rt_sigaction, which on x86-64 needs
 * one): rt_sigreturn.  The nop makes unwinders that look one byte before
 * a return address find this function, as glibc's __restore_rt does.
 */
        .globl  ctcg_host_sigreturn
        .type   ctcg_host_sigreturn, @function
        nop
ctcg_host_sigreturn:
        mov     $15, %eax       /* __NR_rt_sigreturn */
        syscall
        hlt
        .size   ctcg_host_sigreturn, .-ctcg_host_sigreturn

        .section .note.GNU-stack, "", @progbits
