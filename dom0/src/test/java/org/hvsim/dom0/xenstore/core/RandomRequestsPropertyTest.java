package org.hvsim.dom0.xenstore.core;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.dom0.xenstore.wire.XsPayload;

/** Random sequences of plausible requests from dom0 and two domains keep xenstored well-behaved. */
class RandomRequestsPropertyTest {

    record Req(int conn, int type, int tx, List<String> args, String tail) {
        XsMessage message(int reqId) {
            byte[] strings = XsPayload.cStrings(args);
            byte[] t = XsPayload.latin1(tail);
            byte[] p = new byte[strings.length + t.length];
            System.arraycopy(strings, 0, p, 0, strings.length);
            System.arraycopy(t, 0, p, strings.length, t.length);
            return XsMessage.of(type, reqId, tx, p);
        }
    }

    @Provide
    Arbitrary<Req> requests() {
        Arbitrary<String> paths = Arbitraries.of("/", "/local/domain/5", "/local/domain/5/data", "/local/domain/5/data/a",
                "/local/domain/5/data/a/b", "data/x", "data/x/y", "/tool", "/vm/u", "/vm/u/name", "@releaseDomain",
                "@introduceDomain", "@releaseDomain/5", "/bad//path", "", "/local/domain/6/x");
        Arbitrary<String> words = Arbitraries.of("T", "F", "0", "1", "5", "6", "7", "n0", "r5", "b6", "w5", "n5",
                "tok", "quota", "check", "help", "set", "nodes", "-1", "x".repeat(10));
        Arbitrary<List<String>> args = Combinators.combine(paths, words.list().ofMaxSize(3))
                .as((p, w) -> {
                    List<String> a = new ArrayList<>();
                    a.add(p);
                    a.addAll(w);
                    return a;
                });
        Arbitrary<Integer> types = Arbitraries.integers().between(0, 27);
        Arbitrary<Integer> txs = Arbitraries.of(0, 0, 0, 1, 2, 3, 99);
        Arbitrary<String> tails = Arbitraries.of("", "", "value", "v\u0000w");
        return Combinators.combine(Arbitraries.integers().between(0, 2), types, txs, args, tails).as(Req::new);
    }

    @Property(tries = 300)
    void anySequenceGivesWellFormedRepliesAndAConsistentStore(@ForAll @Size(max = 120) List<@net.jqwik.api.From("requests") Req> reqs) {
        RequestStreams s = RequestStreams.standard();
        int reqId = 1;
        for (Req r : reqs) {
            s.process(r.conn(), r.message(reqId++));
        }
        s.assertConsistent();
    }
}
