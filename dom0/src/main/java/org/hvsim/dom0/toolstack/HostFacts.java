package org.hvsim.dom0.toolstack;

import java.util.function.Predicate;

/** What validation needs to know of the host right now. */
public record HostFacts(int nrCpus, long freeKb, Predicate<String> nameInUse) {}
