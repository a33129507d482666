package org.hvsim.domu.cmdline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The guest's command line ({@code cmdline} in {@code xl.cfg}, {@code start_info.cmd_line}), parsed as
 * {@code app=<name> [key=value ...]}: which app the kernel runs and that app's parameters.
 *
 * <p>Grammar: tokens separated by blanks (space, tab, newline); each token is {@code key=value}; a key
 * is one or more of {@code [A-Za-z0-9_.-]}; a value is either a run of non-blank characters without
 * {@code "}, or a double-quoted string (which may hold blanks but no {@code "}) followed by a blank or
 * the end. A key given twice keeps its last value, as on Linux. Without {@code app} the app is
 * {@value #DEFAULT_APP}. Anything else is a {@link CommandLineException} naming the column.
 *
 * @param app    the app to run, never empty
 * @param params the other parameters in command-line order (unmodifiable)
 */
public record CommandLine(String app, Map<String, String> params) {
    /** The app a command line without {@code app=} runs. */
    public static final String DEFAULT_APP = "idle";
    /** The key naming the app. */
    public static final String APP_KEY = "app";

    public CommandLine {
        if (app == null || app.isEmpty()) {
            throw new IllegalArgumentException("app must not be empty");
        }
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        if (params.containsKey(APP_KEY)) {
            throw new IllegalArgumentException("params must not hold the app key");
        }
    }

    /** Parses {@code text}; throws {@link CommandLineException} with the column of the first problem. */
    public static CommandLine parse(String text) {
        Map<String, String> all = new CommandLineLexer(text).tokens();
        String app = all.remove(APP_KEY);
        if (app == null) {
            app = DEFAULT_APP;
        } else if (app.isEmpty()) {
            throw new CommandLineException("app= names no app");
        }
        return new CommandLine(app, all);
    }

    /** The value of {@code key}, or {@code fallback} if it is not given. */
    public String param(String key, String fallback) {
        return params.getOrDefault(key, fallback);
    }

    /**
     * The decimal value of {@code key}, or {@code fallback} if it is not given; a value that is not a
     * decimal number within {@code [min, max]} is a {@link CommandLineException}.
     */
    public long longParam(String key, long fallback, long min, long max) {
        String v = params.get(key);
        if (v == null) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new CommandLineException(key + "=" + v + " is not a decimal number");
        }
        if (n < min || n > max) {
            throw new CommandLineException(key + "=" + v + " is outside " + min + ".." + max);
        }
        return n;
    }

    /**
     * The size in bytes of {@code key} (fio's way: a decimal number with an optional binary suffix k, m,
     * g or t, case ignored), or {@code fallback} if it is not given; anything else, or a size outside
     * {@code [min, max]}, is a {@link CommandLineException}.
     */
    public long sizeParam(String key, long fallback, long min, long max) {
        String v = params.get(key);
        if (v == null) {
            return fallback;
        }
        int shift = v.isEmpty() ? 0 : switch (Character.toLowerCase(v.charAt(v.length() - 1))) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new CommandLineException(key + "=" + v + " is not a size (a number with an optional k, m, g or t)");
        }
        long n = Long.parseLong(digits);
        if (n > Long.MAX_VALUE >>> shift || (n << shift) < min || (n << shift) > max) {
            throw new CommandLineException(key + "=" + v + " is outside " + min + ".." + max + " bytes");
        }
        return n << shift;
    }

    /** The keys given that are not in {@code known}, in command-line order. */
    public Set<String> unknownParams(Set<String> known) {
        Set<String> unknown = new java.util.LinkedHashSet<>(params.keySet());
        unknown.removeAll(known);
        return unknown;
    }

    /** The command line this record stands for, in the grammar {@link #parse} reads. */
    public String render() {
        StringBuilder sb = new StringBuilder(APP_KEY).append('=').append(quoted(app));
        params.forEach((k, v) -> sb.append(' ').append(k).append('=').append(quoted(v)));
        return sb.toString();
    }

    private static String quoted(String value) {
        if (value.isEmpty() || value.chars().anyMatch(CommandLineLexer::isBlank)) {
            return '"' + value + '"';
        }
        return value;
    }
}
