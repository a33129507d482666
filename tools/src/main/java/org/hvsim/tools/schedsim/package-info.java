/**
 * {@code tools/bin/schedsim}: runs a scheduler policy (credit, credit without BOOST, round robin) over a
 * synthetic workload in hypervisor-core's pure simulation ({@code org.hvsim.hv.sched.SchedSim}) and prints
 * each domain's CPU share and wake latencies. The only package of tools that uses hypervisor-core, and
 * only its {@code org.hvsim.hv.sched} packages (checked by {@code ToolsDependencyRuleTest}).
 */
package org.hvsim.tools.schedsim;
