/**
 * {@code tools/bin/schedsim}: runs a scheduler policy (credit, credit without BOOST, round robin) over a
 * synthetic workload in the pure simulation ({@link org.hvsim.hv.sched.SchedSim}) and prints each domain's CPU
 * share and wake latencies. It lives next to the simulator it drives, so that tools stays a thin client of dom0
 * (tools/bin/schedsim only names {@link org.hvsim.hv.sched.sim.SchedsimMain}, which the distribution's class path
 * holds). The example workloads are resources of this package.
 */
package org.hvsim.hv.sched.sim;
