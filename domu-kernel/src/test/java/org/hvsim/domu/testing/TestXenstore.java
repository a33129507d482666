package org.hvsim.domu.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * The XenStore tree behind {@link RingXenstored}, enough of xenstored for the guest's tests: read, write
 * (creating missing parents, which fire no watch of their own), mkdir, rm, directory, get/set_perms,
 * watch/unwatch (firing once on registration, after the reply, and on any change at or below the path,
 * ahead of the reply that caused it), transactions (writes buffered until commit and fired then; an ended
 * or unknown transaction is ENOENT), get_domain_path; ENOSYS for the rest. Its permission rule is simpler
 * than xenstored's: the domain may change nodes only below its home ({@code /local/domain/<domid>/...}),
 * EACCES elsewhere; reads are not checked. Every message it sends goes to the output sink whole.
 *
 * <p>Threads: one at a time (its {@link RingXenstored}'s monitor).
 */
final class TestXenstore {
    private static final String OK = "OK";

    private record Watch(String path, String token) {}

    private final int domid;
    private final String home;
    private final Consumer<byte[]> out;
    private final TreeMap<String, String> nodes = new TreeMap<>();
    private final Map<String, String> perms = new HashMap<>();
    private final List<Watch> watches = new ArrayList<>();
    private final Map<Integer, TreeMap<String, Optional<String>>> transactions = new HashMap<>();
    private final List<String> log = new ArrayList<>();
    private int nextTx = 1;
    private int eagainCommits;
    private int overrideType = -1;
    private String overridePayload;

    /** The tree of domain {@code domid}'s xenstored; whole messages go to {@code out}. */
    TestXenstore(int domid, Consumer<byte[]> out) {
        this.domid = domid;
        this.home = "/local/domain/" + domid;
        this.out = out;
        nodes.put("/", "");
        nodes.put("/local", "");
        nodes.put("/local/domain", "");
        nodes.put(home, "");
    }

    /** Answers one request (and queues the watch events it causes, ahead of the reply as C xenstored does). */
    void handle(XsdSockmsg h, byte[] payload) {
        XsdSockmsgType type = XsdSockmsgType.of(Integer.toUnsignedLong(h.type()));
        List<String> args = strings(payload);
        String first = args.isEmpty() ? "" : args.get(0);
        log.add((type == null ? "type " + h.type() : type.name().substring(3)) + " " + first
                + (h.txId() != 0 ? " (tx " + h.txId() + ")" : ""));
        if (overrideType >= 0) {
            emit(overrideType, h.reqId(), h.txId(), nulTerminated(List.of(overridePayload)));
            overrideType = -1;
            return;
        }
        if (type == null) {
            reply(h, XsdSockmsgType.XS_ERROR, "ENOSYS");
            return;
        }
        TreeMap<String, Optional<String>> tx = null;
        if (h.txId() != 0 && type != XsdSockmsgType.XS_TRANSACTION_START) {
            tx = transactions.get(h.txId());
            if (tx == null) {
                reply(h, XsdSockmsgType.XS_ERROR, "ENOENT");
                return;
            }
        }
        String path = first.isEmpty() ? "" : resolve(first);
        switch (type) {
            case XS_READ -> {
                Optional<String> v = lookup(tx, path);
                if (v.isEmpty()) {
                    reply(h, XsdSockmsgType.XS_ERROR, "ENOENT");
                } else {
                    replyRaw(h, type, v.get().getBytes(StandardCharsets.UTF_8));
                }
            }
            case XS_WRITE -> {
                int nul = indexOfNul(payload);
                String value = new String(payload, nul + 1, payload.length - nul - 1, StandardCharsets.UTF_8);
                if (!writable(path)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "EACCES");
                } else if (tx != null) {
                    tx.put(path, Optional.of(value));
                    reply(h, type, OK);
                } else {
                    set(path, value);
                    reply(h, type, OK);
                }
            }
            case XS_MKDIR -> {
                if (!writable(path)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "EACCES");
                } else {
                    if (!nodes.containsKey(path)) {
                        set(path, "");
                    }
                    reply(h, type, OK);
                }
            }
            case XS_RM -> {
                if (!writable(path)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "EACCES");
                } else if (!nodes.containsKey(parent(path))) {
                    reply(h, XsdSockmsgType.XS_ERROR, "ENOENT");
                } else {
                    if (tx != null) {
                        tx.put(path, Optional.empty());
                    } else {
                        remove(path);
                    }
                    reply(h, type, OK);
                }
            }
            case XS_DIRECTORY -> {
                if (!nodes.containsKey(path)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "ENOENT");
                } else {
                    replyStrings(h, type, children(path));
                }
            }
            case XS_GET_PERMS -> {
                if (!nodes.containsKey(path)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "ENOENT");
                } else {
                    replyStrings(h, type, List.of(perms.getOrDefault(path, defaultPerms(path)).split(" ")));
                }
            }
            case XS_SET_PERMS -> {
                if (!nodes.containsKey(path)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "ENOENT");
                } else if (!writable(path)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "EACCES");
                } else {
                    perms.put(path, String.join(" ", args.subList(1, args.size())));
                    fire(path);
                    reply(h, type, OK);
                }
            }
            case XS_WATCH -> {
                Watch w = new Watch(first, args.size() > 1 ? args.get(1) : "");
                if (watches.contains(w)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "EEXIST");
                } else {
                    watches.add(w);
                    reply(h, type, OK);
                    event(w.path(), w.token());
                }
            }
            case XS_UNWATCH -> {
                boolean removed = watches.remove(new Watch(first, args.size() > 1 ? args.get(1) : ""));
                reply(h, removed ? type : XsdSockmsgType.XS_ERROR, removed ? OK : "ENOENT");
            }
            case XS_TRANSACTION_START -> {
                int id = nextTx++;
                transactions.put(id, new TreeMap<>());
                reply(h, type, Integer.toString(id));
            }
            case XS_TRANSACTION_END -> {
                transactions.remove(h.txId());
                if (!first.equals("T") && !first.equals("F")) {
                    reply(h, XsdSockmsgType.XS_ERROR, "EINVAL");
                } else if (first.equals("T") && eagainCommits > 0) {
                    eagainCommits--;
                    reply(h, XsdSockmsgType.XS_ERROR, "EAGAIN");
                } else {
                    if (first.equals("T")) {
                        tx.forEach((p, v) -> {
                            if (v.isPresent()) {
                                set(p, v.get());
                            } else {
                                remove(p);
                            }
                        });
                    }
                    reply(h, type, OK);
                }
            }
            case XS_GET_DOMAIN_PATH -> reply(h, type, "/local/domain/" + first);
            default -> reply(h, XsdSockmsgType.XS_ERROR, "ENOSYS");
        }
    }

    private Optional<String> lookup(TreeMap<String, Optional<String>> tx, String path) {
        if (tx != null && tx.containsKey(path)) {
            return tx.get(path);
        }
        return Optional.ofNullable(nodes.get(path));
    }

    private String resolve(String path) {
        return path.startsWith("/") || path.startsWith("@") ? path : home + "/" + path;
    }

    private boolean writable(String abs) {
        return abs.startsWith(home + "/");
    }

    private String defaultPerms(String abs) {
        return abs.equals(home) || abs.startsWith(home + "/") ? "n" + domid : "n0";
    }

    private static String parent(String abs) {
        int slash = abs.lastIndexOf('/');
        return slash <= 0 ? "/" : abs.substring(0, slash);
    }

    private List<String> children(String abs) {
        String prefix = abs.equals("/") ? "/" : abs + "/";
        List<String> c = new ArrayList<>();
        for (String p : nodes.tailMap(prefix, false).keySet()) {
            if (!p.startsWith(prefix)) {
                break;
            }
            if (p.indexOf('/', prefix.length()) < 0) {
                c.add(p.substring(prefix.length()));
            }
        }
        return c;
    }

    private void set(String abs, String value) {
        createParents(abs);
        nodes.put(abs, value);
        fire(abs);
    }

    /** Missing parents are created empty, firing no watch of their own (as in C xenstored). */
    private void createParents(String abs) {
        String p = parent(abs);
        if (!nodes.containsKey(p)) {
            createParents(p);
            nodes.put(p, "");
        }
    }

    private void remove(String abs) {
        nodes.keySet().removeIf(p -> p.equals(abs) || p.startsWith(abs + "/"));
        fire(abs);
    }

    /** Queues a watch event for every watch at or above {@code abs}. */
    private void fire(String abs) {
        for (Watch w : watches) {
            String wabs = resolve(w.path());
            if (abs.equals(wabs) || abs.startsWith(wabs.equals("/") ? "/" : wabs + "/")) {
                boolean relative = !w.path().startsWith("/");
                event(relative ? abs.substring(home.length() + 1) : abs, w.token());
            }
        }
    }

    /** Sends {@code XS_WATCH_EVENT path|token|}. */
    void event(String path, String token) {
        emit(XsdSockmsgType.XS_WATCH_EVENT.number(), 0, 0, nulTerminated(List.of(path, token)));
    }

    private void reply(XsdSockmsg h, XsdSockmsgType type, String s) {
        replyRaw(h, type, nulTerminated(List.of(s)));
    }

    private void replyStrings(XsdSockmsg h, XsdSockmsgType type, List<String> strings) {
        replyRaw(h, type, nulTerminated(strings));
    }

    private void replyRaw(XsdSockmsg h, XsdSockmsgType type, byte[] payload) {
        emit(type.number(), h.reqId(), h.txId(), payload);
    }

    private void emit(int type, int reqId, int txId, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new XsdSockmsg(type, reqId, txId, payload.length).toBytes());
        b.writeBytes(payload);
        out.accept(b.toByteArray());
    }

    private static byte[] nulTerminated(List<String> strings) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String s : strings) {
            b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        return b.toByteArray();
    }

    private static int indexOfNul(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return b.length;
    }

    private static List<String> strings(byte[] payload) {
        List<String> s = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == 0) {
                s.add(new String(payload, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return s;
    }

    // ---- what RingXenstored passes on to tests ----

    /** Writes {@code path} (relative to the home unless absolute) as a tool in dom0 would. */
    void write(String path, String value) {
        set(resolve(path), value);
    }

    Optional<String> value(String path) {
        return Optional.ofNullable(nodes.get(resolve(path)));
    }

    List<String> list(String path) {
        return children(resolve(path));
    }

    List<String> log() {
        return List.copyOf(log);
    }

    List<String> watches() {
        return watches.stream().map(w -> w.path() + " " + w.token()).toList();
    }

    void failCommits(int n) {
        eagainCommits = n;
    }

    void answerNext(int type, String payload) {
        overrideType = type;
        overridePayload = payload;
    }

    @Override
    public String toString() {
        return "log " + log + ", nodes " + nodes;
    }
}
