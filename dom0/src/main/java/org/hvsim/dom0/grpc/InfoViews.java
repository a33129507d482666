package org.hvsim.dom0.grpc;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.UUID;
import org.hvsim.dom0.toolstack.Toolstack;
import org.hvsim.hv.abi.Domctl;
import org.hvsim.hv.abi.domctl.GetDomainInfo;
import org.hvsim.hv.abi.domctl.GetVcpuInfo;
import org.hvsim.proto.control.CpuSet;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.VcpuInfo;

/** Control-plane messages from what the hypervisor and the toolstack report. */
final class InfoViews {
    private InfoViews() {}

    static DomainInfo domain(GetDomainInfo i, Toolstack ts, long dom0Start, boolean withConfig) {
        int f = i.flags();
        DomainInfo.Builder b = DomainInfo.newBuilder()
                .setDomid(i.domain())
                .setName(ts.nameOf(i.domain()))
                .setUuid(uuid(i.handle()).toString())
                .setRunning((f & Domctl.DOMINF_RUNNING) != 0)
                .setBlocked((f & Domctl.DOMINF_BLOCKED) != 0)
                .setPaused((f & Domctl.DOMINF_PAUSED) != 0)
                .setShutdown((f & Domctl.DOMINF_SHUTDOWN) != 0)
                .setShutdownReason((f >>> Domctl.DOMINF_SHUTDOWNSHIFT) & Domctl.DOMINF_SHUTDOWNMASK)
                .setDying((f & Domctl.DOMINF_DYING) != 0)
                .setCurrentMemkb(i.totPages() * 4)
                .setMaxMemkb(i.maxPages() * 4)
                .setOutstandingMemkb(i.outstandingPages() * 4)
                .setOnlineVcpus(i.nrOnlineVcpus())
                .setMaxVcpus(i.maxVcpuId() + 1)
                .setCpuTimeNs(i.cpuTime())
                .setStartTimeUnixSeconds(ts.startTimeOf(i.domain()).orElse(dom0Start));
        if (withConfig) {
            ts.configOf(i.domain()).ifPresent(b::setConfig);
        }
        return b.build();
    }

    static VcpuInfo vcpu(int domid, String name, GetVcpuInfo v, BitSet hard, BitSet soft, int nrCpus) {
        return VcpuInfo.newBuilder().setDomid(domid).setName(name).setVcpu(v.vcpu()).setOnline(v.online())
                .setRunning(v.running()).setBlocked(v.blocked()).setCpu(v.cpu()).setCpuTimeNs(v.cpuTime())
                .setHardAffinity(cpuSet(hard, nrCpus)).setSoftAffinity(cpuSet(soft, nrCpus)).build();
    }

    /** A vCPU's runstate as the hypervisor reported it at hypervisor time {@code now}. */
    static org.hvsim.proto.control.VcpuRunstate runstate(org.hvsim.proto.privcmd.VcpuRunstate r, long now) {
        return org.hvsim.proto.control.VcpuRunstate.newBuilder()
                .setStateValue(r.getState())                 // Xen's RUNSTATE_* numbers are RunstateState's
                .setStateEntryTimeNs(r.getStateEntryTime())
                .setRunningNs(r.getRunningNs())
                .setRunnableNs(r.getRunnableNs())
                .setBlockedNs(r.getBlockedNs())
                .setOfflineNs(r.getOfflineNs())
                .setNowNs(now)
                .build();
    }

    static CpuSet cpuSet(BitSet bits, int nrCpus) {
        if (bits.cardinality() >= nrCpus) {
            return CpuSet.newBuilder().setAll(true).build();
        }
        CpuSet.Builder b = CpuSet.newBuilder();
        bits.stream().forEach(b::addCpus);
        return b.build();
    }

    static UUID uuid(byte[] handle) {
        ByteBuffer bb = ByteBuffer.wrap(handle);
        return new UUID(bb.getLong(), bb.getLong());
    }
}
