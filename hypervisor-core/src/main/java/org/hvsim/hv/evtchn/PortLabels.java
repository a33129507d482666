package org.hvsim.hv.evtchn;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Interned port labels ("xenstore", "console", "VIRQ_TIMER"), each with a small number that trace
 * records carry instead of the text. Labels come from dom0 and from the bindings themselves, so
 * there are few distinct ones; past {@link #MAX_LABELS} a new text is still kept on its port but
 * gets id 0 (trace records then show no label).
 *
 * <p>Threads: any.
 */
public final class PortLabels {
    /** The most distinct labels numbered (ids 1..MAX_LABELS). */
    public static final int MAX_LABELS = 4095;
    /** The longest label, in UTF-8 bytes; longer ones are refused. */
    public static final int MAX_LABEL_BYTES = 64;

    private final ConcurrentHashMap<String, PortLabel> byText = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<String> byId = new AtomicReferenceArray<>(MAX_LABELS + 1);
    /** Guarded by this object. */
    private int next = 1;

    /** The label for {@code text}, numbered on first use. */
    public PortLabel intern(String text) {
        PortLabel known = byText.get(text);
        if (known != null) {
            return known;
        }
        synchronized (this) {
            known = byText.get(text);
            if (known != null) {
                return known;
            }
            if (next > MAX_LABELS) {
                return new PortLabel(0, text);
            }
            PortLabel label = new PortLabel(next, text);
            byId.set(next, text);
            next++;
            byText.put(text, label);
            return label;
        }
    }

    /** The text of label {@code id}, or null. */
    public String text(int id) {
        return id > 0 && id <= MAX_LABELS ? byId.get(id) : null;
    }

    /** Whether {@code text} may be a label: 1..{@value #MAX_LABEL_BYTES} bytes, no control characters. */
    public static boolean isValid(String text) {
        if (text.isEmpty() || text.getBytes(StandardCharsets.UTF_8).length > MAX_LABEL_BYTES) {
            return false;
        }
        return text.codePoints().noneMatch(Character::isISOControl);
    }

    /** A label and its number (0: not numbered). */
    public record PortLabel(int id, String text) {}
}
