package org.hvsim.hv.abi.domctl;

import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct xen_domctl_scheduler_op} (XEN_DOMCTL_scheduler_op): {@code sched_id} u32 @0 (a
 * XEN_SCHEDULER_* id), {@code cmd} u32 @4 (XEN_DOMCTL_SCHEDOP_*), then the union at @8, 8-byte
 * aligned because one member holds a guest handle; its credit member {@code struct
 * xen_domctl_sched_credit} is {@code weight} u16 @8 and {@code cap} u16 @10.
 */
public record DomctlSchedulerOp(int schedId, int cmd, int weight, int cap) {
    public static final int SIZE = 24;
    public static final int U_CREDIT_WEIGHT = 8;
    public static final int U_CREDIT_CAP = 10;

    public static DomctlSchedulerOp read(GuestMemory m, long a) {
        return new DomctlSchedulerOp(m.getInt(a), m.getInt(a + 4), Short.toUnsignedInt(m.getShort(a + U_CREDIT_WEIGHT)),
                Short.toUnsignedInt(m.getShort(a + U_CREDIT_CAP)));
    }

    public void write(GuestMemory m, long a) {
        m.putInt(a, schedId);
        m.putInt(a + 4, cmd);
        m.putShort(a + U_CREDIT_WEIGHT, (short) weight);
        m.putShort(a + U_CREDIT_CAP, (short) cap);
    }
}
