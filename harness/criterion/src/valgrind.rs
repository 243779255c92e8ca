//! Valgrind's client requests (valgrind.h and callgrind.h, written out as the "special
//! instruction" sequences those headers emit), so the harness needs no C toolchain and no
//! crate. Outside Valgrind the sequences are no-ops that return the default value.

/// `VG_USERREQ_TOOL_BASE('C', 'T')`: Callgrind's requests.
const CALLGRIND_BASE: usize = ((b'C' as usize) << 24) | ((b'T' as usize) << 16);
const RUNNING_ON_VALGRIND: usize = 0x1001;
const ZERO_STATS: usize = CALLGRIND_BASE + 1;
const TOGGLE_COLLECT: usize = CALLGRIND_BASE + 2;
const DUMP_STATS_AT: usize = CALLGRIND_BASE + 3;

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn request(default: usize, args: &[usize; 6]) -> usize {
    let mut result = default;
    // SAFETY: the rotations of rdi add up to 128 bits (rdi is unchanged, and declared clobbered);
    // `xchg rbx, rbx` is a no-op. Valgrind recognises the sequence, reads `args` through rax and
    // writes the result to rdx.
    unsafe {
        core::arch::asm!(
            "rol rdi, 3",
            "rol rdi, 13",
            "rol rdi, 61",
            "rol rdi, 51",
            "xchg rbx, rbx",
            inout("rdx") result,
            in("rax") args.as_ptr(),
            out("rdi") _,
            options(nostack, preserves_flags),
        );
    }
    result
}

#[cfg(target_arch = "aarch64")]
#[inline(always)]
fn request(default: usize, args: &[usize; 6]) -> usize {
    let mut result = default;
    // SAFETY: the rotations of x12 add up to 128 bits; `orr x10, x10, x10` is a no-op. Valgrind
    // reads `args` through x4 and writes the result to x3.
    unsafe {
        core::arch::asm!(
            "ror x12, x12, #3",
            "ror x12, x12, #13",
            "ror x12, x12, #51",
            "ror x12, x12, #61",
            "orr x10, x10, x10",
            inout("x3") result,
            in("x4") args.as_ptr(),
            out("x12") _,
            options(nostack, preserves_flags),
        );
    }
    result
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
#[inline(always)]
fn request(default: usize, _args: &[usize; 6]) -> usize {
    default
}

/// How many Valgrinds the program runs under: 0 outside Valgrind.
pub fn running_on_valgrind() -> usize {
    request(0, &[RUNNING_ON_VALGRIND, 0, 0, 0, 0, 0])
}

/// Zeroes Callgrind's counters.
#[inline(always)]
pub fn zero_stats() {
    request(0, &[ZERO_STATS, 0, 0, 0, 0, 0]);
}

/// Turns Callgrind's collection on or off (it starts off: `--collect-atstart=no`).
#[inline(always)]
pub fn toggle_collect() {
    request(0, &[TOGGLE_COLLECT, 0, 0, 0, 0, 0]);
}

/// Writes the counters to a dump file whose trigger line names `tag`, then zeroes them.
pub fn dump_stats_at(tag: &str) {
    let mut bytes = tag.as_bytes().to_vec();
    bytes.push(0);
    request(0, &[DUMP_STATS_AT, bytes.as_ptr() as usize, 0, 0, 0, 0]);
}
