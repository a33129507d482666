/**
 * {@code tools/bin/xentrace}: records the hypervisor's scheduler trace through dom0's TraceService and
 * writes it as a Chrome/Perfetto trace-event JSON file (Xen's xentrace writes binary records for
 * xenalyze; hvsim's opens in ui.perfetto.dev as it is): a track per pCPU showing which vCPU ran when,
 * a track per vCPU with its runstates, boosts, timer interrupts and event upcalls, and credit counters.
 */
package org.hvsim.tools.xentrace;
