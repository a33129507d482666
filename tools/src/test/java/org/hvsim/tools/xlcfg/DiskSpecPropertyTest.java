package org.hvsim.tools.xlcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hvsim.proto.control.DiskSpec;

/** Generated disks written positionally, by name, or mixed, all read back to the same DiskSpec. */
class DiskSpecPropertyTest {

    /** A disk and the items that describe it, before they are arranged into a spec string. */
    record Disk(String target, String format, String vdev, String access, List<String> flags, DiskSpec expected) {
    }

    @Provide
    Arbitrary<Disk> disks() {
        Arbitrary<String> target = Arbitraries.strings().withChars("abcXYZ019._-/").ofMaxLength(20).map(s -> "/" + s);
        Arbitrary<String> format = Arbitraries.of("raw", "qcow", "qcow2", "vhd", "qed");
        Arbitrary<String> vdev = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 700).map(n -> "xvd" + letters(n)),
                Arbitraries.integers().between(0, 15).map(n -> "sd" + letters(n) + (n % 3 == 0 ? "" : n)),
                Arbitraries.integers().between(0, 3).map(n -> "hd" + letters(n) + (n == 1 ? "5" : "")),
                Arbitraries.integers().between(0, 99).map(n -> "d" + n + "p" + (n % 7)));
        Arbitrary<String> access = Arbitraries.of("r", "ro", "w", "rw");
        Arbitrary<List<String>> flags = Arbitraries.of("direct-io-safe", "discard", "no-discard", "trusted",
                "untrusted", "backendtype=qdisk", "specification=virtio", "backend=drv", "grant_usage=1",
                "script=block-x").list().uniqueElements().ofMaxSize(4)
                .filter(l -> !(l.contains("discard") && l.contains("no-discard")))
                .filter(l -> !(l.contains("trusted") && l.contains("untrusted")));
        return Combinators.combine(target, format, vdev, access, flags).as(DiskSpecPropertyTest::disk);
    }

    private static Disk disk(String target, String format, String vdev, String access, List<String> flags) {
        DiskSpec.Builder b = DiskSpec.newBuilder().setTarget(target).setFormat(format).setVdev(vdev)
                .setVirtualDevice(VirtualDevice.number(vdev)).setReadwrite(access.contains("w"));
        for (String flag : flags) {
            switch (flag) {
                case "direct-io-safe" -> b.setDirectIoSafe(true);
                case "discard" -> b.setDiscard(true);
                case "no-discard" -> b.setDiscard(false);
                case "trusted" -> b.setTrusted(true);
                case "untrusted" -> b.setTrusted(false);
                case "backendtype=qdisk" -> b.setBackendType("qdisk");
                case "specification=virtio" -> b.setSpecification("virtio");
                case "backend=drv" -> b.setBackend("drv");
                case "grant_usage=1" -> b.setGrantUsage(true);
                case "script=block-x" -> b.setScript("block-x");
                default -> throw new IllegalArgumentException(flag);
            }
        }
        return new Disk(target, format, vdev, access, flags, b.build());
    }

    @Property
    void positionalForm(@ForAll("disks") Disk d, @ForAll long seed) throws Exception {
        List<String> items = new ArrayList<>(List.of(d.target(), d.format(), d.vdev(), d.access()));
        insertAnywhere(items, d.flags(), new Random(seed));
        check(d, String.join(",", items));
    }

    @Property
    void namedForm(@ForAll("disks") Disk d, @ForAll long seed) throws Exception {
        List<String> items = new ArrayList<>(List.of("format=" + d.format(), "vdev=" + d.vdev(), "access=" + d.access()));
        items.addAll(d.flags());
        Collections.shuffle(items, new Random(seed));
        items.add("target=" + d.target());
        check(d, String.join(", ", items));
    }

    @Property
    void mixedForm(@ForAll("disks") Disk d, @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        String[] slots = {"format", "vdev", "access"};
        String[] values = {d.format(), d.vdev(), d.access()};
        List<String> named = new ArrayList<>();
        List<String> positional = new ArrayList<>(List.of(d.target()));
        for (int i = 0; i < slots.length; i++) {
            if (random.nextBoolean()) {
                named.add(slots[i] + "=" + values[i]);
            } else {
                positional.add(values[i]);
            }
        }
        List<String> items = new ArrayList<>(named);
        Collections.shuffle(items, random);
        items.addAll(positional);
        insertAnywhere(items, d.flags(), random);
        check(d, String.join(random.nextBoolean() ? "," : ",  ", items));
    }

    private static void check(Disk d, String spec) throws XlSpecException {
        DiskSpec parsed = DiskSpecParser.parse(spec);
        assertEquals(d.expected().toBuilder().setSpec(spec).build(), parsed, spec);
    }

    private static void insertAnywhere(List<String> items, List<String> flags, Random random) {
        for (String flag : flags) {
            items.add(random.nextInt(items.size() + 1), flag);
        }
    }

    private static String letters(int n) {
        StringBuilder s = new StringBuilder();
        for (int k = n + 1; k > 0; k = (k - 1) / 26) {
            s.insert(0, (char) ('a' + (k - 1) % 26));
        }
        return s.toString();
    }
}
