package org.hvsim.hv.abi.gnttab;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct gnttab_unmap_grant_ref} ({@code GNTTABOP_unmap_grant_ref}, 24 bytes).
 *
 * <pre>
 * 0   u64 host_addr     IN   (ignored by hvsim)
 * 8   u64 dev_bus_addr  IN   0, or the machine address map returned (checked)
 * 16  u32 handle        IN   from map
 * 20  i16 status        OUT  GNTST_*
 * </pre>
 */
public record GnttabUnmapGrantRef(long hostAddr, long devBusAddr, int handle, int status) {
    public static final int HOST_ADDR = 0;
    public static final int DEV_BUS_ADDR = 8;
    public static final int HANDLE = 16;
    public static final int STATUS = 20;
    public static final int SIZE = 24;

    public static GnttabUnmapGrantRef read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static GnttabUnmapGrantRef decode(byte[] raw) {
        ByteBuffer b = LeBytes.wrap(raw, SIZE);
        return new GnttabUnmapGrantRef(b.getLong(HOST_ADDR), b.getLong(DEV_BUS_ADDR), b.getInt(HANDLE), b.getShort(STATUS));
    }

    public byte[] encode() {
        ByteBuffer b = LeBytes.allocate(SIZE);
        b.putLong(HOST_ADDR, hostAddr).putLong(DEV_BUS_ADDR, devBusAddr).putInt(HANDLE, handle)
                .putShort(STATUS, (short) status);
        return b.array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }

    public static void writeStatus(GuestMemory memory, long address, int status) {
        memory.putShort(address + STATUS, (short) status);
    }
}
