package org.hvsim.hv.privcmd;

import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.proto.privcmd.HypercallRequest;
import org.hvsim.proto.privcmd.PrivcmdMessage;

/**
 * A hypercall request from dom0, checked once, here: the choke point for what dom0 sends after the
 * handshake.
 *
 * @param args always {@link PrivcmdLimits#MAX_HYPERCALL_ARGS} values, the ones not sent being 0
 */
record Dom0Hypercall(long id, int vcpu, int op, long[] args) {

    /**
     * The request {@code message} carries, or a {@link PrivcmdProtocolException} saying what is
     * wrong with it.
     *
     * @param nrVcpus dom0's vCPUs, from the Welcome it was sent
     */
    static Dom0Hypercall decode(PrivcmdMessage message, int nrVcpus) {
        if (message.getBodyCase() != PrivcmdMessage.BodyCase.HYPERCALL) {
            throw new PrivcmdProtocolException(CloseReason.UNEXPECTED_MESSAGE,
                    "expected a hypercall request after the handshake, got " + message.getBodyCase());
        }
        HypercallRequest request = message.getHypercall();
        int op = request.getOp();
        if (request.getArgsCount() > PrivcmdLimits.MAX_HYPERCALL_ARGS) {
            throw new PrivcmdProtocolException(CloseReason.TOO_MANY_ARGS, request.getArgsCount()
                    + " arguments to hypercall " + opName(op) + "; the ABI passes at most "
                    + PrivcmdLimits.MAX_HYPERCALL_ARGS);
        }
        int vcpu = request.getVcpu();
        if (Integer.compareUnsigned(vcpu, nrVcpus) >= 0) {
            throw new PrivcmdProtocolException(CloseReason.BAD_VCPU, "hypercall " + opName(op)
                    + " from vCPU " + Integer.toUnsignedString(vcpu) + "; dom0 has " + nrVcpus);
        }
        long[] args = new long[PrivcmdLimits.MAX_HYPERCALL_ARGS];
        for (int i = 0; i < request.getArgsCount(); i++) {
            args[i] = request.getArgs(i);
        }
        return new Dom0Hypercall(request.getId(), vcpu, op, args);
    }

    private static String opName(int op) {
        return op >= 0 && op < HypercallNr.NR_HYPERCALLS ? HypercallNr.name(op) : "#" + Integer.toUnsignedString(op);
    }
}
