package org.hvsim.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row of {@code xl list}, parsed strictly: Xen's {@code "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f"}
 * (list_domains in tools/xl/xl_info.c), for names of at most 40 characters. CPU time is kept in tenths of
 * a second, as printed, so no floating point is involved.
 *
 * @param state the six state characters, e.g. {@code "-b----"}
 */
public record DomainRow(String name, int domid, long memMib, int vcpus, String state, long cpuTenths) {
    /** The header {@code xl list} prints, byte for byte (two TABs). */
    public static final String HEADER = "Name                                        ID   Mem VCPUs\tState\tTime(s)";

    /**
     * name (40 columns, padded), then the id, memory and vCPUs right-aligned in 5 columns, five spaces, the
     * six state characters in their fixed positions, two spaces, the time right-aligned in 8 columns.
     */
    static final Pattern ROW = Pattern.compile(
            "(?<name>.{40}) (?<id>[ 0-9]{4}[0-9]) (?<mem>[ 0-9]{4}[0-9]) (?<vcpus>[ 0-9]{4}[0-9])     "
                    + "(?<state>[r-][b-][p-][s-][-rscwS?][d-])  (?<time>[ 0-9]{5}[0-9]\\.[0-9])");

    /** The row {@code line} is, or an AssertionError saying why it is not one. */
    public static DomainRow parse(String line) {
        Matcher m = ROW.matcher(line);
        if (!m.matches()) {
            throw new AssertionError("not an xl list row in Xen's format: [" + line.replace("\t", "\\t") + "]");
        }
        String padded = m.group("name");
        String name = padded.stripTrailing();
        if (name.isEmpty() || !padded.startsWith(name) || name.contains("  ")) {
            throw new AssertionError("bad name column in xl list row: [" + line + "]");
        }
        String time = m.group("time").strip();
        return new DomainRow(name, Integer.parseInt(m.group("id").strip()), Long.parseLong(m.group("mem").strip()),
                Integer.parseInt(m.group("vcpus").strip()), m.group("state"),
                Long.parseLong(time.replace(".", "")));
    }

    /** The rows of a whole {@code xl list} output, after checking its header. */
    public static List<DomainRow> parseList(String out) {
        List<String> lines = out.lines().toList();
        if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) {
            throw new AssertionError("xl list output does not start with Xen's header:\n" + out);
        }
        if (!out.endsWith("\n")) {
            throw new AssertionError("xl list output does not end with a newline:\n" + out);
        }
        List<DomainRow> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(parse(line));
        }
        return rows;
    }

    public boolean running() {
        return state.charAt(0) == 'r';
    }

    public boolean blocked() {
        return state.charAt(1) == 'b';
    }

    public boolean paused() {
        return state.charAt(2) == 'p';
    }

    public boolean shutdown() {
        return state.charAt(3) == 's';
    }
}
