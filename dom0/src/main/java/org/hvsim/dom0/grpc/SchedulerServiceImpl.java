package org.hvsim.dom0.grpc;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.hvsim.dom0.toolstack.SchedCredit;
import org.hvsim.dom0.toolstack.Toolstack;
import org.hvsim.hv.abi.domctl.GetDomainInfo;
import org.hvsim.proto.control.GetSchedCreditRequest;
import org.hvsim.proto.control.GetSchedCreditResponse;
import org.hvsim.proto.control.SchedCreditDomain;
import org.hvsim.proto.control.SchedCreditPool;
import org.hvsim.proto.control.SchedulerServiceGrpc;
import org.hvsim.proto.control.SetSchedCreditPoolRequest;
import org.hvsim.proto.control.SetSchedCreditRequest;

/** SchedulerService: the credit scheduler's parameters for xl sched-credit. Threads: gRPC's. */
final class SchedulerServiceImpl extends SchedulerServiceGrpc.SchedulerServiceImplBase {
    private final Toolstack ts;

    SchedulerServiceImpl(Toolstack ts) {
        this.ts = ts;
    }

    @Override
    public void getSchedCredit(GetSchedCreditRequest req, StreamObserver<GetSchedCreditResponse> out) {
        Unary.answer(out, () -> {
            SchedCredit credit = ts.schedCredit();
            List<Integer> domids = new ArrayList<>();
            if (req.getDomain().isEmpty()) {
                for (GetDomainInfo info : ts.domains()) {
                    domids.add(info.domain());
                }
            } else {
                domids.add(ts.resolve(req.getDomain()));
            }
            boolean inUse = credit.inUse();
            GetSchedCreditResponse.Builder b = GetSchedCreditResponse.newBuilder().setScheduler(inUse ? "credit" : "rr");
            if (!inUse) {
                return b.build();
            }
            SchedCredit.PoolParams pool = credit.pool();
            b.setPool(pool(pool));
            for (SchedCredit.DomainParams d : credit.domains(domids)) {
                b.addDomains(SchedCreditDomain.newBuilder().setDomid(d.domid()).setName(ts.nameOf(d.domid()))
                        .setWeight(d.weight()).setCap(d.cap()));
            }
            return b.build();
        });
    }

    @Override
    public void setSchedCredit(SetSchedCreditRequest req, StreamObserver<Empty> out) {
        Unary.answer(out, () -> {
            int domid = ts.resolve(req.getDomain());
            ts.schedCredit().setDomain(domid, req.hasWeight() ? req.getWeight() : null,
                    req.hasCap() ? req.getCap() : null);
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void setSchedCreditPool(SetSchedCreditPoolRequest req, StreamObserver<SchedCreditPool> out) {
        Unary.answer(out, () -> pool(ts.schedCredit().setPool(req.hasTsliceMs() ? req.getTsliceMs() : null,
                req.hasRatelimitUs() ? req.getRatelimitUs() : null,
                req.hasMigrationDelayUs() ? req.getMigrationDelayUs() : null)));
    }

    private static SchedCreditPool pool(SchedCredit.PoolParams p) {
        return SchedCreditPool.newBuilder().setPool(SchedCredit.POOL_NAME).setTsliceMs(p.tsliceMs())
                .setRatelimitUs(p.ratelimitUs()).setMigrationDelayUs(p.migrationDelayUs()).build();
    }
}
