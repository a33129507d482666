package org.hvsim.hv.abi.evtchn;

import java.util.function.IntConsumer;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.SharedInfo;
import org.hvsim.hv.abi.VcpuInfo;

/**
 * The guest side of the 2-level event channel ABI: what a guest kernel's upcall handler does with
 * the bitmaps in its {@code shared_info} page (Linux's and Mini-OS's order), plus the mask and
 * pending bit operations a guest performs on its own ports.
 *
 * <p>An upcall for vCPU {@code v}: clear {@code vcpu_info[v].evtchn_upcall_pending}; atomically swap
 * {@code evtchn_pending_sel} with 0; for every selected word {@code w}, take
 * {@code evtchn_pending[w] & ~evtchn_mask[w]}; for every port in it clear its pending bit, then
 * hand the port to the handler. One call is one pass: an event that arrives during the pass sets
 * the selector and {@code evtchn_upcall_pending} again, so the next upcall sees it.
 *
 * <p>Threads: {@link #scan} runs on the thread of the vCPU it scans for; the bit operations may run
 * on any guest thread. The hypervisor sets pending and selector bits concurrently; every
 * read-modify-write here is an atomic operation on the aligned 64-bit word that holds the bits.
 */
public final class TwoLevelEventScan {
    private static final int PORTS = EvtchnOp.NR_2L_CHANNELS;
    /** Byte 0 of {@code vcpu_info}'s first word: {@code evtchn_upcall_pending}. */
    private static final long UPCALL_PENDING_BYTE = 0xFFL;

    private final GuestMemory memory;
    private final long sharedInfo;

    /**
     * @param memory            the guest's memory
     * @param sharedInfoAddress guest-physical address where the guest mapped its shared_info frame
     */
    public TwoLevelEventScan(GuestMemory memory, long sharedInfoAddress) {
        if ((sharedInfoAddress & 7) != 0) {
            throw new IllegalArgumentException("shared_info must be 8-byte aligned: 0x" + Long.toHexString(sharedInfoAddress));
        }
        this.memory = memory;
        this.sharedInfo = sharedInfoAddress;
    }

    /**
     * One upcall pass for {@code vcpu}: every port found pending and unmasked has its pending bit
     * cleared and is then passed to {@code handler}. Returns the number of ports handled.
     */
    public int scan(int vcpu, IntConsumer handler) {
        long vcpuInfo = sharedInfo + SharedInfo.vcpuInfo(vcpu);
        memory.getAndBitwiseAndLong(vcpuInfo + VcpuInfo.EVTCHN_UPCALL_PENDING, ~UPCALL_PENDING_BYTE);
        long selector = memory.getAndBitwiseAndLong(vcpuInfo + VcpuInfo.EVTCHN_PENDING_SEL, 0L);
        int handled = 0;
        while (selector != 0) {
            int word = Long.numberOfTrailingZeros(selector);
            selector &= selector - 1;
            long pendingWord = sharedInfo + SharedInfo.EVTCHN_PENDING + word * 8L;
            long maskWord = sharedInfo + SharedInfo.EVTCHN_MASK + word * 8L;
            long ready = memory.getLongAcquire(pendingWord) & ~memory.getLongAcquire(maskWord);
            while (ready != 0) {
                int bit = Long.numberOfTrailingZeros(ready);
                ready &= ready - 1;
                memory.getAndBitwiseAndLong(pendingWord, ~(1L << bit));
                handler.accept(word * 64 + bit);
                handled++;
            }
        }
        return handled;
    }

    /** Sets the port's mask bit: Xen stops raising the selector and upcall for it. */
    public void setMask(int port) {
        memory.getAndBitwiseOrLong(sharedInfo + SharedInfo.maskWord(checked(port)), SharedInfo.bit(port));
    }

    /**
     * Clears the port's mask bit. An edge that arrived while masked is not re-raised by this alone:
     * call {@code EVTCHNOP_unmask}, or check {@link #isPending} afterwards.
     */
    public void clearMask(int port) {
        memory.getAndBitwiseAndLong(sharedInfo + SharedInfo.maskWord(checked(port)), ~SharedInfo.bit(port));
    }

    /** Clears the port's pending bit (the guest consumes the event). */
    public void clearPending(int port) {
        memory.getAndBitwiseAndLong(sharedInfo + SharedInfo.pendingWord(checked(port)), ~SharedInfo.bit(port));
    }

    public boolean isPending(int port) {
        return (memory.getLongAcquire(sharedInfo + SharedInfo.pendingWord(checked(port))) & SharedInfo.bit(port)) != 0;
    }

    public boolean isMasked(int port) {
        return (memory.getLongAcquire(sharedInfo + SharedInfo.maskWord(checked(port))) & SharedInfo.bit(port)) != 0;
    }

    /** Whether {@code evtchn_upcall_pending} of {@code vcpu} is set. */
    public boolean isUpcallPending(int vcpu) {
        return memory.getByte(sharedInfo + SharedInfo.vcpuInfo(vcpu) + VcpuInfo.EVTCHN_UPCALL_PENDING) != 0;
    }

    private static int checked(int port) {
        if (port < 0 || port >= PORTS) {
            throw new IllegalArgumentException("port " + port + " outside the 2-level ABI's 0.." + (PORTS - 1));
        }
        return port;
    }
}
