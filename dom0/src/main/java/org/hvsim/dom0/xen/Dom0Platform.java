package org.hvsim.dom0.xen;

import java.io.IOException;
import java.nio.file.Path;
import org.hvsim.proto.privcmd.Welcome;

/**
 * Everything dom0 uses to reach the machine, assembled from the privcmd Welcome and a way to make
 * hypercalls: the machine memory mapping, dom0's own memory, hypercall buffers, domain control,
 * foreign mappings, the event channel device and the event channel and runstate inspectors. Thread-safe.
 */
public final class Dom0Platform implements AutoCloseable {
    /** Hypercall buffers dom0 keeps (threads beyond this many wait for one). */
    static final int BUFFERS = 32;

    private final Welcome welcome;
    private final MachineMapping machine;
    private final Dom0Memory memory;
    private final Xc xc;
    private final ForeignMemory foreign;
    private final EventChannelDevice events;
    private final EventChannelInspector evtchnInspector;
    private final RunstateInspector runstateInspector;

    private Dom0Platform(Welcome welcome, MachineMapping machine, XenCall xen, EvtchnIntrospection introspection,
            RunstateIntrospection runstates) {
        this.welcome = welcome;
        this.machine = machine;
        this.memory = new Dom0Memory(machine, welcome);
        this.xc = new Xc(xen, new HypercallBufferPool(memory, BUFFERS));
        this.foreign = new ForeignMemory(xc, memory);
        this.evtchnInspector = new EventChannelInspector(introspection);
        this.runstateInspector = new RunstateInspector(runstates);
        this.events = new EventChannelDevice(xc, memory, welcome.getNrVcpus(), evtchnInspector);
    }

    /**
     * Maps machine memory as the Welcome describes and sets up dom0's side over {@code xen}, with
     * {@code introspection} for what dom0's tools show of event channels and {@code runstates} for
     * what they show of vCPU runstates.
     */
    public static Dom0Platform open(Welcome welcome, XenCall xen, EvtchnIntrospection introspection,
            RunstateIntrospection runstates) throws IOException {
        MachineMapping m = MachineMapping.map(Path.of(welcome.getMachineMemoryPath()), welcome.getMachineMemoryBytes());
        try {
            return new Dom0Platform(welcome, m, xen, introspection, runstates);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    public Welcome welcome() {
        return welcome;
    }

    public MachineMapping machine() {
        return machine;
    }

    public Dom0Memory memory() {
        return memory;
    }

    public Xc xc() {
        return xc;
    }

    public ForeignMemory foreign() {
        return foreign;
    }

    public EventChannelDevice events() {
        return events;
    }

    public EventChannelInspector evtchnInspector() {
        return evtchnInspector;
    }

    public RunstateInspector runstateInspector() {
        return runstateInspector;
    }

    @Override
    public void close() {
        machine.close();
    }
}
