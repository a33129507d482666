package org.hvsim.dom0.grpc;

import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hvsim.dom0.toolstack.Toolstack;
import org.hvsim.dom0.xen.XenError;
import org.hvsim.dom0.xen.Xc;
import org.hvsim.hv.abi.Sysctl;
import org.hvsim.hv.abi.XenVer;
import org.hvsim.hv.abi.sysctl.Physinfo;
import org.hvsim.proto.control.HostInfo;
import org.hvsim.proto.control.HostServiceGrpc;
import org.hvsim.proto.control.ReadConsoleRequest;
import org.hvsim.proto.control.ReadConsoleResponse;

/** HostService: xl info (physinfo, xen_version, dom0's uname) and xl dmesg. Threads: gRPC's executor. */
final class HostServiceImpl extends HostServiceGrpc.HostServiceImplBase {
    private final Toolstack ts;

    HostServiceImpl(Toolstack ts) {
        this.ts = ts;
    }

    @Override
    public void getHostInfo(Empty req, StreamObserver<HostInfo> out) {
        try {
            out.onNext(hostInfo());
            out.onCompleted();
        } catch (XenError e) {
            out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    private HostInfo hostInfo() {
        Xc xc = ts.platform().xc();
        Physinfo p = xc.physinfo();
        int version = xc.xenVersion();
        String[] compile = xc.compileInfo();
        HostInfo.Builder b = HostInfo.newBuilder()
                .setHost(hostname())
                .setRelease(System.getProperty("os.version"))
                .setVersion(read("/proc/sys/kernel/version", "#1"))
                .setMachine(machine())
                .setNrCpus(p.nrCpus()).setMaxCpuId(p.maxCpuId()).setNrNodes(p.nrNodes())
                .setCoresPerSocket(p.coresPerSocket()).setThreadsPerCore(p.threadsPerCore()).setCpuKhz(p.cpuKhz())
                .addAllVirtCaps(virtCaps(p.capabilities()))
                .setTotalMemory(p.totalPages() * 4 / 1024).setFreeMemory(p.freePages() * 4 / 1024)
                .setOutstandingClaims(p.outstandingPages() * 4 / 1024)
                .setFreeCpus(0)
                .setXenMajor(version >>> 16).setXenMinor(version & 0xffff)
                .setXenExtra(xc.xenVersionString(XenVer.EXTRAVERSION, XenVer.EXTRAVERSION_LEN))
                .setXenCaps(xc.xenVersionString(XenVer.CAPABILITIES, XenVer.CAPABILITIES_LEN))
                .setXenScheduler(schedulerName(xc.schedulerId()))
                .setXenPagesize(4096)
                .setPlatformParams("virt_start=0x" + Long.toHexString(xc.virtStart()))
                .setXenChangeset(xc.xenVersionString(XenVer.CHANGESET, XenVer.CHANGESET_LEN))
                .setXenCommandline(xc.xenVersionString(XenVer.COMMANDLINE, XenVer.COMMANDLINE_LEN))
                .setCcCompiler(compile[0]).setCcCompileBy(compile[1]).setCcCompileDomain(compile[2])
                .setCcCompileDate(compile[3])
                .setBuildId(xc.buildId());
        for (int cap : p.hwCap()) {
            b.addHwCaps(cap);
        }
        return b.build();
    }

    static List<String> virtCaps(int caps) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        if ((caps & Sysctl.PHYSCAP_PV) != 0) {
            out.add("pv");
        }
        if ((caps & Sysctl.PHYSCAP_HVM) != 0) {
            out.add("hvm");
        }
        if ((caps & Sysctl.PHYSCAP_GNTTAB_V1) != 0) {
            out.add("gnttab-v1");
        }
        if ((caps & Sysctl.PHYSCAP_GNTTAB_V2) != 0) {
            out.add("gnttab-v2");
        }
        return out;
    }

    static String schedulerName(int id) {
        return switch (id) {
            case Sysctl.SCHEDULER_CREDIT -> "credit";
            case Sysctl.SCHEDULER_CREDIT2 -> "credit2";
            case Sysctl.SCHEDULER_RTDS -> "rtds";
            case Sysctl.SCHEDULER_ARINC653 -> "arinc653";
            case Sysctl.SCHEDULER_NULL -> "null";
            case Sysctl.SCHEDULER_HVSIM_RR -> "rr";
            default -> "unknown";
        };
    }

    private static String hostname() {
        String h = read("/proc/sys/kernel/hostname", "");
        if (!h.isEmpty()) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String machine() {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) ? "x86_64" : arch;
    }

    private static String read(String file, String fallback) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            return fallback;
        }
    }

    @Override
    public void readConsole(ReadConsoleRequest req, StreamObserver<ReadConsoleResponse> out) {
        try {
            out.onNext(ReadConsoleResponse.newBuilder().setText(ts.platform().xc().readConsole(req.getClear())).build());
            out.onCompleted();
        } catch (XenError e) {
            out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
        }
    }
}
