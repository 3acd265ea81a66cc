// Exit sequence shared by the kernels: PSCI SYSTEM_OFF through HVC on bare metal (hplab),
// the Linux exit system call under qemu-aarch64 (built with -DQEMU).
#ifdef QEMU
#define EXIT mov x0, #0; mov x8, #93; svc #0
#else
#define EXIT movz x0, #0x0008; movk x0, #0x8400, lsl #16; hvc #0
#endif
