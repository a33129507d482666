package org.hvsim.dom0.toolstack;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import org.hvsim.proto.control.DomainConfig;
import org.hvsim.proto.control.LifecycleAction;

/**
 * A domain configuration the toolstack has validated, with Xen's defaults applied: what the domain
 * builder builds from (Firecracker's split: configuration declared in one place, built in another).
 * Memory in 4 KiB pages; affinity per vCPU (null = all pCPUs).
 */
public record DomainSpec(String name, UUID uuid, long memoryPages, long maxPages, int vcpus, int maxVcpus,
        Path kernel, String cmdline, List<BitSet> hardAffinity, List<BitSet> softAffinity, int maxEvtchnPort,
        int maxGrantFrames, int maxMaptrackFrames, LifecycleAction onPoweroff, LifecycleAction onReboot,
        LifecycleAction onWatchdog, LifecycleAction onCrash, LifecycleAction onSoftReset, DomainConfig config) {

    public DomainSpec {
        hardAffinity = List.copyOf(hardAffinity);
        softAffinity = List.copyOf(softAffinity);
    }

    /** The same specification under another name and UUID (rename, rename-restart). */
    public DomainSpec renamed(String newName, UUID newUuid) {
        DomainConfig c = config.toBuilder().setName(newName).setUuid(newUuid.toString()).build();
        return new DomainSpec(newName, newUuid, memoryPages, maxPages, vcpus, maxVcpus, kernel, cmdline, hardAffinity,
                softAffinity, maxEvtchnPort, maxGrantFrames, maxMaptrackFrames, onPoweroff, onReboot, onWatchdog,
                onCrash, onSoftReset, c);
    }
}
