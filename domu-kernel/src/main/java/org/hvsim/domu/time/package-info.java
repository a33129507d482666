/** Time: per-vCPU {@code VIRQ_TIMER}, sleeping, and durations for people. */
package org.hvsim.domu.time;
