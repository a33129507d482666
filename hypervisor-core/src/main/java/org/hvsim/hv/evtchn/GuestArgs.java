package org.hvsim.hv.evtchn;

import java.util.Arrays;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.GuestMemoryFault;

/**
 * Where an {@code event_channel_op} argument structure is: in the caller's memory, or already copied
 * out of it (the legacy compat hypercall copies the whole {@code struct evtchn_op} at once). OUT
 * fields are written back to the caller's memory in both cases. {@code copyIn} and the
 * {@code put*} methods return null / false on a bad guest address: the caller answers {@code -EFAULT}.
 *
 * <p>Threads: one hypercall, on the calling vCPU's thread.
 */
final class GuestArgs {
    private final GuestMemory memory;
    private final long address;
    private final byte[] copied;

    private GuestArgs(GuestMemory memory, long address, byte[] copied) {
        this.memory = memory;
        this.address = address;
        this.copied = copied;
    }

    /** The structure is at {@code address} in {@code memory}. */
    static GuestArgs inMemory(GuestMemory memory, long address) {
        return new GuestArgs(memory, address, null);
    }

    /** The structure was copied into {@code copied}; it lives at {@code address} in {@code memory}. */
    static GuestArgs copied(byte[] copied, GuestMemory memory, long address) {
        return new GuestArgs(memory, address, copied);
    }

    /** One copy of the structure's {@code size} bytes, or null if the guest address is bad. */
    byte[] copyIn(int size) {
        if (copied != null) {
            return Arrays.copyOf(copied, size);
        }
        try {
            return memory.readBytes(address, size);
        } catch (GuestMemoryFault fault) {
            return null;
        }
    }

    boolean putInt(int offset, int value) {
        try {
            memory.putInt(address + offset, value);
            return true;
        } catch (GuestMemoryFault fault) {
            return false;
        }
    }

    boolean putShort(int offset, int value) {
        try {
            memory.putShort(address + offset, (short) value);
            return true;
        } catch (GuestMemoryFault fault) {
            return false;
        }
    }
}
