package org.hvsim.dom0.toolstack;

import java.util.concurrent.CompletableFuture;
import org.hvsim.proto.toolstack.ToolstackDomain;

/**
 * A domain the toolstack manages: its specification, when it was created, its console, whether its
 * shutdown has been handled, and futures for callers waiting on its shutdown or death (xl shutdown -w).
 * Threads: the toolstack's event thread and request threads; the fields are guarded by this object.
 */
final class ManagedDomain {
    private final int domid;
    private DomainSpec spec;
    private final long startTime;
    private final long consoleMfn;
    private final int consoleGuestPort;
    private final java.util.List<org.hvsim.proto.toolstack.MemoryExtent> extents;
    private long consolePtPfn;
    private long storeMfn;
    private int storeGuestPort;
    private long storePtPfn;
    private boolean shutdownHandled;
    final CompletableFuture<Integer> shutdown = new CompletableFuture<>();
    final CompletableFuture<Void> death = new CompletableFuture<>();

    ManagedDomain(int domid, DomainSpec spec, long startTime, long consoleMfn, int consoleGuestPort,
            java.util.List<org.hvsim.proto.toolstack.MemoryExtent> extents) {
        this.domid = domid;
        this.spec = spec;
        this.startTime = startTime;
        this.consoleMfn = consoleMfn;
        this.consoleGuestPort = consoleGuestPort;
        this.extents = java.util.List.copyOf(extents);
    }

    java.util.List<org.hvsim.proto.toolstack.MemoryExtent> extents() {
        return extents;
    }

    int domid() {
        return domid;
    }

    synchronized DomainSpec spec() {
        return spec;
    }

    synchronized String name() {
        return spec.name();
    }

    synchronized void setSpec(DomainSpec s) {
        this.spec = s;
    }

    long startTime() {
        return startTime;
    }

    long consoleMfn() {
        return consoleMfn;
    }

    int consoleGuestPort() {
        return consoleGuestPort;
    }

    /** The xenstore ring page (MFN) and the guest's end of the store event channel. */
    synchronized void setStore(long mfn, int guestPort) {
        this.storeMfn = mfn;
        this.storeGuestPort = guestPort;
    }

    synchronized long storeMfn() {
        return storeMfn;
    }

    synchronized int storeGuestPort() {
        return storeGuestPort;
    }

    synchronized long storePtPfn() {
        return storePtPfn;
    }

    synchronized void setStorePtPfn(long pfn) {
        this.storePtPfn = pfn;
    }

    synchronized long consolePtPfn() {
        return consolePtPfn;
    }

    synchronized void setConsolePtPfn(long pfn) {
        this.consolePtPfn = pfn;
    }

    /** Marks the shutdown handled; returns false if it already was. */
    synchronized boolean takeShutdown() {
        if (shutdownHandled) {
            return false;
        }
        shutdownHandled = true;
        return true;
    }

    synchronized ToolstackDomain toRecord() {
        return ToolstackDomain.newBuilder().setDomid(domid).setConfig(spec.config()).setStartTimeUnixSeconds(startTime)
                .setConsoleMfn(consoleMfn).setConsoleGuestPort(consoleGuestPort).setConsolePtPfn(consolePtPfn)
                .setShutdownHandled(shutdownHandled).addAllExtents(extents).setStoreMfn(storeMfn)
                .setStoreGuestPort(storeGuestPort).setStorePtPfn(storePtPfn).build();
    }

    static ManagedDomain fromRecord(ToolstackDomain r, DomainSpec spec) {
        ManagedDomain m = new ManagedDomain(r.getDomid(), spec, r.getStartTimeUnixSeconds(), r.getConsoleMfn(),
                r.getConsoleGuestPort(), r.getExtentsList());
        m.consolePtPfn = r.getConsolePtPfn();
        m.shutdownHandled = r.getShutdownHandled();
        m.storeMfn = r.getStoreMfn();
        m.storeGuestPort = r.getStoreGuestPort();
        m.storePtPfn = r.getStorePtPfn();
        return m;
    }
}
