package org.hvsim.tools.xl;

import com.google.protobuf.Empty;
import java.util.List;
import org.hvsim.proto.control.HostInfo;
import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.xl.format.HostInfoFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xl info [-n] [-x] [key]}: facts about the host. With a key (and without {@code -n}) only the values
 * of the lines whose key starts with it.
 */
@Command(name = "info", description = "Get information about Xen host",
        customSynopsis = "xl [-vtT] info [-n|--numa] [-x|--xenstore] [key]")
final class InfoCommand extends XlSubcommand {
    @Option(names = {"-n", "--numa"}, description = "List host NUMA topology information")
    boolean numa;

    @Option(names = {"-x", "--xenstore"}, description = "List Xenstore features")
    boolean xenstore;

    @Parameters(arity = "0..1", paramLabel = "key")
    String key;

    InfoCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws HostNotRunningException {
        HostInfo info = env.control().host().getHostInfo(Empty.getDefaultInstance());
        List<HostInfoFormat.Line> lines = HostInfoFormat.lines(info, numa, xenstore);
        if (!numa && key != null) {
            env.out().print(HostInfoFormat.select(lines, key));
        } else {
            env.out().print(HostInfoFormat.all(lines));
        }
        return 0;
    }
}
