package org.hvsim.tools.hvsim.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tour {@code hvsim demo} takes: start a host, create three domains from {@code xl.cfg} files, list
 * them and their vCPUs, watch one guest's console as it greets and powers off, pause and unpause one, shut
 * one down and destroy the other, and stop the host. Each command is printed as {@code $ xl ...} before its
 * output; the first one that fails ends the tour (the host is still stopped).
 */
public final class DemoScript {
    private final PrintWriter out;
    private final DemoShell shell;
    private final Path configDir;

    /** A command the tour runs: {@code tool} is "hvsim" or "xl". */
    private record Step(String tool, List<String> args) {
        String command() {
            return tool + (args.isEmpty() ? "" : " " + String.join(" ", args));
        }
    }

    /**
     * @param out where the transcript goes
     * @param shell runs the commands against the demo's host
     * @param configDir where the tour writes its {@code xl.cfg} files (and runs {@code xl create} from)
     */
    public DemoScript(PrintWriter out, DemoShell shell, Path configDir) {
        this.out = out;
        this.shell = shell;
        this.configDir = configDir;
    }

    /** Starts the host with {@code hvsimStartArgs}; returns the exit code of the first failed step, else 0. */
    public int run(List<String> hvsimStartArgs) throws IOException {
        List<String> start = new ArrayList<>(List.of("start"));
        start.addAll(hvsimStartArgs);
        int exit = step(new Step("hvsim", start));
        if (exit != 0) {
            return exit;
        }
        int toured = 1;
        try {
            toured = tour();
        } finally {
            int stopped = step(new Step("hvsim", List.of("stop")));
            if (stopped != 0) {
                say("`hvsim stop' failed (exit " + stopped + ")");
                toured = toured == 0 ? stopped : toured;
            }
        }
        return toured;
    }

    private int tour() throws IOException {
        for (DemoConfigs.Config config : DemoConfigs.ALL) {
            Files.writeString(configDir.resolve(config.file()), config.text(), StandardCharsets.UTF_8);
        }
        say("domains are described by xl.cfg files, e.g. " + DemoConfigs.IDLE.file() + ":");
        out.print(DemoConfigs.IDLE.text());
        List<Step> steps = List.of(
                xl("create", config(DemoConfigs.IDLE)),
                xl("create", config(DemoConfigs.CPUBURN)),
                xl("list"),
                xl("vcpu-list"),
                new Step("lsevtchn", List.of("-v", "idle")),
                xl("create", "-c", config(DemoConfigs.HELLO)),
                xl("pause", "idle"),
                xl("list", "idle"),
                xl("unpause", "idle"),
                xl("list", "idle"),
                xl("shutdown", "-w", "idle"),
                xl("destroy", "cpuburn"),
                xl("list"));
        for (Step s : steps) {
            int exit = step(s);
            if (exit != 0) {
                say("`" + s.command() + "' failed (exit " + exit + "); stopping the host");
                return exit;
            }
        }
        return 0;
    }

    private String config(DemoConfigs.Config c) {
        return configDir.resolve(c.file()).toString();
    }

    private static Step xl(String... args) {
        return new Step("xl", List.of(args));
    }

    private int step(Step s) throws IOException {
        out.print("\n$ " + s.command() + "\n");
        out.flush();
        String[] args = s.args().toArray(String[]::new);
        int exit = switch (s.tool()) {
            case "xl" -> shell.xl(args);
            case "lsevtchn" -> shell.lsevtchn(args);
            default -> shell.hvsim(args);
        };
        out.flush();
        return exit;
    }

    private void say(String message) {
        out.print("\nhvsim demo: " + message + "\n");
        out.flush();
    }
}
