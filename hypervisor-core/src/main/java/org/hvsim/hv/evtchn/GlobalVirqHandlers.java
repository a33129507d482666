package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.Errno.EBUSY;
import static org.hvsim.hv.abi.Errno.EINVAL;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Virq;

/**
 * Which domain handles each global VIRQ ({@code global_virq_handlers[]}): dom0 (the hardware
 * domain) unless the toolstack handed the VIRQ to another domain, e.g. a xenstore stub domain for
 * VIRQ_DOM_EXC.
 *
 * <p>Threads: any. Readers are lock-free; changes hold this class's lock and then the current
 * handler's event lock, so a change cannot race with a bind_virq of the VIRQ in that domain.
 */
final class GlobalVirqHandlers {
    private final DomainLookup domains;
    private final AtomicReferenceArray<EvtchnDomain> handlers = new AtomicReferenceArray<>(Virq.NR_VIRQS);
    private final ReentrantLock lock = new ReentrantLock();

    GlobalVirqHandlers(DomainLookup domains) {
        this.domains = domains;
    }

    /** The domain handling global {@code virq}: the one set, else dom0; null if neither exists. */
    EvtchnDomain handler(int virq) {
        EvtchnDomain d = handlers.get(virq);
        return d != null ? d : domains.find(DomId.DOM0);
    }

    /**
     * {@code set_global_virq_handler}: {@code -EINVAL} for a VIRQ that is not global or a dying
     * domain; {@code -EBUSY} while the current handler still has the VIRQ bound.
     */
    int set(int virq, EvtchnDomain d) {
        if (virq < 0 || virq >= Virq.NR_VIRQS || Virq.kind(virq) != Virq.Kind.GLOBAL) {
            return -EINVAL;
        }
        if (handler(virq) == d) {
            return 0;
        }
        lock.lock();
        try {
            if (d.isDying()) {
                return -EINVAL;
            }
            EvtchnDomain current = handler(virq);
            if (current == null) {
                handlers.set(virq, d);
                return 0;
            }
            if (current == d) {
                return 0;
            }
            EventChannels table = current.eventChannels();
            table.lock().lock();
            try {
                if (table.virqPort(0, virq) != 0) {
                    return -EBUSY;
                }
                handlers.set(virq, d);
                return 0;
            } finally {
                table.lock().unlock();
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code clear_global_virq_handlers}: a destroyed domain hands its VIRQs back to dom0. */
    void clear(EvtchnDomain d) {
        lock.lock();
        try {
            for (int virq = 0; virq < Virq.NR_VIRQS; virq++) {
                handlers.compareAndSet(virq, d, null);
            }
        } finally {
            lock.unlock();
        }
    }
}
