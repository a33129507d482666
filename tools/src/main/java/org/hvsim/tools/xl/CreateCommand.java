package org.hvsim.tools.xl;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.hvsim.proto.control.CreateDomainRequest;
import org.hvsim.proto.control.CreateDomainResponse;
import org.hvsim.proto.control.DomainRef;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.xl.console.EscapeCharacter;
import org.hvsim.tools.xlcfg.DomainConfigJson;
import org.hvsim.tools.xlcfg.LoadedConfig;
import org.hvsim.tools.xlcfg.XlConfigException;
import org.hvsim.tools.xlcfg.XlConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xl create [options] <ConfigFile> [key=value ...]} ({@code main_create} and {@code create_domain} in
 * xl_vmcontrol.c): parse the configuration (the file, then the overrides), print each warning once, and
 * ask dom0 to build the domain. {@code -n} (or xl's global {@code -N}) prints the configuration as JSON and
 * stops there, without contacting the host. {@code -c} attaches the console: the domain is built paused,
 * the console attached, then the domain unpaused (unless {@code -p}), so none of its output is missed.
 * {@code -F} stays in the foreground until the domain is gone. Restart actions ({@code on_reboot} and so
 * on) are dom0's, so {@code -e}, which only stops xl's background waiter, changes nothing here.
 *
 * <p>Exit codes as xl: 1 for a configuration xl or dom0 refuses, 3 (libxl's ERROR_FAIL) when the file cannot
 * be read or dom0 fails to build the domain, 6 (ERROR_INVAL) when no file is named, 2 for bad usage.
 */
@Command(name = "create", description = "Create a domain from config file <filename>",
        customSynopsis = "xl [-vftNT] create <ConfigFile> [options] [vars]")
final class CreateCommand extends XlSubcommand {
    static final int ERROR_FAIL_EXIT = 3;
    static final int ERROR_INVAL_EXIT = 6;
    /** How often {@code -F} checks whether the domain still exists. */
    static final long FOREGROUND_POLL_NANOS = 1_000_000_000L;

    @Option(names = "-p", description = "Leave the domain paused after it is created.")
    boolean paused;

    @Option(names = "-c", description = "Connect to the console after the domain is created.")
    boolean console;

    @Option(names = {"-f", "--defconfig"}, paramLabel = "FILE", description = "Use the given configuration file.")
    String defconfig;

    @Option(names = {"-q", "--quiet"}, description = "Quiet.")
    boolean quiet;

    @Option(names = {"-n", "--dryrun"}, description = {"Dry run - prints the resulting configuration",
        " (deprecated in favour of global -N option)."})
    boolean dryRun;

    @Option(names = "-d", description = "Enable debug messages.")
    boolean debug;

    @Option(names = "-F", description = "Run in foreground until death of the domain.")
    boolean foreground;

    @Option(names = "-e", description = "Do not wait in the background for the death of the domain.")
    boolean noWait;

    @Parameters(paramLabel = "ConfigFile|key=value", arity = "0..*")
    List<String> arguments = new ArrayList<>();

    private final XlCommand xl;

    /** @param xl xl's global options ({@code -N}) */
    CreateCommand(XlEnvironment env, XlCommand xl) {
        super(env);
        this.xl = xl;
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        String file = defconfig;
        List<String> overrides = new ArrayList<>();
        for (String argument : arguments) {
            if (argument.indexOf('=') >= 0) {
                overrides.add(argument);
            } else if (file == null) {
                file = argument;
            } else {
                throw new XlFailure("'xl create' takes one configuration file; see 'xl help create'.\n", 2);
            }
        }
        if (file == null) {
            throw new XlFailure("Config file not specified and none in save file\n", ERROR_INVAL_EXIT);
        }
        LoadedConfig loaded = load(file, overrides);
        boolean dry = dryRun || xl.dryRun();
        if (dry || debug) {
            (dry ? env.out() : env.err()).print(DomainConfigJson.config(loaded.config()));
        }
        if (dry) {
            return 0;
        }
        CreateDomainResponse created;
        try {
            created = env.control().domains().createDomain(CreateDomainRequest.newBuilder()
                    .setConfig(loaded.config())
                    .setPaused(paused || console)
                    .build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
                throw XlFailure.line(describe(e));
            }
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
                throw e;
            }
            throw new XlFailure(describe(e) + "\n", ERROR_FAIL_EXIT);
        }
        long domid = Integer.toUnsignedLong(created.getDomid());
        if (console) {
            int exit = ConsoleAttachment.run(env, Long.toString(domid), EscapeCharacter.DEFAULT, attached -> {
                if (!paused) {
                    unpause(attached);
                }
            });
            if (exit != 0) {
                return exit;
            }
        }
        if (foreground) {
            waitForDeath(created.getName(), domid);
        }
        return 0;
    }

    private LoadedConfig load(String file, List<String> overrides) throws XlFailure {
        if (!quiet) {
            env.err().print("Parsing config from " + file + "\n");
        }
        LoadedConfig loaded;
        try {
            loaded = XlConfigLoader.load(Path.of(file), overrides);
        } catch (XlConfigException e) {
            String message = e.getMessage();
            throw new XlFailure(message.endsWith("\n") ? message : message + "\n", 1);
        } catch (NoSuchFileException e) {
            throw new XlFailure("Failed to read config file: " + file + ": No such file or directory\n",
                    ERROR_FAIL_EXIT);
        } catch (AccessDeniedException e) {
            throw new XlFailure("Failed to read config file: " + file + ": Permission denied\n", ERROR_FAIL_EXIT);
        } catch (IOException e) {
            throw new XlFailure("Failed to read config file: " + file + ": " + e.getMessage() + "\n",
                    ERROR_FAIL_EXIT);
        }
        String kernel = loaded.config().getKernel();
        if (kernel.contains("/") && !Path.of(kernel).isAbsolute()) {
            // dom0 opens the kernel, from another directory: a relative path means relative to xl's.
            loaded = new LoadedConfig(loaded.config().toBuilder()
                    .setKernel(Path.of(kernel).toAbsolutePath().normalize().toString()).build(), loaded.warnings());
        }
        for (String warning : new LinkedHashSet<>(loaded.warnings())) {
            env.err().print(warning.endsWith("\n") ? warning : warning + "\n");
        }
        env.err().flush();
        return loaded;
    }

    private void unpause(long domid) throws XlFailure {
        try {
            env.control().domains().unpauseDomain(DomainRef.newBuilder().setDomain(Long.toString(domid)).build());
        } catch (StatusRuntimeException | HostNotRunningException e) {
            throw XlFailure.line("xl: the domain was created but could not be unpaused: " + e.getMessage());
        }
    }

    /** {@code -F}: xl's foreground waiter, reduced to waiting, since dom0 carries out the lifecycle actions. */
    private void waitForDeath(String name, long domid) throws HostNotRunningException {
        env.err().print("Waiting for domain " + name + " (domid " + domid + ") to die [pid "
                + ProcessHandle.current().pid() + "]\n");
        env.err().flush();
        ListDomainsRequest request = ListDomainsRequest.newBuilder().setDomain(Long.toString(domid)).build();
        while (true) {
            try {
                env.control().domains().listDomains(request);
            } catch (StatusRuntimeException e) {
                if (DomainQualifier.isNotFound(e)) {
                    break;
                }
                throw e;
            }
            LockSupport.parkNanos(FOREGROUND_POLL_NANOS);
        }
        env.err().print("Domain " + domid + " has been destroyed.\n");
    }
}
