package org.hvsim.tools.xlcfg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed configuration: its statements in source order (file first, then command-line overrides),
 * and for each key the value it ends up with, as in xl: a later {@code =} replaces, a later {@code +=}
 * appends to the string or list before it. Effective values are computed once, in one pass, so that
 * long chains of {@code +=} cost time linear in their size. Immutable.
 */
public final class XlConfig {
    private final String sourceFile;
    private final List<XlSetting> statements;
    private final Map<String, XlSetting> effective;

    XlConfig(String sourceFile, List<XlSetting> statements) {
        this.sourceFile = sourceFile;
        this.statements = List.copyOf(statements);
        this.effective = effectiveSettings(this.statements);
    }

    /** The name of the file the configuration was read from (overrides have a source of their own). */
    public String sourceFile() {
        return sourceFile;
    }

    /** Every statement, in source order, each with the value written in it. */
    public List<XlSetting> settings() {
        return statements;
    }

    /** The effective setting of {@code key}: its final value, with its last statement's operator and place. */
    public Optional<XlSetting> find(String key) {
        return Optional.ofNullable(effective.get(key));
    }

    /** The keys set, each once, in the order they first appear. */
    public List<String> keys() {
        return new ArrayList<>(effective.keySet());
    }

    public boolean isEmpty() {
        return statements.isEmpty();
    }

    /** Builds each key's value, appending {@code +=} values to what came before (shapes were checked by the parser). */
    private static Map<String, XlSetting> effectiveSettings(List<XlSetting> statements) {
        Map<String, Accumulator> values = new LinkedHashMap<>();
        for (XlSetting s : statements) {
            Accumulator current = values.get(s.key());
            if (s.operation() == XlOperation.APPEND && current != null && current.accepts(s.value())) {
                current.append(s);
            } else {
                values.put(s.key(), new Accumulator(s));
            }
        }
        Map<String, XlSetting> result = new LinkedHashMap<>();
        values.forEach((key, acc) -> result.put(key, acc.setting()));
        return result;
    }

    /** A key's value under construction. */
    private static final class Accumulator {
        private final StringBuilder text;
        private final List<XlValue> items;
        private XlSetting last;

        Accumulator(XlSetting first) {
            last = first;
            if (first.value() instanceof XlAtom atom) {
                text = new StringBuilder(atom.text());
                items = null;
            } else {
                text = null;
                items = new ArrayList<>(((XlList) first.value()).items());
            }
        }

        boolean accepts(XlValue value) {
            return (value instanceof XlAtom) == (text != null);
        }

        void append(XlSetting next) {
            last = next;
            if (next.value() instanceof XlAtom atom) {
                text.append(atom.text());
            } else {
                items.addAll(((XlList) next.value()).items());
            }
        }

        XlSetting setting() {
            XlValue value = text != null
                    ? new XlAtom(text.toString(), last.value().location())
                    : new XlList(items, last.value().location());
            return new XlSetting(last.key(), last.operation(), value, last.keyLocation());
        }
    }
}
