package org.hvsim.tools.xlcfg;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes {@link XlConfigLoader#parse}: the input is a config file, optionally followed by NUL-separated
 * command-line overrides. Whatever it is, the result must be a DomainConfig that renders to JSON or an
 * {@link XlConfigException} placed inside the input; any other exception is a finding. In a normal
 * build the seeds under {@code XlConfigFuzzTestInputs/parse} run as regression tests.
 */
class XlConfigFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        String[] parts = new String(input, StandardCharsets.UTF_8).split("\0", -1);
        List<String> overrides = Arrays.asList(parts).subList(1, parts.length);
        try {
            LoadedConfig loaded = XlConfigLoader.parse(parts[0], "in.cfg", overrides);
            DomainConfigJson.object(loaded.config(), null);
        } catch (XlConfigException e) {
            if (e.line() != 0 && e.file().equals("in.cfg")) {
                XlConfigPropertyTest.assertInside(parts[0], e);
            }
        }
    }
}
