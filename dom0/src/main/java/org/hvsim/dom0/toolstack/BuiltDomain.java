package org.hvsim.dom0.toolstack;

import java.util.List;
import org.hvsim.proto.toolstack.MemoryExtent;

/**
 * A domain the builder has made: its id, its console ring (MFN and the guest's event channel port),
 * its xenstore ring (MFN and the guest's event channel port), and the memory extents it populated.
 */
public record BuiltDomain(int domid, long consoleMfn, int consoleGuestPort, long storeMfn, int storeGuestPort,
        List<MemoryExtent> extents) {
    public BuiltDomain {
        extents = List.copyOf(extents);
    }
}
