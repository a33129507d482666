/**
 * Xen's credit scheduler (credit1, {@code xen/common/sched/credit.c}): weights, caps, BOOST, per-pCPU
 * run queues with work stealing, ratelimit and hard affinity, as a {@link org.hvsim.hv.sched.SchedulerPolicy}.
 */
package org.hvsim.hv.sched.credit;
