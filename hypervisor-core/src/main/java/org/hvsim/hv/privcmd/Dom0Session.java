package org.hvsim.hv.privcmd;

import io.netty.channel.Channel;

/**
 * An authenticated dom0 connection: the one a Welcome was sent on.
 *
 * @param pid the process id dom0 gave in its Hello
 * @param nrVcpus dom0's vCPUs, from its Welcome
 */
record Dom0Session(Channel channel, long pid, int nrVcpus, UpcallQueue upcalls) {}
