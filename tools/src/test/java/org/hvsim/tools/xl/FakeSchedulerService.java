package org.hvsim.tools.xl;

import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hvsim.proto.control.GetSchedCreditRequest;
import org.hvsim.proto.control.GetSchedCreditResponse;
import org.hvsim.proto.control.SchedCreditDomain;
import org.hvsim.proto.control.SchedCreditPool;
import org.hvsim.proto.control.SchedulerServiceGrpc;
import org.hvsim.proto.control.SetSchedCreditPoolRequest;
import org.hvsim.proto.control.SetSchedCreditRequest;

/** A SchedulerService holding credit parameters for domains 0 and 1 (or running rr), recording every request. */
final class FakeSchedulerService extends SchedulerServiceGrpc.SchedulerServiceImplBase {
    final Map<Integer, SchedCreditDomain> domains = new TreeMap<>();
    final List<Object> requests = new ArrayList<>();
    SchedCreditPool pool = SchedCreditPool.newBuilder().setPool("Pool-0").setTsliceMs(30).setRatelimitUs(1000).build();
    boolean credit = true;
    /** When set, SetSchedCredit and SetSchedCreditPool fail with INVALID_ARGUMENT and this text. */
    String refusal;

    FakeSchedulerService() {
        domains.put(0, SchedCreditDomain.newBuilder().setDomid(0).setName("Domain-0").setWeight(256).build());
        domains.put(1, SchedCreditDomain.newBuilder().setDomid(1).setName("web").setWeight(512).setCap(50).build());
    }

    @Override
    public void getSchedCredit(GetSchedCreditRequest req, StreamObserver<GetSchedCreditResponse> out) {
        requests.add(req);
        GetSchedCreditResponse.Builder b = GetSchedCreditResponse.newBuilder().setScheduler(credit ? "credit" : "rr");
        if (credit) {
            b.setPool(pool);
            for (SchedCreditDomain d : domains.values()) {
                if (req.getDomain().isEmpty() || req.getDomain().equals(Integer.toString(d.getDomid()))) {
                    b.addDomains(d);
                }
            }
        }
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void setSchedCredit(SetSchedCreditRequest req, StreamObserver<Empty> out) {
        requests.add(req);
        if (refusal != null) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(refusal).asRuntimeException());
            return;
        }
        out.onNext(Empty.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void setSchedCreditPool(SetSchedCreditPoolRequest req, StreamObserver<SchedCreditPool> out) {
        requests.add(req);
        if (refusal != null) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(refusal).asRuntimeException());
            return;
        }
        out.onNext(pool);
        out.onCompleted();
    }
}
