package org.hvsim.hv.abi.gnttab;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct gnttab_map_grant_ref} ({@code GNTTABOP_map_grant_ref}, 32 bytes).
 *
 * <pre>
 * 0   u64 host_addr     IN   (hvsim maps no page tables: ignored)
 * 8   u32 flags         IN   GNTMAP_*
 * 12  u32 ref           IN   grant_ref_t in the granting domain's table
 * 16  u16 dom           IN   the granting domain
 * 18  i16 status        OUT  GNTST_*
 * 20  u32 handle        OUT  grant_handle_t, for unmap
 * 24  u64 dev_bus_addr  OUT  machine address of the granted frame
 * </pre>
 */
public record GnttabMapGrantRef(long hostAddr, int flags, int ref, int dom, int status, int handle, long devBusAddr) {
    public static final int HOST_ADDR = 0;
    public static final int FLAGS = 8;
    public static final int REF = 12;
    public static final int DOM = 16;
    public static final int STATUS = 18;
    public static final int HANDLE = 20;
    public static final int DEV_BUS_ADDR = 24;
    public static final int SIZE = 32;

    /** An IN-only request (OUT fields zero). */
    public static GnttabMapGrantRef request(int flags, int ref, int dom) {
        return new GnttabMapGrantRef(0, flags, ref, dom, 0, 0, 0);
    }

    public static GnttabMapGrantRef read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static GnttabMapGrantRef decode(byte[] raw) {
        ByteBuffer b = LeBytes.wrap(raw, SIZE);
        return new GnttabMapGrantRef(b.getLong(HOST_ADDR), b.getInt(FLAGS), b.getInt(REF), LeBytes.u16(b, DOM),
                b.getShort(STATUS), b.getInt(HANDLE), b.getLong(DEV_BUS_ADDR));
    }

    public byte[] encode() {
        ByteBuffer b = LeBytes.allocate(SIZE);
        b.putLong(HOST_ADDR, hostAddr).putInt(FLAGS, flags).putInt(REF, ref).putShort(DOM, (short) dom)
                .putShort(STATUS, (short) status).putInt(HANDLE, handle).putLong(DEV_BUS_ADDR, devBusAddr);
        return b.array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }

    /** Writes the OUT fields (status, handle, dev_bus_addr) of the structure at {@code address}. */
    public static void writeResult(GuestMemory memory, long address, int status, int handle, long devBusAddr) {
        memory.putShort(address + STATUS, (short) status);
        memory.putInt(address + HANDLE, handle);
        memory.putLong(address + DEV_BUS_ADDR, devBusAddr);
    }
}
