package org.hvsim.dom0.grpc;

import com.google.protobuf.Empty;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hvsim.dom0.console.Xenconsoled;
import org.hvsim.dom0.toolstack.ConfigException;
import org.hvsim.dom0.toolstack.Toolstack;
import org.hvsim.dom0.toolstack.VbdLayout;
import org.hvsim.dom0.xen.RunstateInspector;
import org.hvsim.dom0.xen.XenError;
import org.hvsim.dom0.xen.Xc;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.domctl.GetDomainInfo;
import org.hvsim.proto.control.ConsoleInput;
import org.hvsim.proto.control.ConsoleOutput;
import org.hvsim.proto.control.CreateDomainRequest;
import org.hvsim.proto.control.CreateDomainResponse;
import org.hvsim.proto.control.DestroyDomainRequest;
import org.hvsim.proto.control.AttachBlockDeviceRequest;
import org.hvsim.proto.control.BlockDevice;
import org.hvsim.proto.control.DetachBlockDeviceRequest;
import org.hvsim.proto.control.DomainRef;
import org.hvsim.proto.control.ListBlockDevicesResponse;
import org.hvsim.proto.control.DomainServiceGrpc;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.proto.control.ListDomainsResponse;
import org.hvsim.proto.control.ListVcpusRequest;
import org.hvsim.proto.control.ListVcpusResponse;
import org.hvsim.proto.control.SetVcpuAffinityRequest;
import org.hvsim.proto.control.SetVcpuOnlineRequest;
import org.hvsim.proto.control.WorkloadResult;
import org.hvsim.proto.control.RenameDomainRequest;
import org.hvsim.proto.control.SetMemoryRequest;
import org.hvsim.proto.control.ShutdownDomainRequest;
import org.hvsim.proto.control.ShutdownKind;
import org.hvsim.proto.control.VcpuInfo;

/**
 * DomainService: each call becomes a toolstack operation; a refusal becomes a gRPC status. Calls run
 * on virtual threads (they make blocking hypercalls). Threads: gRPC's executor.
 */
final class DomainServiceImpl extends DomainServiceGrpc.DomainServiceImplBase {
    /** How long ShutdownDomain waits when the client set no deadline. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

    private final Toolstack ts;
    private final Xenconsoled consoles;
    private final long dom0Start;

    DomainServiceImpl(Toolstack ts, Xenconsoled consoles, long dom0Start) {
        this.ts = ts;
        this.consoles = consoles;
        this.dom0Start = dom0Start;
    }

    @Override
    public void createDomain(CreateDomainRequest req, StreamObserver<CreateDomainResponse> out) {
        try {
            Toolstack.CreatedDomain d = ts.create(req.getConfig(), req.getPaused());
            out.onNext(CreateDomainResponse.newBuilder().setDomid(d.domid()).setName(d.name()).setUuid(d.uuid()).build());
            out.onCompleted();
        } catch (ConfigException e) {
            out.onError(StatusMapper.toStatus(e, req.getConfig()));
        } catch (XenError e) {
            out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void listDomains(ListDomainsRequest req, StreamObserver<ListDomainsResponse> out) {
        Unary.answer(out, () -> {
            List<GetDomainInfo> all = ts.domains();
            ListDomainsResponse.Builder b = ListDomainsResponse.newBuilder();
            if (!req.getDomain().isEmpty()) {
                int domid = ts.resolve(req.getDomain());
                all = all.stream().filter(i -> i.domain() == domid).toList();
            }
            for (GetDomainInfo i : all) {
                b.addDomains(InfoViews.domain(i, ts, dom0Start, req.getWithConfig()));
            }
            return b.build();
        });
    }

    @Override
    public void destroyDomain(DestroyDomainRequest req, StreamObserver<Empty> out) {
        Unary.answer(out, () -> {
            ts.destroy(req.getDomain(), req.getForce());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void pauseDomain(DomainRef req, StreamObserver<Empty> out) {
        Unary.answer(out, () -> {
            ts.pause(req.getDomain());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void unpauseDomain(DomainRef req, StreamObserver<Empty> out) {
        Unary.answer(out, () -> {
            ts.unpause(req.getDomain());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void shutdownDomain(ShutdownDomainRequest req, StreamObserver<Empty> out) {
        Unary.answer(out, () -> {
            ShutdownReason reason = req.getKind() == ShutdownKind.SHUTDOWN_KIND_REBOOT ? ShutdownReason.REBOOT : ShutdownReason.POWEROFF;
            io.grpc.Deadline deadline = Context.current().getDeadline();
            Duration wait = deadline == null ? DEFAULT_WAIT : Duration.ofMillis(Math.max(1, deadline.timeRemaining(TimeUnit.MILLISECONDS)));
            ts.shutdown(req.getDomain(), reason, req.getWait(), req.getWaitForDeath(), wait, req.getFallback());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void setMemoryTarget(SetMemoryRequest req, StreamObserver<Empty> out) {
        Unary.answer(out, () -> {
            ts.setMemoryTarget(req.getDomain(), req.getMemkb());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void setMemoryMax(SetMemoryRequest req, StreamObserver<Empty> out) {
        Unary.answer(out, () -> {
            ts.setMemoryMax(req.getDomain(), req.getMemkb());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void renameDomain(RenameDomainRequest req, StreamObserver<Empty> out) {
        Unary.answer(out, () -> {
            ts.rename(req.getDomain(), req.getNewName());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void setVcpuAffinity(SetVcpuAffinityRequest req, StreamObserver<Empty> out) {
        Unary.answer(out, () -> {
            ts.setVcpuAffinity(req.getDomain(), req.getVcpu(), req.hasHard() ? req.getHard() : null,
                    req.hasSoft() ? req.getSoft() : null);
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void setVcpuOnline(SetVcpuOnlineRequest req, StreamObserver<Empty> out) {
        Unary.answer(out, () -> {
            ts.setVcpuOnline(req.getDomain(), Integer.toUnsignedLong(req.getCount()));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void attachBlockDevice(AttachBlockDeviceRequest req, StreamObserver<Empty> out) {
        Unary.answer(out, () -> {
            ts.attachDisk(req.getDomain(), req.getDisk());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void detachBlockDevice(DetachBlockDeviceRequest req, StreamObserver<Empty> out) {
        Unary.answer(out, () -> {
            ts.detachDisk(req.getDomain(), req.getDevice(), req.getForce());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void listBlockDevices(DomainRef req, StreamObserver<ListBlockDevicesResponse> out) {
        Unary.answer(out, () -> {
            int domid = ts.resolve(req.getDomain());
            ListBlockDevicesResponse.Builder b = ListBlockDevicesResponse.newBuilder().setDomid(domid);
            for (VbdLayout.Info d : ts.disks(Integer.toString(domid))) {
                b.addDevices(BlockDevice.newBuilder().setDevid(d.devid()).setVdev(d.vdev()).setBackendId(d.backendId())
                        .setFrontendId(d.frontendId()).setState(d.state()).setEvtchn(d.evtchn()).setRingRef(d.ringRef())
                        .setBackendPath(d.backendPath()));
            }
            return b.build();
        });
    }

    @Override
    public void getWorkloadResult(DomainRef req, StreamObserver<WorkloadResult> out) {
        Unary.answer(out, () -> {
            int domid = ts.resolve(req.getDomain());
            return WorkloadResult.newBuilder().setDomid(domid).setName(ts.nameOf(domid))
                    .setJson(ts.workloadResult(Integer.toString(domid))).build();
        });
    }

    @Override
    public void listVcpus(ListVcpusRequest req, StreamObserver<ListVcpusResponse> out) {
        Unary.answer(out, () -> {
            Xc xc = ts.platform().xc();
            List<Integer> domids = req.getDomainsCount() == 0
                    ? ts.domains().stream().map(GetDomainInfo::domain).toList()
                    : resolveAll(req.getDomainsList());
            ListVcpusResponse.Builder b = ListVcpusResponse.newBuilder();
            int nrCpus = ts.nrCpus();
            for (int domid : domids) {
                GetDomainInfo info;
                try {
                    info = xc.getDomainInfo(domid);
                } catch (XenError e) {
                    continue;
                }
                String name = ts.nameOf(domid);
                RunstateInspector.Snapshot runstates = runstatesOf(domid);
                for (int v = 0; v <= info.maxVcpuId(); v++) {
                    Xc.Affinity a = xc.getVcpuAffinity(domid, v, nrCpus);
                    VcpuInfo.Builder vcpu = InfoViews.vcpu(domid, name, xc.getVcpuInfo(domid, v),
                            nonEmpty(a.hard(), nrCpus), nonEmpty(a.soft(), nrCpus), nrCpus).toBuilder();
                    runstates.vcpu(v).ifPresent(r -> vcpu.setRunstate(InfoViews.runstate(r, runstates.now())));
                    b.addVcpus(vcpu);
                }
            }
            return b.build();
        });
    }

    /** The runstates of {@code domid}'s vCPUs; none when the domain went away since it was listed. */
    private RunstateInspector.Snapshot runstatesOf(int domid) {
        try {
            return ts.platform().runstateInspector().runstates(domid);
        } catch (XenError gone) {
            return new RunstateInspector.Snapshot(0, List.of());
        }
    }

    private List<Integer> resolveAll(List<String> names) throws ConfigException {
        java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
        for (String n : names) {
            out.add(ts.resolve(n));
        }
        return out;
    }

    private static BitSet nonEmpty(BitSet set, int nrCpus) {
        if (set.isEmpty()) {
            BitSet all = new BitSet();
            all.set(0, nrCpus);
            return all;
        }
        return set;
    }

    @Override
    public StreamObserver<ConsoleInput> console(StreamObserver<ConsoleOutput> out) {
        return new ConsoleStream(ts, consoles, (io.grpc.stub.ServerCallStreamObserver<ConsoleOutput>) out);
    }
}
