/* Test bed only, never shipped: Wine 8.0 has no bcryptprimitives.dll, whose ProcessPrng
 * Rust's std (1.78+) imports on Windows; Windows 10 and later have it. This forwards to
 * advapi32's RtlGenRandom (SystemFunction036), which Wine has. */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, n)) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
